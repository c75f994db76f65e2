"""The app with hostile files: the reader's sentence is shown and the window stays up; a file
that will not fit in the free memory is announced before it is read."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from northbeam_desktop.core.local.settings import Preferences
from northbeam_desktop.core.orders.readers import ReadError, limits, read_file
from northbeam_desktop.ui.document.loader import DocumentLoader, confirm_memory
from northbeam_desktop.ui.main_window import MainWindow
from tests.core import filemakers, orderfiles
from tests.core import hostile_files as hostile

WAIT_MS = 20_000


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []

    def warning(parent: Any, title: str, text: str, *args: Any) -> Any:
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warning)
    return shown


def reader_sentence(path: Path) -> str:
    with pytest.raises(ReadError) as info:
        read_file(path)
    return str(info.value)


HOSTILE = {
    "stray.xlsx": lambda p: hostile.far_cell_xlsx(p, "XFD1048576"),
    "bomb.xlsx": lambda p: hostile.zip_bomb_xlsx(p, 80 * 2**20),
    "text.xlsx": lambda p: hostile.long_shared_string_xlsx(p, 300_000),
    "repeat.ods": lambda p: hostile.repeated_ods(p, 1_000_000, 16_384),
    "joined.csv": hostile.mixed_encoding_csv,
    "wide.csv": lambda p: hostile.wide_csv(p, limits.EXCEL_MAX_COLUMNS + 1),
}
if hasattr(os, "mkfifo"):
    HOSTILE["pipe.csv"] = hostile.fifo_csv


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_shows_the_readers_sentence_and_the_window_stays_up(
    qtbot: QtBot, warnings: list[tuple[str, str]], tmp_path: Path, name: str
) -> None:
    path = HOSTILE[name](tmp_path / name)
    expected = reader_sentence(path)
    window = MainWindow(preferences=Preferences(timezone="UTC"))
    qtbot.addWidget(window)
    window.show()
    session = window.session
    assert session is not None
    with qtbot.waitSignal(session.load_failed, timeout=WAIT_MS) as failed:
        window.open_file(path)
    assert failed.args == [expected]
    assert warnings == [(f"Can't open “{name}”", expected)]
    assert window.stack.currentWidget() is window.start_page
    # Still a working window: a good file opens right after.
    good = orderfiles.template_clean(tmp_path)
    with qtbot.waitSignal(session.document_opened, timeout=WAIT_MS):
        window.open_file(good)


def _memory_short(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = limits.MachineMemory(total=64 * 10**9, available=1_000)
    monkeypatch.setattr(limits, "machine_memory", lambda: fake)


def test_a_file_that_may_not_fit_is_announced_and_can_be_cancelled(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _memory_short(monkeypatch)
    asked: list[str] = []
    loader = DocumentLoader(memory_confirmer=lambda parent, message: asked.append(message) or False)
    path = orderfiles.template_clean(tmp_path)
    with qtbot.waitSignal(loader.cancelled, timeout=WAIT_MS):
        loader.load(path)
    assert not loader.busy  # nothing was read
    (message,) = asked
    assert message.startswith(f"Opening “{path.name}” will need about ")
    assert "free" in message and message.endswith(".")


def test_a_file_that_may_not_fit_opens_when_the_user_goes_ahead(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _memory_short(monkeypatch)
    asked: list[str] = []
    loader = DocumentLoader(memory_confirmer=lambda parent, message: asked.append(message) or True)
    with qtbot.waitSignal(loader.loaded, timeout=WAIT_MS) as loaded:
        loader.load(orderfiles.template_clean(tmp_path))
    assert len(asked) == 1
    assert loaded.args[0].orders


def test_a_file_that_fits_is_opened_without_a_question(qtbot: QtBot, tmp_path: Path) -> None:
    asked: list[str] = []
    loader = DocumentLoader(memory_confirmer=lambda parent, message: asked.append(message) or False)
    with qtbot.waitSignal(loader.loaded, timeout=WAIT_MS):
        loader.load(filemakers.write_text(tmp_path / "o.csv", "order_id\n1\n"))
    assert asked == []


@pytest.mark.parametrize(("button", "expected"), [("Open Anyway", True), ("Cancel", False)])
def test_the_memory_warning_offers_open_anyway_and_cancel(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, button: str, expected: bool
) -> None:
    seen: list[QMessageBox] = []

    def answer(box: QMessageBox) -> int:
        seen.append(box)
        box.grab().save(str(tmp_path / "memory-warning.png"))
        (chosen,) = [b for b in box.buttons() if b.text().replace("&", "") == button]
        chosen.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    assert confirm_memory(None, "Opening “big.csv” will need about 9.0 GB of memory.") is expected
    (box,) = seen
    assert box.defaultButton().text().replace("&", "") == "Cancel"
    assert box.text() == "Opening “big.csv” will need about 9.0 GB of memory."
