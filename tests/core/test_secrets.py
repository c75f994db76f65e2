"""Credentials live in the keyring only; without one there is a clear way forward; keys never
show up in reprs or logs."""

from __future__ import annotations

import logging

import keyring
import keyring.backends.null
import pytest

from northbeam_desktop.core.local import redaction
from northbeam_desktop.core.local.secrets import (
    KEYRING_UNAVAILABLE_MESSAGE,
    SANDBOX_TEST_CREDENTIALS,
    SERVICE_NAME,
    Credentials,
    CredentialsError,
    KeyringUnavailableError,
    MissingCredentialsError,
    credentials_from_environment,
    delete_credentials,
    keyring_available,
    load_credentials,
    password_store_name,
    resolve_credentials,
    save_credentials,
)
from northbeam_desktop.core.northbeam.environments import Environment


def test_round_trip_per_environment(memory_keyring, credentials) -> None:
    assert keyring_available()
    assert load_credentials(Environment.PRODUCTION) is None

    save_credentials(Environment.PRODUCTION, credentials)
    assert memory_keyring.passwords == {
        (SERVICE_NAME, "production:api_key"): credentials.api_key,
        (SERVICE_NAME, "production:client_id"): credentials.client_id,
    }
    assert load_credentials(Environment.PRODUCTION) == credentials
    assert load_credentials(Environment.SANDBOX) is None  # environments never share keys

    replacement = Credentials("nbk_live_second_key_000000000000", "other-client")
    save_credentials("production", replacement)
    assert load_credentials("production") == replacement

    delete_credentials(Environment.PRODUCTION)
    assert load_credentials(Environment.PRODUCTION) is None
    delete_credentials(Environment.PRODUCTION)  # deleting twice is fine


def test_named_accounts_are_separate(memory_keyring, credentials) -> None:
    other = Credentials("nbk_live_shop_two_key_11111111111", "client-two")
    save_credentials(Environment.CUSTOM, credentials)
    save_credentials(Environment.CUSTOM, other, account="shop-two")
    assert load_credentials(Environment.CUSTOM) == credentials
    assert load_credentials(Environment.CUSTOM, account="shop-two") == other
    assert (SERVICE_NAME, "custom/shop-two:api_key") in memory_keyring.passwords


def test_half_saved_credentials_count_as_missing(memory_keyring) -> None:
    memory_keyring.set_password(SERVICE_NAME, "production:api_key", "nbk_only_the_key_here")
    assert load_credentials(Environment.PRODUCTION) is None


def test_blank_values_are_refused(credentials) -> None:
    with pytest.raises(MissingCredentialsError):
        save_credentials(Environment.PRODUCTION, Credentials("  ", "client"))


def test_repr_and_str_mask_the_key(credentials, secret_key) -> None:
    for text in (repr(credentials), str(credentials), f"{credentials}", f"{credentials!r}"):
        assert secret_key not in text
        assert credentials.client_id in text
    assert "None" in repr(SANDBOX_TEST_CREDENTIALS)  # the published test key is not a secret


@pytest.mark.usefixtures("no_keyring")
def test_no_keyring_backend_gives_one_actionable_error(credentials, secret_key) -> None:
    assert not keyring_available()
    for call in (
        lambda: load_credentials(Environment.PRODUCTION),
        lambda: save_credentials(Environment.PRODUCTION, credentials),
        lambda: delete_credentials(Environment.PRODUCTION),
    ):
        with pytest.raises(KeyringUnavailableError) as info:
            call()
        message = str(info.value)
        assert message == KEYRING_UNAVAILABLE_MESSAGE
        assert "NORTHBEAM_API_KEY" in message and "session only" in message
        assert secret_key not in message
        assert info.value.__cause__ is None  # the backend's own exception is not chained


def test_broken_backend_is_reported_the_same_way(broken_keyring, credentials, secret_key) -> None:
    assert keyring_available()  # a backend exists…
    with pytest.raises(KeyringUnavailableError) as info:  # …but cannot be used
        save_credentials(Environment.PRODUCTION, credentials)
    assert secret_key not in str(info.value)
    with pytest.raises(KeyringUnavailableError):
        load_credentials(Environment.PRODUCTION)
    with pytest.raises(KeyringUnavailableError):
        delete_credentials(Environment.PRODUCTION)


def test_null_backend_is_not_a_password_store() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.null.Keyring())
    try:
        assert not keyring_available()
        with pytest.raises(KeyringUnavailableError):
            load_credentials(Environment.SANDBOX)
    finally:
        keyring.set_keyring(previous)


def test_environment_variables_override_the_keyring(monkeypatch, credentials) -> None:
    save_credentials(Environment.PRODUCTION, credentials)
    monkeypatch.setenv("NORTHBEAM_API_KEY", "nbk_from_the_environment_123")
    monkeypatch.setenv("NORTHBEAM_CLIENT_ID", "env-client")
    resolved = resolve_credentials(Environment.PRODUCTION)
    assert resolved == Credentials("nbk_from_the_environment_123", "env-client")


@pytest.mark.usefixtures("no_keyring")
def test_environment_variables_work_without_a_keyring(monkeypatch) -> None:
    monkeypatch.setenv("NORTHBEAM_API_KEY", "nbk_from_the_environment_123")
    monkeypatch.setenv("NORTHBEAM_CLIENT_ID", "env-client")
    assert credentials_from_environment() == Credentials(
        "nbk_from_the_environment_123", "env-client"
    )
    assert resolve_credentials(Environment.PRODUCTION).client_id == "env-client"


def test_half_set_environment_is_an_error(monkeypatch) -> None:
    monkeypatch.setenv("NORTHBEAM_API_KEY", "nbk_from_the_environment_123")
    with pytest.raises(MissingCredentialsError, match="NORTHBEAM_CLIENT_ID is not"):
        credentials_from_environment()


def test_resolution_order(credentials) -> None:
    # Sandbox works out of the box with Northbeam's published test credentials…
    assert resolve_credentials(Environment.SANDBOX) == SANDBOX_TEST_CREDENTIALS
    assert resolve_credentials(Environment.SANDBOX).is_sandbox_test
    # …but a saved sandbox key wins over them.
    save_credentials(Environment.SANDBOX, credentials)
    assert resolve_credentials(Environment.SANDBOX) == credentials
    # Production never falls back to anything.
    with pytest.raises(
        MissingCredentialsError, match="No Northbeam API key is saved for Production"
    ):
        resolve_credentials(Environment.PRODUCTION)
    with pytest.raises(CredentialsError):
        resolve_credentials(Environment.CUSTOM)


@pytest.mark.usefixtures("no_keyring")
def test_resolution_without_keyring() -> None:
    assert resolve_credentials(Environment.SANDBOX) == SANDBOX_TEST_CREDENTIALS
    with pytest.raises(KeyringUnavailableError):
        resolve_credentials(Environment.PRODUCTION)


# -- redaction ------------------------------------------------------------------------------


def test_constructing_credentials_redacts_the_key_in_logs(debug_logs, secret_key) -> None:
    Credentials(secret_key, "client")
    assert redaction.is_installed()
    log = logging.getLogger("northbeam_desktop.test")
    log.info("key is %s", secret_key)
    log.debug(f"inline {secret_key} in the message")
    log.warning("in a dict %s", {"Authorization": secret_key})
    try:
        raise RuntimeError(f"backend said {secret_key}")
    except RuntimeError:
        log.exception("failed")
    log.info("stack", stack_info=True)

    assert secret_key not in debug_logs.text
    assert debug_logs.text.count(redaction.REDACTED) >= 4
    for record in debug_logs.records:
        assert secret_key not in record.getMessage()
        assert secret_key not in (record.exc_text or "")
        assert record.exc_info is None or secret_key not in str(record.exc_info[1])


def test_handlers_added_later_are_covered(secret_key, tmp_path) -> None:
    Credentials(secret_key, "client")
    path = tmp_path / "late.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    logger = logging.getLogger("northbeam_desktop.late")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        logger.error("Authorization: %s", secret_key)
        # A record built outside the factory (e.g. received from a socket) goes through the
        # handler filter that install_redaction() attaches.
        redaction.install_redaction()
        record = logging.makeLogRecord({"msg": f"raw {secret_key}", "levelno": logging.ERROR})
        logger.handle(record)
    finally:
        logger.removeHandler(handler)
        handler.close()
    text = path.read_text(encoding="utf-8")
    assert "Authorization: [redacted]" in text
    assert secret_key not in text


def test_published_sandbox_key_is_not_redacted(debug_logs) -> None:
    Credentials("None", "test")
    logging.getLogger("northbeam_desktop.test").info("value was None")
    assert "value was None" in debug_logs.text


def test_password_store_is_named_the_way_users_know_it(memory_keyring) -> None:
    from keyring.backends import Windows, macOS

    assert password_store_name() == f"{type(memory_keyring).__module__}.MemoryKeyring"
    previous = keyring.get_keyring()
    try:
        for backend, name in (
            (Windows.WinVaultKeyring(), "Windows Credential Manager"),
            (macOS.Keyring(), "macOS Keychain"),
        ):
            keyring.set_keyring(backend)  # only named here, never used
            assert password_store_name() == name
        keyring.set_keyring(keyring.backends.null.Keyring())
        assert password_store_name() is None
    finally:
        keyring.set_keyring(previous)


def test_no_password_store_has_no_name(no_keyring) -> None:
    assert password_store_name() is None
