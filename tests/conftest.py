"""Shared test setup: Qt runs offscreen, every test gets its own app home folder and an
in-memory keyring (never the developer's real password store), with fixtures for the
no-keyring and broken-keyring cases.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
import pytest

from northbeam_desktop.core.local.appdirs import HOME_ENV_VAR


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A password store that lives in a dict and remembers every call."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}
        self.calls: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.calls.append("get")
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append("set")
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.calls.append("delete")
        if (service, username) not in self.passwords:
            raise keyring.errors.PasswordDeleteError(username)
        del self.passwords[(service, username)]


class BrokenKeyring(keyring.backend.KeyringBackend):
    """A backend that looks usable but fails when used, like a Secret Service that cannot
    unlock. Set `reads_work` to make only writes fail (reads then find nothing).
    """

    priority = 1  # type: ignore[assignment]
    reads_work = False

    def get_password(self, service: str, username: str) -> str | None:
        if self.reads_work:
            return None
        raise keyring.errors.InitError("Failed to unlock the collection")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("Failed to unlock the collection")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringError("the password store is not answering")


@pytest.fixture(autouse=True)
def app_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder that holds every file the app writes during the test (outside tmp_path, so
    tests that list their own folder see only their own files)."""
    home = tmp_path_factory.mktemp("northbeam-home")
    monkeypatch.setenv(HOME_ENV_VAR, str(home))
    for name in ("NORTHBEAM_API_KEY", "NORTHBEAM_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    return home


def _install(backend: keyring.backend.KeyringBackend) -> Iterator[keyring.backend.KeyringBackend]:
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    yield from _install(backend)  # type: ignore[misc]


@pytest.fixture
def no_keyring(memory_keyring: MemoryKeyring) -> Iterator[keyring.backend.KeyringBackend]:
    """No password store at all (keyring's fail backend, as on a bare Linux box)."""
    yield from _install(keyring.backends.fail.Keyring())


@pytest.fixture
def broken_keyring(memory_keyring: MemoryKeyring) -> Iterator[BrokenKeyring]:
    """A password store that is there but fails when used."""
    yield from _install(BrokenKeyring())  # type: ignore[misc]
