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

The three groups are widgets of their own (`settings_groups.py`); this dialog decides what the
choices mean: confirming Production, loading and storing each environment's pair, testing the
connection and saving.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QMessageBox,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.local.secrets import (
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
    EndpointError,
    Environment,
    describe_endpoint,
    resolve_endpoint,
)
from northbeam_desktop.core.orders.timezones import is_valid_timezone
from northbeam_desktop.ui.dialogs.settings_groups import (
    CredentialsGroup,
    EnvironmentGroup,
    Pair,
    ReadingGroup,
    message_label,
)
from northbeam_desktop.ui.workers import FunctionWorker, start_worker

PRODUCTION_WARNING = (
    "Orders uploaded to Production are used in your live attribution.\n\n"
    "Rehearse on Sandbox first. Switch uploads to Production?"
)
DIALOG_WIDTH = 640
_OK_COLOR = "#15803d"
_ERROR_COLOR = "#b91c1c"
_EMPTY: Pair = ("", "")


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
        self.environment_box = EnvironmentGroup()
        self.environment_box.buttons.buttonClicked.connect(self._on_environment_button_clicked)
        self.credentials = CredentialsGroup()
        self.credentials.forget_button.clicked.connect(self._on_forget_button_clicked)
        self.credentials.check_button.clicked.connect(self._on_check_button_clicked)
        self.reading = ReadingGroup(self.preferences)
        for group in (self.environment_box, self.credentials, self.reading):
            content.addWidget(group)
        self.error_label = message_label("Problems with the settings")
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

        self.environment_box.select(self._env)
        self.environment_box.url_edit.setText(preferences.custom_url)
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

    def _show_environment(self, env: Environment) -> None:
        self.environment_box.show_environment(env)
        self.credentials.show_environment(env)

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
        self.credentials.show_pair(
            self._pending.get(env, self._original[env]),
            session_only=self.session.get(env) is not None,
            removable=self._original[env] != _EMPTY,
        )

    def _set_keyring_unavailable(self, message: str) -> None:
        self._keyring_ok = False
        self._keyring_problem = message
        self._update_keyring_notice()

    def _update_keyring_notice(self) -> None:
        self.credentials.show_keyring(self._keyring_ok, self._keyring_problem)
        if self._built:
            self._fit_to_contents(grow_only=True)

    def _show_message(self, label: QLabel, text: str, ok: bool) -> None:
        color = _OK_COLOR if ok else _ERROR_COLOR
        mark = "✓" if ok else "✗"
        label.setText(f"<span style='color:{color}'>{mark}</span> {text.replace('<', '&lt;')}")
        label.setVisible(True)
        self._fit_to_contents(grow_only=True)

    # -- slots ---------------------------------------------------------------------------------

    def _on_environment_button_clicked(self, button: QRadioButton) -> None:
        env = Environment(str(button.property("environment")))
        if env is self._env:
            return
        if env is Environment.PRODUCTION and not self._confirm_production():
            self.environment_box.select(self._env)
            return
        self._pending[self._env] = self.credentials.typed()
        self._env = env
        self._show_environment(env)
        self._load_fields(env)
        url_edit = self.environment_box.url_edit
        if env is Environment.CUSTOM and not url_edit.text().strip():
            url_edit.setFocus()

    def _confirm_production(self) -> bool:
        answer = QMessageBox.warning(
            self,
            "Switch to Production?",
            PRODUCTION_WARNING,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _on_forget_button_clicked(self) -> None:
        env = self._env
        self.session.forget(env)
        if self._keyring_ok:
            try:
                delete_credentials(env)
            except KeyringUnavailableError as exc:
                self._set_keyring_unavailable(str(exc))
                return
        held = self.credentials.forget_button.text() == "&Forget session key"
        self._original[env] = _EMPTY
        self._pending.pop(env, None)
        self._load_fields(env)
        what = "forgotten" if held else "removed"
        self._show_message(
            self.credentials.check_label, f"The key for {env.short_name} was {what}.", True
        )

    def _endpoint(self) -> str | None:
        """The URL for the chosen environment, or None (with the reason shown) if unusable."""
        try:
            return resolve_endpoint(self._env, self.environment_box.url_edit.text())
        except EndpointError as exc:
            self._show_message(self.environment_box.url_error_label, str(exc), False)
            self.environment_box.url_edit.setFocus()
            return None

    def _on_check_button_clicked(self) -> None:
        base_url = self._endpoint()
        if base_url is None:
            return
        api_key, client_id = self.credentials.typed()
        check_label = self.credentials.check_label
        if not api_key or not client_id:
            self._show_message(
                check_label, "Enter the API key and the Data Client ID first.", False
            )
            return
        credentials = Credentials(api_key, client_id)
        self.credentials.check_button.setEnabled(False)
        check_label.setText(f"Checking the connection to {describe_endpoint(base_url)}…")
        check_label.setVisible(True)
        self._fit_to_contents(grow_only=True)
        worker = FunctionWorker(check_connection, base_url, credentials)
        worker.signals.finished.connect(self._on_check_worker_finished)
        worker.signals.failed.connect(self._on_check_worker_failed)
        self._check_worker = start_worker(worker)

    def _on_check_worker_finished(self, result: object) -> None:
        self.credentials.check_button.setEnabled(True)
        self._check_worker = None
        check_label = self.credentials.check_label
        if isinstance(result, ConnectionCheck):
            self._show_message(check_label, result.message, result.ok)
        else:
            self._show_message(check_label, "The connection test gave no answer.", False)

    def _on_check_worker_failed(self, message: str) -> None:
        self.credentials.check_button.setEnabled(True)
        self._check_worker = None
        self._show_message(self.credentials.check_label, message, False)

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
        custom_url = self.environment_box.url_edit.text().strip()
        if self._env is Environment.CUSTOM and self._endpoint() is None:
            return False
        timezone = self.reading.timezone()
        if not is_valid_timezone(timezone):
            return self._fail(
                f"“{timezone}” is not a time zone this computer knows. Pick one from the list, "
                "for example Europe/Berlin or America/New_York.",
                self.reading.timezone_combo,
            )
        self._pending[self._env] = self.credentials.typed()
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
            phone_country=self.reading.phone_country(),
            hash_pii=self.reading.hash_check.isChecked(),
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
                self.environment_box.select(env)
                self._env = env
                self._show_environment(env)
                self._load_fields(env)
            return self._fail(
                f"Enter both the API key and the Data Client ID for {env.short_name}, or clear "
                "both.",
                self.credentials.client_id_edit if api_key else self.credentials.api_key_edit,
            )
        if not self._keyring_ok:
            if pair == _EMPTY:
                self.session.forget(env)
            elif self.credentials.session_only_check.isChecked():
                self.session.set(env, Credentials(api_key, client_id))
            else:
                return self._fail(
                    "The key cannot be saved on this computer. Tick “Use for this session only” "
                    "to use it until you quit.",
                    self.credentials.session_only_check,
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
