"""The one atomic write: all or nothing, the right permissions, and no temporary files left behind
by a save that was killed (they are removed by the next write to the folder, or when a file
from that folder is opened)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from northbeam_desktop.core.files.atomic import (
    LEFTOVER_NAME,
    remove_leftovers,
    write_atomically,
    write_bytes_atomically,
)
from northbeam_desktop.core.files.save import save_sheet
from northbeam_desktop.core.local.settings import Preferences, save_preferences
from northbeam_desktop.core.orders.mapping import auto_map, save_preset
from northbeam_desktop.core.orders.readers import read_file
from tests.core import orderfiles

POSIX = os.name == "posix"
# What interrupted saves leave: this version's temporary file, and an older version's pair.
LEFTOVERS = [
    ".~orders.k2j4x9_a.tmp.xlsx",
    ".~orders (corrected).0a1b2c3d.tmp.xlsx",
    ".~orders.qwertyui.tmp.xlsx.rows",
    ".~preferences.abcdefgh.tmp.json",
]
# Files that look alike but are someone else's: never touched.
OTHERS = [
    ".~lock.orders.xlsx#",  # LibreOffice's lock file
    "~$orders.xlsx",  # Excel's owner file
    "orders.tmp.xlsx",
    ".~orders.xlsx",
    ".~orders.short.tmp.xlsx",
    "notes.txt",
]


def test_the_names_of_leftovers_and_of_other_files() -> None:
    assert all(LEFTOVER_NAME.fullmatch(name) for name in LEFTOVERS)
    assert not any(LEFTOVER_NAME.fullmatch(name) for name in OTHERS)


def test_a_write_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")

    write_bytes_atomically(target, b"new")

    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")

    def half(tmp: Path) -> None:
        tmp.write_bytes(b"ne")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_atomically(target, half)

    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_permissions_kept_or_private(tmp_path: Path) -> None:
    shared = tmp_path / "orders.csv"
    shared.write_bytes(b"a")
    shared.chmod(0o640)
    write_bytes_atomically(shared, b"b")
    assert shared.stat().st_mode & 0o777 == 0o640

    secret = tmp_path / "journal.json"
    write_bytes_atomically(secret, b"{}", private=True)
    assert secret.stat().st_mode & 0o777 == 0o600


def test_settings_and_presets_are_written_atomically_and_privately(tmp_path: Path) -> None:
    (tmp_path / LEFTOVERS[3]).write_bytes(b"{")

    prefs = save_preferences(Preferences(timezone="UTC"), tmp_path / "preferences.json")
    preset = tmp_path / "preset.json"
    save_preset(preset, auto_map(["Order ID"]), ["Order ID"])

    assert sorted(p.name for p in tmp_path.iterdir()) == ["preferences.json", "preset.json"]
    if POSIX:
        assert prefs.stat().st_mode & 0o777 == 0o600
        assert preset.stat().st_mode & 0o777 == 0o600


def test_the_next_save_removes_what_a_killed_save_left(tmp_path: Path) -> None:
    path = orderfiles.template_clean(tmp_path)
    for name in LEFTOVERS + OTHERS:
        (tmp_path / name).write_bytes(b"x" * 100)

    save_sheet(read_file(path), path)

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, *OTHERS])


@pytest.mark.skipif(not POSIX, reason="Windows refuses to delete a file that is open instead")
def test_a_temporary_file_in_use_is_left_alone(tmp_path: Path) -> None:
    import fcntl

    busy = tmp_path / LEFTOVERS[0]
    busy.write_bytes(b"half")
    with open(busy, "rb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running save does
        assert remove_leftovers(tmp_path) == []
        assert busy.exists()
    assert remove_leftovers(tmp_path) == [busy.name]
    assert not busy.exists()


# A separate process that saves every row of a workbook changed, so the save runs long enough
# to be killed in the middle.
_SAVER = textwrap.dedent(
    """
    import sys
    from northbeam_desktop.core.files.save import save_sheet
    from northbeam_desktop.core.orders.readers import read_file

    sheet = read_file(sys.argv[1])
    column = sheet.headers.index("currency")
    for row in sheet.rows:
        row[column] = "EUR"
    save_sheet(sheet, sys.argv[1])
    """
)


def test_kill_9_during_an_xlsx_save_keeps_the_original_and_the_leftover_goes(
    tmp_path: Path,
) -> None:
    big = _big_workbook(tmp_path, 12_000)
    before = big.read_bytes()
    process = subprocess.Popen(
        [sys.executable, "-c", _SAVER, str(big)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        deadline = time.monotonic() + 60
        temporary: list[Path] = []
        while not temporary and process.poll() is None and time.monotonic() < deadline:
            temporary = [p for p in tmp_path.iterdir() if LEFTOVER_NAME.fullmatch(p.name)]
            time.sleep(0.002)
        assert temporary, "the kill must land mid-save"
        time.sleep(0.05)
        if POSIX:
            assert remove_leftovers(tmp_path) == []  # still being written: left alone
    finally:
        process.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up runs
        process.wait(timeout=10)
    assert process.returncode != 0, "the save finished before the kill"
    assert big.read_bytes() == before
    assert all(p.exists() for p in temporary)

    save_sheet(read_file(big), big)  # the next save tidies the folder

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([big.name, "orders.csv"])


def _big_workbook(folder: Path, rows: int) -> Path:
    template = [list(r) for r in orderfiles.TEMPLATE_CLEAN]
    lines = []
    for n in range(rows):
        row = list(template[n % 2])
        row[0] = str(1000 + n // 2)
        lines.append(row)
    source = orderfiles.write_csv(folder / "orders.csv", orderfiles.TEMPLATE_HEADER, lines)
    target = folder / "orders.xlsx"
    save_sheet(read_file(source), target)
    return target
