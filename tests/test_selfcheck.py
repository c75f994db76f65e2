"""`--self-check`: every check passes here, and each one fails with a plain sentence when the
thing it guards is missing from a build (the failures a frozen app really has)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from northbeam_desktop import selfcheck
from northbeam_desktop.cli import main as cli
from northbeam_desktop.selfcheck import CheckFailed
from tests.conftest import MemoryKeyring

MEMORY_BACKEND = f"{MemoryKeyring.__module__}.{MemoryKeyring.__qualname__}"


def test_every_check_passes_in_a_working_install(
    qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    if selfcheck._platform_key() != "linux":
        # The tests' in-memory keyring stands in for Credential Manager / Keychain there (the
        # real ones are checked by the release workflow's self-check of each frozen build).
        monkeypatch.setitem(
            selfcheck.NATIVE_KEYRING_BACKENDS, selfcheck._platform_key(), MEMORY_BACKEND
        )
    results = selfcheck.run_checks()
    assert [result.name for result in results] == [name for name, _ in selfcheck.CHECKS]
    failed = {result.name: result.detail for result in results if not result.ok}
    assert failed == {}
    details = {result.name: result.detail for result in results}
    assert "platform plugin" in details["Qt"] and "8 of 8 sizes" in details["Qt"]
    assert details["sample file"] == (
        "sample_orders.csv: 3 rows, 2 orders, 2 valid, 2 ready to send"
    )
    assert details["template"].endswith("1 order, 1 valid, 1 ready to send")
    assert "America/New_York is UTC-5" in details["time zones"]


def test_main_prints_one_line_per_check_and_fails_when_one_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def missing_icon() -> str:
        raise CheckFailed("the app icon files are missing from resources/")

    def crashing() -> str:
        raise OSError("disk on fire")

    monkeypatch.setattr(
        selfcheck,
        "CHECKS",
        (("app", selfcheck.check_python), ("Qt", missing_icon), ("odd", crashing)),
    )
    assert selfcheck.main() == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("ok    app: Northbeam Desktop")
    assert lines[1] == "FAIL  Qt: the app icon files are missing from resources/"
    assert lines[2] == "FAIL  odd: OSError: disk on fire"
    assert lines[3] == "Self-check failed: Qt, odd."


def test_keyring_check_fails_when_the_platform_backend_was_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What PyInstaller does to keyring when nobody lists its backends.
    monkeypatch.setitem(
        selfcheck.NATIVE_KEYRING_BACKENDS, "linux", "keyring.backends.NotBundled.Keyring"
    )
    monkeypatch.setattr(selfcheck, "_platform_key", lambda: "linux")
    with pytest.raises(CheckFailed, match=r"NotBundled\.Keyring is not in this build"):
        selfcheck.check_keyring()


def test_keyring_check_on_linux_needs_the_secret_service_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(selfcheck, "_platform_key", lambda: "linux")
    assert "SecretService.Keyring is included" in selfcheck.check_keyring()
    monkeypatch.setitem(sys.modules, "secretstorage", None)  # import now fails
    with pytest.raises(CheckFailed, match="secretstorage"):
        selfcheck.check_keyring()


def test_keyring_check_on_windows_needs_a_working_credential_manager(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # On this Linux machine the Windows backend imports but cannot be used: exactly what a
    # Windows build without pywin32-ctypes would report.
    monkeypatch.setattr(selfcheck, "_platform_key", lambda: "win32")
    with pytest.raises(CheckFailed, match="WinVaultKeyring cannot be used"):
        selfcheck.check_keyring()


def test_keyring_check_fails_when_keyring_picked_another_store(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The macOS case with a stand-in for the Keychain: the native backend is usable, so the
    # one in use must be it; a build that lost keyring's entry points picks something else.
    monkeypatch.setattr(selfcheck, "_platform_key", lambda: "darwin")
    monkeypatch.setitem(selfcheck.NATIVE_KEYRING_BACKENDS, "darwin", MEMORY_BACKEND)
    assert selfcheck.check_keyring() == MEMORY_BACKEND
    monkeypatch.setitem(
        selfcheck.NATIVE_KEYRING_BACKENDS, "darwin", "keyring.backends.null.Keyring"
    )
    with pytest.raises(CheckFailed, match=f"keyring picked {re.escape(MEMORY_BACKEND)} instead of"):
        selfcheck.check_keyring()


def test_the_installed_app_has_no_standin_command(capsys: pytest.CaptureFixture[str]) -> None:
    # The stand-in is a developer tool (`python -m devtools.standin`) outside the shipped package.
    assert cli.main(["standin", "--port", "0"]) == cli.EXIT_CANNOT_RUN
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "invalid choice: 'standin'" in captured.err


def test_the_shipped_package_never_imports_the_developer_tools() -> None:
    package = Path(selfcheck.__file__).resolve().parent
    users = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if re.search(r"^\s*(from|import) devtools", path.read_text(encoding="utf-8"), re.M)
    ]
    assert users == []
