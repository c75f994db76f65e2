"""`northbeam-desktop --self-check`: prove that this build of the app works on this computer.

A frozen app (PyInstaller) starts fine and fails later when something loaded by name was left
out of the bundle: keyring finds its password-store backends through package metadata, zoneinfo
reads the time-zone database as package data (Windows has no system copy), phonenumbers imports
one metadata module per country, requests needs its certificate file, calamine is a compiled
module, the icon and the sample file are data files. Each check below touches one of those the
way the app does, prints one line, and the command exits 0 only when every check passed.

The release workflow runs this on every frozen build; a user can run it for support (it prints
no secret and changes nothing: the template is written to a temporary folder).
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from northbeam_desktop import APP_NAME, __version__


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


class CheckFailed(Exception):
    """A check's own failure, with a sentence saying what is missing."""


# The password store each platform always has, and the keyring backend that speaks to it.
NATIVE_KEYRING_BACKENDS = {
    "win32": "keyring.backends.Windows.WinVaultKeyring",
    "darwin": "keyring.backends.macOS.Keyring",
    "linux": "keyring.backends.SecretService.Keyring",
}


def _platform_key() -> str:
    return "linux" if sys.platform.startswith("linux") else sys.platform


def check_python() -> str:
    build = "frozen build" if getattr(sys, "frozen", False) else "run from source"
    return (
        f"{APP_NAME} {__version__}, Python {platform.python_version()} on "
        f"{platform.system()} {platform.machine()} ({build})"
    )


def check_qt() -> str:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        # A CI runner or server has no screen; Qt would abort instead of answering.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import PySide6
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QApplication

    from northbeam_desktop.ui import main_window  # noqa: F401  (every screen's module loads)
    from northbeam_desktop.ui.app import ICON_SIZES, app_icon

    # Held in a name so the application lives until the check ends.
    _app = QApplication.instance() or QApplication(["northbeam-desktop-self-check"])
    platform = QApplication.platformName()
    icon = app_icon()
    sizes = icon.availableSizes()
    if icon.isNull() or not sizes:
        raise CheckFailed("the app icon files are missing from resources/")
    return (
        f"Qt {qVersion()} (PySide6 {PySide6.__version__}), platform plugin "
        f"“{platform}”, app icon in {len(sizes)} of {len(ICON_SIZES)} sizes"
    )


def check_keyring() -> str:
    import importlib

    from northbeam_desktop.core.local import secrets

    in_use = secrets.describe_backend()
    native = NATIVE_KEYRING_BACKENDS.get(_platform_key())
    if native is None:
        return f"{in_use} (no native password store is known for {sys.platform})"
    module_name, class_name = native.rsplit(".", 1)
    try:
        backend_class = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as error:
        raise CheckFailed(f"{native} is not in this build ({error.__class__.__name__})") from None
    if _platform_key() == "linux":
        # The Secret Service runs only in a desktop session; a server or CI runner has none and
        # the app then offers session-only use. What must be in the build is its client library.
        try:
            importlib.import_module("secretstorage")
        except ImportError:
            raise CheckFailed(
                "secretstorage (the Secret Service client) is not in this build"
            ) from None
        return f"{in_use}; {native} is included"
    try:
        backend_class.priority  # noqa: B018  (raises when the store cannot be used here)
    except Exception as error:
        raise CheckFailed(f"{native} cannot be used: {error.__class__.__name__}") from None
    if not in_use.startswith(native):
        raise CheckFailed(f"keyring picked {in_use} instead of {native}")
    return in_use


def check_time_zones() -> str:
    import datetime as dt
    import zoneinfo
    from importlib import resources

    # Read the zone from the bundled tzdata package itself: on Linux and macOS zoneinfo would
    # quietly use the system's copy and hide a bundle without one (Windows has none).
    source = resources.files("tzdata").joinpath("zoneinfo", "America", "New_York")
    with source.open("rb") as data:
        new_york = zoneinfo.ZoneInfo.from_file(data, key="America/New_York")
    offset = dt.datetime(2026, 1, 15, 12, tzinfo=new_york).utcoffset()
    if offset != dt.timedelta(hours=-5):
        raise CheckFailed(f"America/New_York is {offset} from UTC in January, not -5 hours")
    import tzdata  # type: ignore[import-untyped]  # ships no type hints

    return f"tzdata {tzdata.IANA_VERSION} is included (America/New_York is UTC-5 in January)"


def check_phone_numbers() -> str:
    from northbeam_desktop.core.orders.hashing import normalize_phone

    german = normalize_phone("030 901820", default_region="DE")
    british = normalize_phone("+44 20 7946 0958")
    if (german, british) != ("+4930901820", "+442079460958"):
        raise CheckFailed(f"phone numbers came out as {german} and {british}")
    return "German and British numbers normalised to +4930901820 and +442079460958"


def check_certificates() -> str:
    import requests.certs

    bundle = Path(requests.certs.where())
    if not bundle.is_file() or bundle.stat().st_size < 10_000:
        raise CheckFailed(f"the HTTPS certificate file {bundle.name} is missing")
    return f"{bundle.name}, {bundle.stat().st_size // 1024} KB"


def _check_orders(path: Path, what: str) -> str:
    from northbeam_desktop.core.orders.document import LoadOptions, load_document

    document = load_document(path, LoadOptions(timezone="UTC"))
    summary = document.summary()
    if not summary["orders"] or summary["valid_orders"] != summary["orders"]:
        raise CheckFailed(
            f"{what}: {summary['valid_orders']} of {summary['orders']} orders are valid"
        )
    payloads = document.payloads(document.orders)
    return (
        f"{path.name}: {_count(summary['rows'], 'row')}, {_count(summary['orders'], 'order')}, "
        f"{summary['valid_orders']} valid, {len(payloads)} ready to send"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def check_sample_file() -> str:
    from northbeam_desktop.resources import data_path

    return _check_orders(data_path("sample_orders.csv"), "sample")


def check_template() -> str:
    from northbeam_desktop.core.files.template import write_template

    with tempfile.TemporaryDirectory(prefix="northbeam-self-check-") as folder:
        path = write_template(Path(folder) / "Northbeam order template.xlsx")
        return _check_orders(path, "template")


CHECKS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("app", check_python),
    ("Qt", check_qt),
    ("keyring", check_keyring),
    ("time zones", check_time_zones),
    ("phone numbers", check_phone_numbers),
    ("certificates", check_certificates),
    ("sample file", check_sample_file),
    ("template", check_template),
)


def run_checks() -> list[CheckResult]:
    results = []
    for name, check in CHECKS:
        try:
            results.append(CheckResult(name, True, check()))
        except CheckFailed as failure:
            results.append(CheckResult(name, False, str(failure)))
        except Exception as error:  # a diagnostic reports every failure, it never crashes
            results.append(CheckResult(name, False, f"{error.__class__.__name__}: {error}"))
    return results


def main() -> int:
    """Print one line per check; 0 when all passed, 1 otherwise."""
    results = run_checks()
    for result in results:
        print(f"{'ok  ' if result.ok else 'FAIL'}  {result.name}: {result.detail}", flush=True)
    failed = [result.name for result in results if not result.ok]
    if failed:
        print(f"Self-check failed: {', '.join(failed)}.")
        return 1
    print(f"Self-check passed: all {len(results)} checks.")
    return 0
