"""Upload → Connection settings: where orders go, the API key, and how files are read.

* Environment: Sandbox (the default), Production (only after a deliberate confirmation) or a
  custom URL.
* API key and Data Client ID, one pair per environment, stored only through `core/local/secrets.py`
  in the operating system's password store. Without a usable password store the dialog says so
  and offers "Use for this session only": the pair is then kept in a `SessionCredentials`
  holder in memory and written nowhere.
* "Test connection" asks Northbeam whether the key is accepted, on a pool thread.
* Default time zone, default phone country and "hash email and phone" are `Preferences`,
  saved as JSON by `core/local/settings.py`.
"""

from __future__ import annotations

import dataclasses
import os
from functools import cache

import phonenumbers
import pycountry
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.local.secrets import (
    API_KEY_ENV_VAR,
    CLIENT_ID_ENV_VAR,
    Credentials,
    KeyringUnavailableError,
    delete_credentials,
    keyring_available,
    load_credentials,
    save_credentials,
)
from northbeam_desktop.core.local.settings import (
    Preferences,
    SessionCredentials,
    save_preferences,
)
from northbeam_desktop.core.northbeam.client import ConnectionCheck, NorthbeamClient
from northbeam_desktop.core.northbeam.environments import (
    SANDBOX_TEST_API_KEY,
    SANDBOX_TEST_CLIENT_ID,
    EndpointError,
    Environment,
    describe_endpoint,
    resolve_endpoint,
)
from northbeam_desktop.core.orders.timezones import is_valid_timezone, picker_names
from northbeam_desktop.ui.workers import FunctionWorker, start_worker

PRODUCTION_WARNING = (
    "Orders uploaded to Production are used in your live attribution.\n\n"
    "Rehearse on Sandbox first. Switch uploads to Production?"
)
HASHING_EXPLANATION = (
    "Emails and phone numbers are turned into SHA-256 fingerprints on this computer, so "
    "Northbeam can match customers without receiving the addresses and numbers themselves."
)
_EXTRA_REGION_NAMES = {"AC": "Ascension Island", "TA": "Tristan da Cunha", "XK": "Kosovo"}
DIALOG_WIDTH = 640
_OK_COLOR = "#15803d"
_ERROR_COLOR = "#b91c1c"

# A field pair as typed: (api_key, client_id).
Pair = tuple[str, str]
_EMPTY: Pair = ("", "")


@cache
def region_choices() -> tuple[tuple[str, str], ...]:
    """(label, region code) for every region phonenumbers can dial, sorted by country name."""
    choices = []
    for code in phonenumbers.SUPPORTED_REGIONS:
        country = pycountry.countries.get(alpha_2=code)
        if country is not None:
            name = getattr(country, "common_name", None) or country.name
        else:
            name = _EXTRA_REGION_NAMES.get(code, code)
        prefix = phonenumbers.country_code_for_region(code)
        choices.append((f"{name} (+{prefix})", code))
    return tuple(sorted(choices, key=lambda item: item[0].casefold()))


def check_connection(base_url: str, credentials: Credentials) -> ConnectionCheck:
    """Runs on a pool thread: ask `base_url` whether `credentials` are accepted."""
    with NorthbeamClient(base_url, credentials, connect_timeout=10, read_timeout=30) as client:
        return client.check_credentials()


class SettingsDialog(QDialog):
    """Edit the connection settings; on Save they are stored and `preferences` holds them."""

    def __init__(
        self,
        preferences: Preferences,
        session: SessionCredentials,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connection settings")
        self.setAccessibleName("Connection settings")
        self.preferences = dataclasses.replace(preferences)
        self.session = session
        self._keyring_ok = keyring_available()
        self._keyring_problem = "" if self._keyring_ok else KeyringUnavailableError().args[0]
        self._env = preferences.environment
        self._pending: dict[Environment, Pair] = {}  # what is typed, per environment
        self._original: dict[Environment, Pair] = {}  # what was stored when first shown
        self._check_worker: FunctionWorker | None = None
        self._built = False  # the notices resize the dialog only once it is whole

        # The groups scroll (a 1280 × 720 screen is not tall enough for all of them with a
        # message showing); the Save and Cancel buttons always stay in view.
        self.content = QWidget()
        self.content.setObjectName("SettingsContent")
        content = QVBoxLayout(self.content)
        content.setContentsMargins(0, 0, 0, 0)
        content.addWidget(self._build_environment_group())
        content.addWidget(self._build_credentials_group())
        content.addWidget(self._build_reading_group())
        self.error_label = self._message_label("Problems with the settings")
        content.addWidget(self.error_label)
        content.addStretch(1)  # spare height goes below the groups, not between their rows
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("SettingsScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.content)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll_area, 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName("Save settings")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._select_environment_radio(self._env)
        self.url_edit.setText(preferences.custom_url)
        self._show_environment(self._env)
        self._load_fields(self._env)
        self._update_keyring_notice()
        self._built = True
        self._fit_to_contents()

    def _fit_to_contents(self, *, grow_only: bool = False) -> None:
        """As tall as the wrapped texts need (QDialog would otherwise squeeze the fields
        together), at most as tall as the screen: beyond that the groups scroll. Called again
        whenever a message or notice appears, so nothing is ever clipped."""
        layout = self.layout()
        content_layout = self.content.layout()
        assert layout is not None and content_layout is not None  # both made in __init__
        margins = layout.contentsMargins()
        bar = self.scroll_area.verticalScrollBar().sizeHint().width()
        width = max(DIALOG_WIDTH, self.content.sizeHint().width() + bar + 24, self.width())
        inner = width - margins.left() - margins.right()
        content_height = content_layout.totalHeightForWidth(inner - bar)
        height = (
            content_height
            + self.buttons.sizeHint().height()
            + layout.spacing()
            + margins.top()
            + margins.bottom()
            + 4
        )
        screen = self.screen()
        if screen is not None:
            height = min(height, int(screen.availableGeometry().height() * 0.92))
        if grow_only:
            height = max(height, self.height())
        self.setMinimumWidth(min(width, DIALOG_WIDTH))
        self.resize(width, height)

    # -- construction --------------------------------------------------------------------------

    def _message_label(self, accessible_name: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setAccessibleName(accessible_name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setVisible(False)
        return label

    def _hint(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        return label

    def _build_environment_group(self) -> QGroupBox:
        group = QGroupBox("Where orders go")
        self.sandbox_radio = QRadioButton("Sand&box — Northbeam's test environment")
        self.sandbox_radio.setAccessibleName("Sandbox")
        self.production_radio = QRadioButton("&Production — live data")
        self.production_radio.setAccessibleName("Production")
        self.custom_radio = QRadioButton("Custom &URL:")
        self.custom_radio.setAccessibleName("Custom URL")
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://proxy.example.com/v2")
        self.url_edit.setAccessibleName("Custom URL address")
        self.url_edit.setClearButtonEnabled(True)
        self.url_edit.textEdited.connect(self._on_url_edit_text_edited)

        self.environment_group = QButtonGroup(self)
        for env, radio in self._radios().items():
            self.environment_group.addButton(radio)
            radio.setProperty("environment", str(env))
        self.environment_group.buttonClicked.connect(self._on_environment_group_button_clicked)

        custom_row = QHBoxLayout()
        custom_row.addWidget(self.custom_radio)
        custom_row.addWidget(self.url_edit, 1)

        self.url_error_label = self._message_label("Custom URL problem")

        box = QVBoxLayout(group)
        box.addWidget(self.sandbox_radio)
        box.addWidget(
            self._indented(self._hint("Safe to try anything: nothing reaches your live reports."))
        )
        box.addWidget(self.production_radio)
        box.addWidget(
            self._indented(
                self._hint(
                    "Orders you upload are used in your live attribution reports. "
                    "You will be asked to confirm."
                )
            )
        )
        box.addLayout(custom_row)
        box.addWidget(self.url_error_label)
        return group

    def _with_hint(self, field: QWidget, hint: str) -> QWidget:
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 4)
        column.setSpacing(2)
        column.addWidget(field)
        column.addWidget(self._hint(hint))
        return holder

    def _indented(self, widget: QWidget) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(24, 0, 0, 4)
        row.addWidget(widget)
        return holder

    def _build_credentials_group(self) -> QGroupBox:
        self.credentials_group = QGroupBox()
        intro = self._hint(
            "Create both in the Northbeam dashboard under Settings → API Keys. Each environment "
            "keeps its own key."
        )

        self.api_key_edit = QLineEdit()
        self.api_key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key_edit.setAccessibleName("API key")
        self.api_key_edit.setPlaceholderText("Paste your API key")
        self.show_key_button = QToolButton()
        self.show_key_button.setText("Show")
        self.show_key_button.setCheckable(True)
        self.show_key_button.setAccessibleName("Show the API key")
        self.show_key_button.toggled.connect(self._on_show_key_button_toggled)
        key_row = QHBoxLayout()
        key_row.addWidget(self.api_key_edit, 1)
        key_row.addWidget(self.show_key_button)

        self.client_id_edit = QLineEdit()
        self.client_id_edit.setAccessibleName("Data Client ID")
        self.client_id_edit.setPlaceholderText("For example 3f2c9a4e-…")

        form = QFormLayout()
        key_label = QLabel("API &key:")
        key_label.setBuddy(self.api_key_edit)
        client_label = QLabel("Data &Client ID:")
        client_label.setBuddy(self.client_id_edit)
        form.addRow(key_label, key_row)
        form.addRow(client_label, self.client_id_edit)

        self.storage_label = self._hint("")
        self.storage_label.setAccessibleName("Where the key is kept")

        # Shown only when there is no usable password store.
        self.keyring_frame = QFrame()
        self.keyring_frame.setObjectName("keyringNotice")
        self.keyring_frame.setStyleSheet(
            "QFrame#keyringNotice { border: 1px solid #d97706; border-radius: 6px;"
            " background: rgba(217, 119, 6, 20); }"
        )
        self.keyring_label = QLabel()
        self.keyring_label.setWordWrap(True)
        self.keyring_label.setAccessibleName("Password store unavailable")
        self.session_only_check = QCheckBox(
            "Use for this session &only (kept in memory, forgotten when you quit)"
        )
        self.session_only_check.setChecked(True)
        self.session_only_check.setAccessibleName("Use for this session only")
        notice = QVBoxLayout(self.keyring_frame)
        notice.addWidget(self.keyring_label)
        notice.addWidget(self.session_only_check)

        self.env_var_label = self._hint(
            f"{API_KEY_ENV_VAR} and {CLIENT_ID_ENV_VAR} are set on this computer; uploads use "
            "them unless you enter a key for this session here."
        )
        self.env_var_label.setVisible(
            bool(os.environ.get(API_KEY_ENV_VAR) or os.environ.get(CLIENT_ID_ENV_VAR))
        )

        self.test_key_button = QPushButton("Use Northbeam's public t&est key")
        self.test_key_button.setAccessibleName("Use Northbeam's public test key for Sandbox")
        self.test_key_button.setToolTip(
            "Sandbox accepts the key None with client ID test: it checks orders and stores "
            "nothing. Good for a first rehearsal without an account."
        )
        self.test_key_button.clicked.connect(self._on_test_key_button_clicked)

        self.forget_button = QPushButton("&Remove saved key")
        self.forget_button.setAccessibleName("Remove the saved key for this environment")
        self.forget_button.clicked.connect(self._on_forget_button_clicked)

        self.check_button = QPushButton("&Test connection")
        self.check_button.setAccessibleName("Test connection")
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.check_label = self._message_label("Connection test result")

        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.test_key_button)
        buttons.addStretch(1)
        buttons.addWidget(self.forget_button)

        box = QVBoxLayout(self.credentials_group)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(self.storage_label)
        box.addWidget(self.keyring_frame)
        box.addWidget(self.env_var_label)
        box.addLayout(buttons)
        box.addWidget(self.check_label)
        return self.credentials_group

    def _build_reading_group(self) -> QGroupBox:
        group = QGroupBox("Reading your files")

        self.timezone_combo = QComboBox()
        self.timezone_combo.setEditable(True)
        self.timezone_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.timezone_combo.setAccessibleName("Default time zone")
        self.timezone_combo.addItems(list(picker_names()))
        completer = QCompleter(self.timezone_combo.model(), self.timezone_combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.timezone_combo.setCompleter(completer)
        self.timezone_combo.setCurrentText(self.preferences.timezone)

        self.phone_combo = QComboBox()
        self.phone_combo.setAccessibleName("Default phone country")
        for label, code in region_choices():
            self.phone_combo.addItem(label, code)
        index = self.phone_combo.findData(self.preferences.phone_country)
        self.phone_combo.setCurrentIndex(max(index, 0))

        self.hash_check = QCheckBox("&Hash email and phone before sending")
        self.hash_check.setAccessibleName("Hash email and phone before sending")
        self.hash_check.setChecked(self.preferences.hash_pii)

        form = QFormLayout(group)
        tz_label = QLabel("Default time &zone:")
        tz_label.setBuddy(self.timezone_combo)
        form.addRow(
            tz_label,
            self._with_hint(
                self.timezone_combo, "Used for dates and times in your file that have no zone."
            ),
        )
        phone_label = QLabel("Default phone cou&ntry:")
        phone_label.setBuddy(self.phone_combo)
        form.addRow(
            phone_label,
            self._with_hint(
                self.phone_combo, "Used for phone numbers written without +country code."
            ),
        )
        form.addRow(self.hash_check)
        form.addRow(self._hint(HASHING_EXPLANATION))
        return group

    def _radios(self) -> dict[Environment, QRadioButton]:
        return {
            Environment.SANDBOX: self.sandbox_radio,
            Environment.PRODUCTION: self.production_radio,
            Environment.CUSTOM: self.custom_radio,
        }

    # -- state ---------------------------------------------------------------------------------

    @property
    def environment(self) -> Environment:
        return self._env

    def destination(self) -> str:
        """Where uploads go with the settings as saved: Sandbox, Production or the custom host."""
        env = self.preferences.environment
        if env is not Environment.CUSTOM:
            return env.short_name
        try:
            return describe_endpoint(resolve_endpoint(env, self.preferences.custom_url))
        except EndpointError:
            return "a custom URL"

    def _select_environment_radio(self, env: Environment) -> None:
        radio = self._radios()[env]
        blocked = self.environment_group.blockSignals(True)
        radio.setChecked(True)
        self.environment_group.blockSignals(blocked)

    def _show_environment(self, env: Environment) -> None:
        self.url_edit.setEnabled(env is Environment.CUSTOM)
        self.credentials_group.setTitle(f"API key for {env.short_name}")
        self.test_key_button.setVisible(env is Environment.SANDBOX)
        self.check_label.setVisible(False)
        self.url_error_label.setVisible(False)

    def _typed(self) -> Pair:
        return self.api_key_edit.text().strip(), self.client_id_edit.text().strip()

    def _stored_pair(self, env: Environment) -> Pair:
        """What is kept for `env` now: this session's pair, else the password store's."""
        held = self.session.get(env)
        if held is not None:
            return held.api_key, held.client_id
        if not self._keyring_ok:
            return _EMPTY
        try:
            saved = load_credentials(env)
        except KeyringUnavailableError as exc:
            self._set_keyring_unavailable(str(exc))
            return _EMPTY
        return (saved.api_key, saved.client_id) if saved is not None else _EMPTY

    def _load_fields(self, env: Environment) -> None:
        if env not in self._original:
            self._original[env] = self._stored_pair(env)
        api_key, client_id = self._pending.get(env, self._original[env])
        self.api_key_edit.setText(api_key)
        self.client_id_edit.setText(client_id)
        # A key kept for this session only was never saved: say so on the button.
        held = self.session.get(env) is not None
        self.forget_button.setText("&Forget session key" if held else "&Remove saved key")
        self.forget_button.setAccessibleName(
            "Forget the key kept for this session"
            if held
            else "Remove the saved key for this environment"
        )
        self.forget_button.setEnabled(self._original[env] != _EMPTY)

    def _set_keyring_unavailable(self, message: str) -> None:
        self._keyring_ok = False
        self._keyring_problem = message
        self._update_keyring_notice()

    def _update_keyring_notice(self) -> None:
        self.keyring_frame.setVisible(not self._keyring_ok)
        self.storage_label.setVisible(self._keyring_ok)
        if self._keyring_ok:
            self.storage_label.setText("Kept in this computer's password store, never in a file.")
        else:
            self.keyring_label.setText(self._keyring_problem)
        if self._built:
            self._fit_to_contents(grow_only=True)

    def _show_message(self, label: QLabel, text: str, ok: bool) -> None:
        color = _OK_COLOR if ok else _ERROR_COLOR
        mark = "✓" if ok else "✗"
        label.setText(f"<span style='color:{color}'>{mark}</span> {text.replace('<', '&lt;')}")
        label.setVisible(True)
        self._fit_to_contents(grow_only=True)

    # -- slots ---------------------------------------------------------------------------------

    def _on_environment_group_button_clicked(self, button: QRadioButton) -> None:
        env = Environment(str(button.property("environment")))
        if env is self._env:
            return
        if env is Environment.PRODUCTION and not self._confirm_production():
            self._select_environment_radio(self._env)
            return
        self._pending[self._env] = self._typed()
        self._env = env
        self._show_environment(env)
        self._load_fields(env)
        if env is Environment.CUSTOM and not self.url_edit.text().strip():
            self.url_edit.setFocus()

    def _confirm_production(self) -> bool:
        answer = QMessageBox.warning(
            self,
            "Switch to Production?",
            PRODUCTION_WARNING,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _on_url_edit_text_edited(self, _text: str) -> None:
        self.url_error_label.setVisible(False)

    def _on_show_key_button_toggled(self, checked: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if checked else QLineEdit.EchoMode.Password
        self.api_key_edit.setEchoMode(mode)
        self.show_key_button.setText("Hide" if checked else "Show")
        self.show_key_button.setAccessibleName(
            "Hide the API key" if checked else "Show the API key"
        )

    def _on_test_key_button_clicked(self) -> None:
        self.api_key_edit.setText(SANDBOX_TEST_API_KEY)
        self.client_id_edit.setText(SANDBOX_TEST_CLIENT_ID)

    def _on_forget_button_clicked(self) -> None:
        env = self._env
        self.session.forget(env)
        if self._keyring_ok:
            try:
                delete_credentials(env)
            except KeyringUnavailableError as exc:
                self._set_keyring_unavailable(str(exc))
                return
        held = self.forget_button.text() == "&Forget session key"
        self._original[env] = _EMPTY
        self._pending.pop(env, None)
        self._load_fields(env)
        what = "forgotten" if held else "removed"
        self._show_message(self.check_label, f"The key for {env.short_name} was {what}.", True)

    def _endpoint(self) -> str | None:
        """The URL for the chosen environment, or None (with the reason shown) if unusable."""
        try:
            return resolve_endpoint(self._env, self.url_edit.text())
        except EndpointError as exc:
            self._show_message(self.url_error_label, str(exc), False)
            self.url_edit.setFocus()
            return None

    def _on_check_button_clicked(self) -> None:
        base_url = self._endpoint()
        if base_url is None:
            return
        api_key, client_id = self._typed()
        if not api_key or not client_id:
            self._show_message(
                self.check_label, "Enter the API key and the Data Client ID first.", False
            )
            return
        credentials = Credentials(api_key, client_id)
        self.check_button.setEnabled(False)
        self.check_label.setText(f"Checking the connection to {describe_endpoint(base_url)}…")
        self.check_label.setVisible(True)
        self._fit_to_contents(grow_only=True)
        worker = FunctionWorker(check_connection, base_url, credentials)
        worker.signals.finished.connect(self._on_check_worker_finished)
        worker.signals.failed.connect(self._on_check_worker_failed)
        self._check_worker = start_worker(worker)

    def _on_check_worker_finished(self, result: object) -> None:
        self.check_button.setEnabled(True)
        self._check_worker = None
        if isinstance(result, ConnectionCheck):
            self._show_message(self.check_label, result.message, result.ok)
        else:
            self._show_message(self.check_label, "The connection test gave no answer.", False)

    def _on_check_worker_failed(self, message: str) -> None:
        self.check_button.setEnabled(True)
        self._check_worker = None
        self._show_message(self.check_label, message, False)

    def _on_buttons_accepted(self) -> None:
        if self._save():
            self.accept()

    # -- saving --------------------------------------------------------------------------------

    def _fail(self, text: str, focus: QWidget | None = None) -> bool:
        self._show_message(self.error_label, text, False)
        if focus is not None:
            focus.setFocus()
        return False

    def _save(self) -> bool:
        """Store everything; False (with the reason shown) when something must be fixed first."""
        self.error_label.setVisible(False)
        custom_url = self.url_edit.text().strip()
        if self._env is Environment.CUSTOM and self._endpoint() is None:
            return False
        timezone = self.timezone_combo.currentText().strip()
        if not is_valid_timezone(timezone):
            return self._fail(
                f"“{timezone}” is not a time zone this computer knows. Pick one from the list, "
                "for example Europe/Berlin or America/New_York.",
                self.timezone_combo,
            )
        self._pending[self._env] = self._typed()
        for env, pair in self._pending.items():
            if pair == self._original.get(env, _EMPTY):
                continue  # unchanged
            if not self._store_pair(env, pair):
                return False

        self.preferences = dataclasses.replace(
            self.preferences,
            environment=self._env,
            custom_url=custom_url,
            timezone=timezone,
            phone_country=str(self.phone_combo.currentData()),
            hash_pii=self.hash_check.isChecked(),
        )
        try:
            save_preferences(self.preferences)
        except OSError as exc:
            return self._fail(f"The settings could not be saved: {exc.strerror or exc}.")
        return True

    def _store_pair(self, env: Environment, pair: Pair) -> bool:
        api_key, client_id = pair
        if bool(api_key) != bool(client_id):
            if env is not self._env:
                self._select_environment_radio(env)
                self._env = env
                self._show_environment(env)
                self._load_fields(env)
            return self._fail(
                f"Enter both the API key and the Data Client ID for {env.short_name}, or clear "
                "both.",
                self.client_id_edit if api_key else self.api_key_edit,
            )
        if not self._keyring_ok:
            if pair == _EMPTY:
                self.session.forget(env)
            elif self.session_only_check.isChecked():
                self.session.set(env, Credentials(api_key, client_id))
            else:
                return self._fail(
                    "The key cannot be saved on this computer. Tick “Use for this session only” "
                    "to use it until you quit.",
                    self.session_only_check,
                )
            return True
        try:
            if pair == _EMPTY:
                delete_credentials(env)
            else:
                save_credentials(env, Credentials(api_key, client_id))
        except KeyringUnavailableError as exc:
            self._set_keyring_unavailable(str(exc))
            return self._fail(
                "The key was not saved: the password store is not available. Tick “Use for "
                "this session only” and press Save again to use it until you quit."
            )
        self.session.forget(env)
        self._original[env] = pair
        return True
