"""The three groups of the Connection settings dialog, each a widget of its own: where orders
go (`EnvironmentGroup`), the API key and Data Client ID (`CredentialsGroup`) and how files are
read (`ReadingGroup`). They hold and lay out their controls; the dialog decides what the
choices mean (confirming Production, loading and storing keys, saving the preferences)."""

from __future__ import annotations

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
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.local.secrets import API_KEY_ENV_VAR, CLIENT_ID_ENV_VAR
from northbeam_desktop.core.local.settings import Preferences
from northbeam_desktop.core.northbeam.environments import (
    SANDBOX_TEST_API_KEY,
    SANDBOX_TEST_CLIENT_ID,
    Environment,
)
from northbeam_desktop.core.orders.timezones import picker_names

HASHING_EXPLANATION = (
    "Emails and phone numbers are turned into SHA-256 fingerprints on this computer, so "
    "Northbeam can match customers without receiving the addresses and numbers themselves."
)
_EXTRA_REGION_NAMES = {"AC": "Ascension Island", "TA": "Tristan da Cunha", "XK": "Kosovo"}

# A field pair as typed: (api_key, client_id).
Pair = tuple[str, str]


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


def message_label(accessible_name: str) -> QLabel:
    """A hidden, selectable label for a result or a problem (shown when there is one)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName(accessible_name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setVisible(False)
    return label


def hint(text: str) -> QLabel:
    """Quieter explanatory text under a control."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def _with_hint(field: QWidget, text: str) -> QWidget:
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 4)
    column.setSpacing(2)
    column.addWidget(field)
    column.addWidget(hint(text))
    return holder


def _indented(widget: QWidget) -> QWidget:
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(24, 0, 0, 4)
    row.addWidget(widget)
    return holder


class EnvironmentGroup(QGroupBox):
    """Sandbox, Production or a custom URL, each with what it means."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Where orders go", parent)
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
        self.url_error_label = message_label("Custom URL problem")
        # A new address hides the old address's problem.
        self.url_edit.textEdited.connect(self._on_url_edit_text_edited)

        self.buttons = QButtonGroup(self)
        for env, radio in self.radios().items():
            self.buttons.addButton(radio)
            radio.setProperty("environment", str(env))

        custom_row = QHBoxLayout()
        custom_row.addWidget(self.custom_radio)
        custom_row.addWidget(self.url_edit, 1)
        box = QVBoxLayout(self)
        box.addWidget(self.sandbox_radio)
        box.addWidget(_indented(hint("Safe to try anything: nothing reaches your live reports.")))
        box.addWidget(self.production_radio)
        box.addWidget(
            _indented(
                hint(
                    "Orders you upload are used in your live attribution reports. "
                    "You will be asked to confirm."
                )
            )
        )
        box.addLayout(custom_row)
        box.addWidget(self.url_error_label)

    def radios(self) -> dict[Environment, QRadioButton]:
        return {
            Environment.SANDBOX: self.sandbox_radio,
            Environment.PRODUCTION: self.production_radio,
            Environment.CUSTOM: self.custom_radio,
        }

    def select(self, env: Environment) -> None:
        """Check `env`'s button without announcing it as the user's click."""
        blocked = self.buttons.blockSignals(True)
        self.radios()[env].setChecked(True)
        self.buttons.blockSignals(blocked)

    def show_environment(self, env: Environment) -> None:
        self.url_edit.setEnabled(env is Environment.CUSTOM)
        self.url_error_label.setVisible(False)

    def _on_url_edit_text_edited(self, _text: str) -> None:
        self.url_error_label.setVisible(False)


class CredentialsGroup(QGroupBox):
    """The API key and Data Client ID of one environment, where they are kept, the password
    store notice, and the buttons that test, fill in or remove them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        intro = hint(
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

        self.storage_label = hint("")
        self.storage_label.setAccessibleName("Where the key is kept")
        self._build_keyring_notice()

        self.env_var_label = hint(
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
        self.check_button = QPushButton("&Test connection")
        self.check_button.setAccessibleName("Test connection")
        self.check_label = message_label("Connection test result")

        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.test_key_button)
        buttons.addStretch(1)
        buttons.addWidget(self.forget_button)

        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(self.storage_label)
        box.addWidget(self.keyring_frame)
        box.addWidget(self.env_var_label)
        box.addLayout(buttons)
        box.addWidget(self.check_label)

    def _build_keyring_notice(self) -> None:
        """The frame shown only when there is no usable password store."""
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

    def typed(self) -> Pair:
        return self.api_key_edit.text().strip(), self.client_id_edit.text().strip()

    def show_pair(self, pair: Pair, *, session_only: bool, removable: bool) -> None:
        """Fill in an environment's pair; a key kept for this session only was never saved,
        and the remove button says so."""
        api_key, client_id = pair
        self.api_key_edit.setText(api_key)
        self.client_id_edit.setText(client_id)
        self.forget_button.setText("&Forget session key" if session_only else "&Remove saved key")
        self.forget_button.setAccessibleName(
            "Forget the key kept for this session"
            if session_only
            else "Remove the saved key for this environment"
        )
        self.forget_button.setEnabled(removable)

    def show_environment(self, env: Environment) -> None:
        self.setTitle(f"API key for {env.short_name}")
        self.test_key_button.setVisible(env is Environment.SANDBOX)
        self.check_label.setVisible(False)

    def show_keyring(self, available: bool, problem: str) -> None:
        self.keyring_frame.setVisible(not available)
        self.storage_label.setVisible(available)
        if available:
            self.storage_label.setText("Kept in this computer's password store, never in a file.")
        else:
            self.keyring_label.setText(problem)

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


class ReadingGroup(QGroupBox):
    """The default time zone and phone country, and whether emails and phones are hashed."""

    def __init__(self, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__("Reading your files", parent)
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
        self.timezone_combo.setCurrentText(preferences.timezone)

        self.phone_combo = QComboBox()
        self.phone_combo.setAccessibleName("Default phone country")
        for label, code in region_choices():
            self.phone_combo.addItem(label, code)
        index = self.phone_combo.findData(preferences.phone_country)
        self.phone_combo.setCurrentIndex(max(index, 0))

        self.hash_check = QCheckBox("&Hash email and phone before sending")
        self.hash_check.setAccessibleName("Hash email and phone before sending")
        self.hash_check.setChecked(preferences.hash_pii)

        form = QFormLayout(self)
        tz_label = QLabel("Default time &zone:")
        tz_label.setBuddy(self.timezone_combo)
        form.addRow(
            tz_label,
            _with_hint(
                self.timezone_combo, "Used for dates and times in your file that have no zone."
            ),
        )
        phone_label = QLabel("Default phone cou&ntry:")
        phone_label.setBuddy(self.phone_combo)
        form.addRow(
            phone_label,
            _with_hint(self.phone_combo, "Used for phone numbers written without +country code."),
        )
        form.addRow(self.hash_check)
        form.addRow(hint(HASHING_EXPLANATION))

    def timezone(self) -> str:
        return self.timezone_combo.currentText().strip()

    def phone_country(self) -> str:
        return str(self.phone_combo.currentData())
