"""Preferences on disk (atomic, forgiving) and credentials kept for this session only."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from northbeam_desktop.core.local import settings as settings_module
from northbeam_desktop.core.local.secrets import SANDBOX_TEST_CREDENTIALS, Credentials
from northbeam_desktop.core.local.settings import (
    Preferences,
    SessionCredentials,
    credentials_for,
    load_preferences,
    preferences_path,
    save_preferences,
    system_region,
    system_timezone,
)
from northbeam_desktop.core.northbeam.environments import Environment


def test_defaults_when_nothing_is_saved() -> None:
    prefs = load_preferences()
    assert prefs.environment is Environment.SANDBOX
    assert prefs.custom_url == ""
    assert prefs.hash_pii is False
    assert prefs.timezone == system_timezone()
    assert prefs.phone_country == system_region()


def test_round_trip(app_home: Path) -> None:
    prefs = Preferences(
        environment=Environment.CUSTOM,
        custom_url="https://proxy.example.com/v2",
        timezone="Europe/Berlin",
        hash_pii=True,
        phone_country="DE",
    )
    path = save_preferences(prefs)
    assert path == preferences_path() == app_home / "config" / "preferences.json"
    assert load_preferences() == prefs
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["environment"] == "custom"
    assert [p.name for p in path.parent.iterdir()] == ["preferences.json"]  # no temp files


def test_environment_given_as_text_is_converted() -> None:
    assert Preferences(environment="production").environment is Environment.PRODUCTION  # type: ignore[arg-type]


def test_corrupt_file_gives_defaults_and_is_kept_aside(caplog: pytest.LogCaptureFixture) -> None:
    path = preferences_path()
    path.write_text('{"environment": "production", ', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        prefs = load_preferences()
    assert prefs.environment is Environment.SANDBOX
    assert "not valid JSON" in caplog.text
    assert not path.exists()
    assert path.with_name("preferences.json.corrupt").read_text(encoding="utf-8").startswith("{")
    save_preferences(prefs)  # and saving works again afterwards
    assert load_preferences() == prefs


def test_bad_values_fall_back_one_by_one(caplog: pytest.LogCaptureFixture) -> None:
    preferences_path().write_text(
        json.dumps(
            {
                "environment": "staging",
                "timezone": "Mars/Olympus_Mons",
                "hash_pii": "yes",
                "phone_country": "gb",
                "custom_url": "https://x.example/v2",
                "something_new": 1,
            }
        ),
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING):
        prefs = load_preferences()
    assert prefs.environment is Environment.SANDBOX
    assert prefs.timezone == system_timezone()
    assert prefs.hash_pii is False
    assert prefs.phone_country == "GB"
    assert prefs.custom_url == "https://x.example/v2"
    assert "staging" in caplog.text and "Mars/Olympus_Mons" in caplog.text


def test_a_file_that_is_not_an_object_gives_defaults() -> None:
    preferences_path().write_text("[1, 2]", encoding="utf-8")
    assert load_preferences() == Preferences()


def test_failed_write_leaves_the_old_file(monkeypatch: pytest.MonkeyPatch) -> None:
    save_preferences(Preferences(timezone="Asia/Tokyo"))

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(settings_module.os, "replace", broken_replace)
        with pytest.raises(OSError):
            save_preferences(Preferences(timezone="Europe/Paris"))
    assert load_preferences().timezone == "Asia/Tokyo"
    assert [p.name for p in preferences_path().parent.iterdir()] == ["preferences.json"]


def test_system_region_reads_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings_module.locale, "getlocale", lambda: ("de_AT", "UTF-8"))
    assert system_region() == "AT"
    monkeypatch.setattr(settings_module.locale, "getlocale", lambda: (None, None))
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert system_region() == "US"


def test_session_credentials_stay_in_memory() -> None:
    session = SessionCredentials()
    creds = Credentials("session-key-123456", "client-1")
    session.set(Environment.PRODUCTION, creds)
    assert session.get("production") == creds
    assert Environment.PRODUCTION in session
    assert "session-key" not in repr(session)
    session.forget(Environment.PRODUCTION)
    assert session.get(Environment.PRODUCTION) is None


def test_credentials_for_prefers_this_sessions_key(monkeypatch: pytest.MonkeyPatch) -> None:
    session = SessionCredentials()
    creds = Credentials("session-key-123456", "client-1")
    session.set(Environment.SANDBOX, creds)
    assert credentials_for(Environment.SANDBOX, session) is creds
    # Without one, the normal order applies (here: Northbeam's public sandbox test key).
    monkeypatch.setattr(
        settings_module, "resolve_credentials", lambda env: SANDBOX_TEST_CREDENTIALS
    )
    assert credentials_for(Environment.SANDBOX, SessionCredentials()) == SANDBOX_TEST_CREDENTIALS
