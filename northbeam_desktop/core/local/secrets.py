"""API keys and Data-Client-IDs, kept in the operating system's password store and nowhere else.

This is the only module that imports `keyring` (enforced by tests/core/test_no_qt.py). Every
keyring failure becomes one `KeyringUnavailableError` whose message tells a shop owner what to do;
there is deliberately no plaintext fallback file. For automation, `NORTHBEAM_API_KEY` and
`NORTHBEAM_CLIENT_ID` override the keyring.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

import keyring
import keyring.backend
import keyring.errors

from northbeam_desktop.core.local.redaction import register_secret
from northbeam_desktop.core.northbeam.environments import (
    SANDBOX_TEST_API_KEY,
    SANDBOX_TEST_CLIENT_ID,
    Environment,
)

log = logging.getLogger(__name__)

SERVICE_NAME = "northbeam-desktop"
API_KEY_ENV_VAR = "NORTHBEAM_API_KEY"
CLIENT_ID_ENV_VAR = "NORTHBEAM_CLIENT_ID"

KEYRING_UNAVAILABLE_MESSAGE = (
    "This computer has no password store (keyring) that Northbeam Desktop can use. "
    "Use the key for this session only, or set NORTHBEAM_API_KEY and NORTHBEAM_CLIENT_ID."
)
KEYRING_LOCKED_MESSAGE = (
    "The computer's password store is locked, so the saved Northbeam key cannot be read. "
    "Unlock it and try again, use the key for this session only, or set NORTHBEAM_API_KEY "
    "and NORTHBEAM_CLIENT_ID."
)

# Backends that "work" but protect nothing: keyring's null backend silently forgets, and the
# keyrings.alt file backends write the key to disk in plain or trivially encoded text.
_REFUSED_BACKENDS = frozenset(
    {
        "keyring.backends.fail.Keyring",
        "keyring.backends.null.Keyring",
        "keyrings.alt.file.PlaintextKeyring",
        "keyrings.alt.file.EncryptedKeyring",
        "keyrings.alt.Gnome.Keyring",
        "keyrings.alt.Google.DocsKeyring",
        "keyrings.alt.pyfs.PlaintextKeyring",
        "keyrings.alt.pyfs.EncryptedKeyring",
        "keyrings.alt.Windows.RegistryKeyring",
        "keyrings.alt.multi.MultipartKeyringWrapper",
    }
)


class CredentialsError(Exception):
    """Base for credential problems; `str(err)` is a message for a shop owner."""


class KeyringUnavailableError(CredentialsError):
    """No usable password store. The message never contains a key."""

    def __init__(self, message: str = KEYRING_UNAVAILABLE_MESSAGE) -> None:
        super().__init__(message)


class MissingCredentialsError(CredentialsError):
    """No key is saved for the chosen environment and none is given in the environment."""


@dataclass(frozen=True, slots=True)
class Credentials:
    """An API key and the account's Data-Client-ID.

    Constructing one registers the key with the log redaction, so it can never be printed by a
    logger, and `repr()` masks it so it cannot leak through an f-string or a traceback either.
    """

    api_key: str
    client_id: str

    def __post_init__(self) -> None:
        # The published UAT key is the literal word "None": public, and redacting every "None"
        # in the logs would only make them unreadable.
        if self.api_key != SANDBOX_TEST_API_KEY:
            register_secret(self.api_key)

    def __repr__(self) -> str:
        shown = "'None' (published sandbox test key)" if self.is_sandbox_test else "<hidden>"
        return f"Credentials(api_key={shown}, client_id={self.client_id!r})"

    __str__ = __repr__

    @property
    def is_sandbox_test(self) -> bool:
        return self.api_key == SANDBOX_TEST_API_KEY and self.client_id == SANDBOX_TEST_CLIENT_ID


SANDBOX_TEST_CREDENTIALS = Credentials(SANDBOX_TEST_API_KEY, SANDBOX_TEST_CLIENT_ID)


def _usernames(env: Environment | str, account: str) -> tuple[str, str]:
    env = Environment(env)
    prefix = str(env) if account == "default" else f"{env}/{account}"
    return f"{prefix}:api_key", f"{prefix}:client_id"


def _backend_name(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _usable_backend() -> keyring.backend.KeyringBackend:
    """The active keyring backend, or KeyringUnavailableError if it would not protect a key."""
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # backend discovery can fail in many platform-specific ways
        log.debug("keyring backend discovery failed: %s", type(exc).__name__)
        raise KeyringUnavailableError() from None
    name = _backend_name(backend)
    if name in _REFUSED_BACKENDS:
        log.debug("keyring backend %s refused", name)
        raise KeyringUnavailableError()
    # The chainer is what keyring picks when several backends exist; with none to chain it
    # behaves like the fail backend.
    chained = getattr(backend, "backends", None)
    if name == "keyring.backends.chainer.ChainerBackend":
        usable = [b for b in (chained or []) if _backend_name(b) not in _REFUSED_BACKENDS]
        if not usable:
            raise KeyringUnavailableError()
    return backend


def _keyring_failure(exc: BaseException) -> KeyringUnavailableError:
    # Only the type is logged: backend messages are not ours and could echo arguments.
    log.debug("keyring operation failed: %s", type(exc).__name__)
    if isinstance(exc, keyring.errors.KeyringLocked):
        return KeyringUnavailableError(KEYRING_LOCKED_MESSAGE)
    return KeyringUnavailableError()


def describe_backend() -> str:
    """The password store in use, for `--self-check` and support (never any secret)."""
    try:
        backend = _usable_backend()
    except KeyringUnavailableError:
        try:
            name = _backend_name(keyring.get_keyring())
        except Exception:  # discovery itself failed; say so instead of raising
            name = "none found"
        return f"{name} (not usable: no password store on this computer)"
    return _backend_name(backend)


# What each keyring backend is called where users meet it.
_STORE_NAMES = {
    "keyring.backends.Windows": "Windows Credential Manager",
    "keyring.backends.macOS": "macOS Keychain",
    "keyring.backends.SecretService": "Secret Service (GNOME Keyring, KeePassXC…)",
    "keyring.backends.libsecret": "Secret Service (libsecret)",
    "keyring.backends.kwallet": "KDE Wallet",
}


def password_store_name() -> str | None:
    """The password store keys are kept in, in the words its users know (None when there is
    no usable one). For Help → About; `describe_backend` is the technical form."""
    try:
        backend = _usable_backend()
    except KeyringUnavailableError:
        return None
    chained = getattr(backend, "backends", None)
    if chained:  # the chainer: name the store it tries first
        backend = max(chained, key=lambda b: getattr(b, "priority", 0))
    module = type(backend).__module__
    return _STORE_NAMES.get(module, _backend_name(backend))


def keyring_available() -> bool:
    """True when a real password store is there (it may still be locked)."""
    try:
        _usable_backend()
    except KeyringUnavailableError:
        return False
    return True


def load_credentials(env: Environment | str, account: str = "default") -> Credentials | None:
    """The saved credentials for `env`, or None when nothing (or only half) is saved."""
    backend = _usable_backend()
    key_name, client_name = _usernames(env, account)
    try:
        api_key = backend.get_password(SERVICE_NAME, key_name)
        client_id = backend.get_password(SERVICE_NAME, client_name)
    except Exception as exc:  # any backend failure, incl. keyring.errors.KeyringError
        raise _keyring_failure(exc) from None
    if not api_key or not client_id:
        return None
    return Credentials(api_key, client_id)


def save_credentials(env: Environment | str, creds: Credentials, account: str = "default") -> None:
    """Store (or replace) the credentials for `env` in the password store."""
    if not creds.api_key.strip() or not creds.client_id.strip():
        raise MissingCredentialsError("Enter both the API key and the Data Client ID.")
    backend = _usable_backend()
    key_name, client_name = _usernames(env, account)
    try:
        # Client ID first: if the second write fails, no key is left without its client ID.
        backend.set_password(SERVICE_NAME, client_name, creds.client_id)
        backend.set_password(SERVICE_NAME, key_name, creds.api_key)
    except Exception as exc:
        raise _keyring_failure(exc) from None


def delete_credentials(env: Environment | str, account: str = "default") -> None:
    """Forget the saved credentials for `env`; deleting what is not there is not an error."""
    backend = _usable_backend()
    for username in _usernames(env, account):
        try:
            backend.delete_password(SERVICE_NAME, username)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing saved under that name
        except Exception as exc:
            raise _keyring_failure(exc) from None


def credentials_from_environment() -> Credentials | None:
    """Credentials from NORTHBEAM_API_KEY / NORTHBEAM_CLIENT_ID, or None when neither is set.

    Setting only one of the two is almost certainly a mistake in a script, so it is reported
    rather than silently falling back to the keyring.
    """
    api_key = os.environ.get(API_KEY_ENV_VAR, "").strip()
    client_id = os.environ.get(CLIENT_ID_ENV_VAR, "").strip()
    if api_key and client_id:
        return Credentials(api_key, client_id)
    if api_key or client_id:
        missing = CLIENT_ID_ENV_VAR if api_key else API_KEY_ENV_VAR
        present = API_KEY_ENV_VAR if api_key else CLIENT_ID_ENV_VAR
        raise MissingCredentialsError(f"{present} is set but {missing} is not; set both.")
    return None


def resolve_credentials(env: Environment | str, account: str = "default") -> Credentials:
    """The credentials to use for `env`: environment variables, then the keyring, then (for the
    sandbox only) Northbeam's published test credentials."""
    env = Environment(env)
    from_env = credentials_from_environment()
    if from_env is not None:
        return from_env
    try:
        saved = load_credentials(env, account)
    except KeyringUnavailableError:
        if env is Environment.SANDBOX:
            return SANDBOX_TEST_CREDENTIALS
        raise
    if saved is not None:
        return saved
    if env is Environment.SANDBOX:
        return SANDBOX_TEST_CREDENTIALS
    raise MissingCredentialsError(
        f"No Northbeam API key is saved for {env.short_name}. Add the API key and Data Client ID "
        "(Northbeam dashboard → Settings → API Keys), or set NORTHBEAM_API_KEY and "
        "NORTHBEAM_CLIENT_ID."
    )
