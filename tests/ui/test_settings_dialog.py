"""Connection settings, driven through the real dialog: keyring storage, the no-keyring path,
the Production confirmation, validation, and "Test connection" against the local stand-in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from devtools.standin import StandinServer
from northbeam_desktop.core.local import secrets
from northbeam_desktop.core.local.settings import (
    Preferences,
    SessionCredentials,
    load_preferences,
    preferences_path,
)
from northbeam_desktop.core.northbeam.environments import Environment
from northbeam_desktop.ui.dialogs.settings import PRODUCTION_WARNING, SettingsDialog
from northbeam_desktop.ui.main_window import MainWindow

API_KEY = "nb-live-5f1c0e2a9b7d4c3e8a6f"
CLIENT_ID = "3f2c9a4e-1b2d-4c5e-8f90-a1b2c3d4e5f6"


@pytest.fixture
def session() -> SessionCredentials:
    return SessionCredentials()


@pytest.fixture
def make_dialog(qtbot: QtBot, session: SessionCredentials):
    def make(prefs: Preferences | None = None) -> SettingsDialog:
        dialog = SettingsDialog(prefs or Preferences(timezone="Europe/Berlin"), session)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return make


@pytest.fixture
def standin() -> Iterator[StandinServer]:
    with StandinServer(api_key=API_KEY, client_id=CLIENT_ID) as server:
        yield server


def type_credentials(qtbot: QtBot, dialog: SettingsDialog, key: str, client_id: str) -> None:
    dialog.credentials.api_key_edit.clear()
    dialog.credentials.client_id_edit.clear()
    qtbot.keyClicks(dialog.credentials.api_key_edit, key)
    qtbot.keyClicks(dialog.credentials.client_id_edit, client_id)


def press_save(qtbot: QtBot, dialog: SettingsDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def files_under(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_key_goes_to_the_keyring_and_preferences_to_json(
    qtbot: QtBot, make_dialog, memory_keyring: Any, app_home: Path
) -> None:
    dialog = make_dialog()
    assert dialog.environment_box.sandbox_radio.isChecked()
    assert dialog.credentials.api_key_edit.echoMode() is QLineEdit.EchoMode.Password
    type_credentials(qtbot, dialog, API_KEY, CLIENT_ID)
    dialog.reading.timezone_combo.setCurrentText("America/Chicago")
    dialog.reading.phone_combo.setCurrentIndex(dialog.reading.phone_combo.findData("DE"))
    dialog.reading.hash_check.setChecked(True)
    press_save(qtbot, dialog)

    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    saved = secrets.load_credentials(Environment.SANDBOX)
    assert saved == secrets.Credentials(API_KEY, CLIENT_ID)
    prefs = load_preferences()
    assert prefs.environment is Environment.SANDBOX
    assert (prefs.timezone, prefs.phone_country, prefs.hash_pii) == ("America/Chicago", "DE", True)
    # The key is in the keyring only: no file under the app home contains it.
    for name, data in files_under(app_home).items():
        assert API_KEY.encode() not in data, name
        assert CLIENT_ID.encode() not in data, name


def test_saved_key_is_shown_masked_next_time_and_show_reveals_it(qtbot: QtBot, make_dialog) -> None:
    secrets.save_credentials(Environment.SANDBOX, secrets.Credentials(API_KEY, CLIENT_ID))
    dialog = make_dialog()
    assert dialog.credentials.api_key_edit.text() == API_KEY
    assert dialog.credentials.api_key_edit.displayText() != API_KEY
    assert dialog.credentials.forget_button.isEnabled()
    qtbot.mouseClick(dialog.credentials.show_key_button, Qt.MouseButton.LeftButton)
    assert dialog.credentials.api_key_edit.displayText() == API_KEY
    assert dialog.credentials.show_key_button.text() == "Hide"
    qtbot.mouseClick(dialog.credentials.show_key_button, Qt.MouseButton.LeftButton)
    assert dialog.credentials.api_key_edit.echoMode() is QLineEdit.EchoMode.Password


def test_each_environment_keeps_its_own_key(
    qtbot: QtBot, make_dialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: QMessageBox.StandardButton.Yes)
    dialog = make_dialog()
    type_credentials(qtbot, dialog, "sandbox-key", "sandbox-client")
    dialog.environment_box.production_radio.click()
    assert dialog.credentials.title() == "API key for Production"
    assert dialog.credentials.api_key_edit.text() == ""
    type_credentials(qtbot, dialog, API_KEY, CLIENT_ID)
    dialog.environment_box.sandbox_radio.click()
    assert dialog.credentials.api_key_edit.text() == "sandbox-key"
    dialog.environment_box.production_radio.click()
    press_save(qtbot, dialog)
    assert secrets.load_credentials(Environment.SANDBOX) == secrets.Credentials(
        "sandbox-key", "sandbox-client"
    )
    assert secrets.load_credentials(Environment.PRODUCTION) == secrets.Credentials(
        API_KEY, CLIENT_ID
    )


def test_production_needs_a_deliberate_confirmation(
    qtbot: QtBot, make_dialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    answer = QMessageBox.StandardButton.Cancel

    def fake_warning(parent, title, text, buttons, default):
        asked.append(text)
        assert default == QMessageBox.StandardButton.Cancel  # Enter does not switch
        return answer

    monkeypatch.setattr(QMessageBox, "warning", fake_warning)
    dialog = make_dialog()
    dialog.environment_box.production_radio.click()
    assert asked == [PRODUCTION_WARNING]
    assert "live attribution" in asked[0]
    assert (
        dialog.environment_box.sandbox_radio.isChecked()
        and dialog.environment is Environment.SANDBOX
    )

    answer = QMessageBox.StandardButton.Yes
    dialog.environment_box.production_radio.click()
    assert (
        dialog.environment_box.production_radio.isChecked()
        and dialog.environment is Environment.PRODUCTION
    )
    press_save(qtbot, dialog)
    assert load_preferences().environment is Environment.PRODUCTION


def test_opening_the_dialog_on_production_does_not_ask_again(
    make_dialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("asked again")

    monkeypatch.setattr(QMessageBox, "warning", fail)
    dialog = make_dialog(Preferences(environment=Environment.PRODUCTION))
    assert dialog.environment_box.production_radio.isChecked()
    dialog.environment_box.sandbox_radio.click()
    assert dialog.environment is Environment.SANDBOX


def test_no_keyring_says_so_and_keeps_the_key_for_this_session_only(
    qtbot: QtBot,
    make_dialog,
    no_keyring: object,
    memory_keyring: Any,
    session: SessionCredentials,
    app_home: Path,
) -> None:
    dialog = make_dialog()
    assert dialog.credentials.keyring_frame.isVisibleTo(dialog)
    assert not dialog.credentials.storage_label.isVisibleTo(dialog)
    assert "no password store" in dialog.credentials.keyring_label.text()
    assert dialog.credentials.session_only_check.isChecked()
    type_credentials(qtbot, dialog, API_KEY, CLIENT_ID)
    press_save(qtbot, dialog)

    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert session.get(Environment.SANDBOX) == secrets.Credentials(API_KEY, CLIENT_ID)
    assert memory_keyring.calls == []
    written = files_under(app_home)
    assert set(written) <= {str(preferences_path().relative_to(app_home))}
    for data in written.values():
        assert API_KEY.encode() not in data and CLIENT_ID.encode() not in data

    # Reopened in the same session, the key is still there.
    again = make_dialog()
    assert again.credentials.api_key_edit.text() == API_KEY


def test_no_keyring_without_session_only_keeps_nothing(
    qtbot: QtBot, make_dialog, no_keyring: object, session: SessionCredentials
) -> None:
    dialog = make_dialog()
    dialog.credentials.session_only_check.setChecked(False)
    type_credentials(qtbot, dialog, API_KEY, CLIENT_ID)
    press_save(qtbot, dialog)
    assert dialog.isVisible()
    assert "session only" in dialog.error_label.text()
    assert session.get(Environment.SANDBOX) is None


def test_a_keyring_that_fails_to_read_is_reported_when_the_dialog_opens(
    make_dialog, broken_keyring: Any
) -> None:
    dialog = make_dialog()
    assert dialog.credentials.keyring_frame.isVisibleTo(dialog)
    assert "password store" in dialog.credentials.keyring_label.text()
    assert dialog.credentials.api_key_edit.text() == ""


def test_a_keyring_that_fails_to_save_switches_to_session_only(
    qtbot: QtBot, make_dialog, broken_keyring: Any, session: SessionCredentials
) -> None:
    broken_keyring.reads_work = True
    dialog = make_dialog()
    assert not dialog.credentials.keyring_frame.isVisibleTo(dialog)
    type_credentials(qtbot, dialog, API_KEY, CLIENT_ID)
    press_save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.credentials.keyring_frame.isVisibleTo(dialog)
    assert "not saved" in dialog.error_label.text()
    press_save(qtbot, dialog)  # "Use for this session only" is ticked: saving again works
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert session.get(Environment.SANDBOX) == secrets.Credentials(API_KEY, CLIENT_ID)


def test_half_filled_credentials_are_refused(qtbot: QtBot, make_dialog) -> None:
    dialog = make_dialog()
    qtbot.keyClicks(dialog.credentials.api_key_edit, API_KEY)
    press_save(qtbot, dialog)
    assert dialog.isVisible()
    assert "Enter both" in dialog.error_label.text()
    assert secrets.load_credentials(Environment.SANDBOX) is None


def test_remove_saved_key(qtbot: QtBot, make_dialog) -> None:
    secrets.save_credentials(Environment.SANDBOX, secrets.Credentials(API_KEY, CLIENT_ID))
    dialog = make_dialog()
    qtbot.mouseClick(dialog.credentials.forget_button, Qt.MouseButton.LeftButton)
    assert secrets.load_credentials(Environment.SANDBOX) is None
    assert dialog.credentials.api_key_edit.text() == ""
    assert not dialog.credentials.forget_button.isEnabled()


def test_custom_url_is_checked_before_saving(qtbot: QtBot, make_dialog, app_home: Path) -> None:
    dialog = make_dialog()
    dialog.environment_box.custom_radio.click()
    assert dialog.environment_box.url_edit.isEnabled()
    qtbot.keyClicks(dialog.environment_box.url_edit, "http://orders.example.com/v2")
    press_save(qtbot, dialog)
    assert dialog.isVisible()
    assert "unencrypted" in dialog.environment_box.url_error_label.text()
    assert not preferences_path().exists()

    dialog.environment_box.url_edit.setText("https://proxy.example.com/v2/")
    press_save(qtbot, dialog)
    prefs = load_preferences()
    assert (prefs.environment, prefs.custom_url) == (
        Environment.CUSTOM,
        "https://proxy.example.com/v2/",
    )
    assert dialog.destination() == "proxy.example.com"


def test_unknown_time_zone_is_refused(qtbot: QtBot, make_dialog) -> None:
    dialog = make_dialog()
    dialog.reading.timezone_combo.setCurrentText("Europe/Berln")
    press_save(qtbot, dialog)
    assert dialog.isVisible()
    assert "Europe/Berln" in dialog.error_label.text()


def test_time_zone_and_phone_country_start_from_the_preferences(make_dialog) -> None:
    dialog = make_dialog(Preferences(timezone="Asia/Tokyo", phone_country="JP"))
    assert dialog.reading.timezone_combo.currentText() == "Asia/Tokyo"
    assert dialog.reading.phone_combo.currentData() == "JP"
    assert "Japan (+81)" in dialog.reading.phone_combo.currentText()
    assert dialog.reading.timezone_combo.findText("America/New_York") >= 0


def test_public_test_key_is_offered_for_sandbox_only(
    qtbot: QtBot, make_dialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: QMessageBox.StandardButton.Yes)
    dialog = make_dialog()
    qtbot.mouseClick(dialog.credentials.test_key_button, Qt.MouseButton.LeftButton)
    assert (dialog.credentials.api_key_edit.text(), dialog.credentials.client_id_edit.text()) == (
        "None",
        "test",
    )
    dialog.environment_box.production_radio.click()
    assert not dialog.credentials.test_key_button.isVisibleTo(dialog)


def _test_connection(qtbot: QtBot, dialog: SettingsDialog, base_url: str) -> str:
    dialog.environment_box.custom_radio.click()
    dialog.environment_box.url_edit.setText(base_url)
    qtbot.mouseClick(dialog.credentials.check_button, Qt.MouseButton.LeftButton)
    assert not dialog.credentials.check_button.isEnabled()  # the check runs in the background
    qtbot.waitUntil(dialog.credentials.check_button.isEnabled, timeout=15_000)
    return dialog.credentials.check_label.text()


def test_test_connection_accepts_a_good_key(
    qtbot: QtBot, make_dialog, standin: StandinServer
) -> None:
    dialog = make_dialog()
    dialog.environment_box.custom_radio.click()
    type_credentials(qtbot, dialog, API_KEY, CLIENT_ID)
    text = _test_connection(qtbot, dialog, standin.base_url)
    assert "✓" in text and "key was accepted" in text
    assert standin.orders == {}  # checking created nothing


def test_test_connection_reports_a_wrong_key(
    qtbot: QtBot, make_dialog, standin: StandinServer
) -> None:
    dialog = make_dialog()
    dialog.environment_box.custom_radio.click()
    type_credentials(qtbot, dialog, "wrong-key", CLIENT_ID)
    text = _test_connection(qtbot, dialog, standin.base_url)
    assert "✗" in text and "did not accept" in text
    assert "wrong-key" not in text


def test_test_connection_reports_an_unreachable_server(qtbot: QtBot, make_dialog) -> None:
    dialog = make_dialog()
    dialog.environment_box.custom_radio.click()
    type_credentials(qtbot, dialog, API_KEY, CLIENT_ID)
    text = _test_connection(qtbot, dialog, "http://127.0.0.1:9/v2")
    assert "✗" in text and "Could not reach" in text


def test_test_connection_needs_a_key(qtbot: QtBot, make_dialog) -> None:
    dialog = make_dialog()
    qtbot.mouseClick(dialog.credentials.check_button, Qt.MouseButton.LeftButton)
    assert "Enter the API key" in dialog.credentials.check_label.text()
    assert dialog.credentials.check_button.isEnabled()


def test_saving_from_the_main_window_updates_the_badge(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(preferences=Preferences())
    qtbot.addWidget(window)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: QMessageBox.StandardButton.Yes)

    def choose_production(dialog: SettingsDialog) -> int:
        dialog.environment_box.production_radio.click()
        dialog._on_buttons_accepted()
        return dialog.result()

    monkeypatch.setattr(SettingsDialog, "exec", choose_production)
    with qtbot.waitSignal(window.preferences_changed):
        window.settings_action.trigger()
    assert window.preferences.environment is Environment.PRODUCTION
    assert window.status_badge.text() == "PRODUCTION — live data"
    assert "Production" in window.statusBar().currentMessage()


def mnemonic(text: str) -> str | None:
    index = text.replace("&&", "").find("&")
    return text.replace("&&", "")[index + 1].lower() if index >= 0 else None


def test_keyboard_mnemonics_are_unique(make_dialog) -> None:
    dialog = make_dialog()
    texts = [w.text() for w in dialog.findChildren(QAbstractButton) + dialog.findChildren(QLabel)]
    letters = [m for m in (mnemonic(t) for t in texts if "&lt;" not in t) if m]
    assert len(letters) == len(set(letters)), letters
    assert len(letters) >= 10


def test_both_time_zone_pickers_list_the_same_zones(make_dialog) -> None:
    from northbeam_desktop.core.orders.timezones import picker_names

    dialog = make_dialog(Preferences(timezone="Asia/Tokyo"))
    combo = dialog.reading.timezone_combo
    listed = [combo.itemText(i) for i in range(combo.count())]
    assert listed == list(picker_names())  # the mapping dialog lists picker_names() too


def test_a_session_only_key_is_forgotten_not_removed(
    qtbot: QtBot, make_dialog, no_keyring: object, session: SessionCredentials
) -> None:
    dialog = make_dialog()
    assert dialog.credentials.forget_button.text() == "&Remove saved key"
    assert not dialog.credentials.forget_button.isEnabled()  # nothing saved, nothing to remove
    session.set(Environment.SANDBOX, secrets.Credentials(API_KEY, CLIENT_ID))
    again = make_dialog()
    assert again.credentials.forget_button.text() == "&Forget session key"
    assert again.credentials.forget_button.isEnabled()
    qtbot.mouseClick(again.credentials.forget_button, Qt.MouseButton.LeftButton)
    assert session.get(Environment.SANDBOX) is None
    assert "was forgotten" in again.credentials.check_label.text()


def test_the_no_keyring_notice_is_whole_after_test_connection(
    qtbot: QtBot, make_dialog, no_keyring: object, standin: StandinServer
) -> None:
    """The orange notice and the result both fit (the dialog grows; beyond the screen's height
    the groups scroll and the buttons stay in view)."""
    dialog = make_dialog()
    dialog.environment_box.custom_radio.click()
    type_credentials(qtbot, dialog, API_KEY, CLIENT_ID)
    _test_connection(qtbot, dialog, standin.base_url)
    qtbot.wait(50)
    for label in (dialog.credentials.keyring_label, dialog.credentials.check_label):
        needed = label.heightForWidth(label.width())
        assert label.height() >= needed, label.text()
    screen = dialog.screen().availableGeometry()
    assert dialog.height() <= screen.height()
    assert dialog.save_button.isVisibleTo(dialog)
    assert dialog.save_button.mapTo(dialog, dialog.save_button.rect().bottomLeft()).y() <= (
        dialog.height()
    )
