"""The user's preferences (no secrets) and the credentials kept for this session only.

`Preferences` is a small typed dataclass saved as JSON in the app's config folder
(`app_dirs().config / "preferences.json"`). Writes are atomic and private to the user
(`core/files/atomic.py`), so a crash never leaves half a file. Reading is forgiving: a missing
file gives the defaults; a corrupt file gives the defaults, is kept aside as
`preferences.json.corrupt` and is logged; a single bad value falls back to its default.

API keys never appear here: they live in the OS keyring (`core/local/secrets.py`) or, when there is no
keyring and the user agrees, in a `SessionCredentials` holder that exists only in memory.
"""

from __future__ import annotations

import contextlib
import json
import locale
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import phonenumbers

from northbeam_desktop.core.files.atomic import write_bytes_atomically
from northbeam_desktop.core.local.appdirs import app_dirs
from northbeam_desktop.core.local.secrets import Credentials, resolve_credentials
from northbeam_desktop.core.northbeam.environments import DEFAULT_ENVIRONMENT, Environment
from northbeam_desktop.core.orders.timezones import (  # the zone helpers' one home
    is_valid_timezone,
    system_timezone,
)

log = logging.getLogger(__name__)

PREFERENCES_FILE = "preferences.json"
FALLBACK_REGION = "US"


def is_valid_region(code: str) -> bool:
    """True for a region phonenumbers knows how to dial, such as "US" or "DE"."""
    return code in phonenumbers.SUPPORTED_REGIONS


def system_region() -> str:
    """The computer's region from its locale ("en_US" → "US"), or US when there is none."""
    candidates: list[str | None] = []
    with contextlib.suppress(ValueError):
        candidates.append(locale.getlocale()[0])
    candidates.extend(os.environ.get(name) for name in ("LC_ALL", "LC_CTYPE", "LANG"))
    for value in candidates:
        if not value:
            continue
        tag = value.split(".")[0].replace("-", "_")
        parts = tag.split("_")
        if len(parts) >= 2 and is_valid_region(parts[-1].upper()):
            return parts[-1].upper()
    return FALLBACK_REGION


@dataclass(slots=True)
class Preferences:
    """Everything the user chooses in Connection settings except the key and client ID.

    `timezone` is used for dates and times that carry no zone of their own; `phone_country` is
    the region assumed for phone numbers typed without a country code.
    """

    environment: Environment = DEFAULT_ENVIRONMENT
    custom_url: str = ""
    timezone: str = field(default_factory=system_timezone)
    hash_pii: bool = False
    phone_country: str = field(default_factory=system_region)

    def __post_init__(self) -> None:
        self.environment = Environment(self.environment)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["environment"] = str(self.environment)
        return data

    @classmethod
    def from_json(cls, data: object) -> Preferences:
        """Preferences from parsed JSON; unknown keys are ignored, bad values use defaults."""
        prefs = cls()
        if not isinstance(data, dict):
            log.warning("Preferences file does not hold an object; using the defaults.")
            return prefs
        for spec in fields(cls):
            if spec.name not in data:
                continue
            raw = data[spec.name]
            value = _checked(spec.name, raw)
            if value is None:
                log.warning("Ignoring the saved %s %r: not a valid value.", spec.name, raw)
                continue
            setattr(prefs, spec.name, value)
        return prefs


def _checked(name: str, raw: object) -> object | None:
    """`raw` converted to the type of preference `name`, or None if it is not acceptable."""
    if name == "environment":
        try:
            return Environment(str(raw))
        except ValueError:
            return None
    if name == "custom_url":
        return raw if isinstance(raw, str) else None
    if name == "timezone":
        return raw if isinstance(raw, str) and is_valid_timezone(raw) else None
    if name == "hash_pii":
        return raw if isinstance(raw, bool) else None
    if name == "phone_country":
        return raw.upper() if isinstance(raw, str) and is_valid_region(raw.upper()) else None
    return None


def preferences_path() -> Path:
    return app_dirs().config / PREFERENCES_FILE


def load_preferences(path: Path | None = None) -> Preferences:
    """The saved preferences, or the defaults when there are none or the file is unreadable."""
    path = path or preferences_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Preferences()
    except OSError as exc:
        log.warning("Could not read %s (%s); using the default preferences.", path, exc)
        return Preferences()
    try:
        data = json.loads(text)
    except ValueError as exc:
        aside = path.with_name(path.name + ".corrupt")
        log.warning(
            "%s is not valid JSON (%s); using the default preferences. The file was kept as %s.",
            path,
            exc,
            aside.name,
        )
        with contextlib.suppress(OSError):
            os.replace(path, aside)
        return Preferences()
    return Preferences.from_json(data)


def save_preferences(prefs: Preferences, path: Path | None = None) -> Path:
    """Write `prefs` atomically; returns the file written."""
    path = path or preferences_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(prefs.to_json(), indent=2, sort_keys=True) + "\n"
    write_bytes_atomically(path, text.encode("utf-8"), private=True)
    return path


class SessionCredentials:
    """Credentials the user chose to use "for this session only".

    Held in memory for the life of the process and never written anywhere: no file, no
    keyring, no log (constructing `Credentials` registers the key for log redaction).
    """

    def __init__(self) -> None:
        self._by_env: dict[Environment, Credentials] = {}

    def get(self, env: Environment | str) -> Credentials | None:
        return self._by_env.get(Environment(env))

    def set(self, env: Environment | str, creds: Credentials) -> None:
        self._by_env[Environment(env)] = creds

    def forget(self, env: Environment | str) -> None:
        self._by_env.pop(Environment(env), None)

    def clear(self) -> None:
        self._by_env.clear()

    def __contains__(self, env: object) -> bool:
        try:
            return Environment(str(env)) in self._by_env
        except ValueError:
            return False

    def __repr__(self) -> str:
        return f"SessionCredentials(environments={sorted(str(env) for env in self._by_env)})"


def credentials_for(
    env: Environment | str, session: SessionCredentials | None = None
) -> Credentials:
    """The credentials an upload to `env` uses: this session's, else `secrets.resolve_credentials`
    (environment variables, the keyring, then Northbeam's public test key for Sandbox).

    Raises `secrets.CredentialsError` subclasses with a message for the user.
    """
    if session is not None:
        held = session.get(env)
        if held is not None:
            return held
    return resolve_credentials(env)
