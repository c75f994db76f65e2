"""The Upload dialog against a server that misbehaves: a "200" without Northbeam's confirmation.

The dialog must show the one sentence, count the orders as not sent (never accepted), leave them
in flight in the ledger, and send them with the next upload.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from devtools.standin import StandinServer
from northbeam_desktop.core.local.secrets import Credentials
from northbeam_desktop.core.northbeam.environments import Environment
from northbeam_desktop.core.northbeam.ledger import Ledger
from northbeam_desktop.core.northbeam.planning import UploadOptions
from northbeam_desktop.core.orders.document import LoadOptions, load_document
from northbeam_desktop.ui.dialogs.upload.dialog import UploadDialog
from tests.core import orderfiles
from tests.odd_answers import ODD_WORDS

WAIT_MS = 20_000
NO_RETRIES = UploadOptions(max_retries=0)


@pytest.fixture
def standin() -> Iterator[StandinServer]:
    with StandinServer(budget_bytes=None) as server:
        yield server


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger(tmp_path / "ledger.sqlite3") as led:
        yield led


def open_dialog(qtbot: Any, doc: Any, server: StandinServer, ledger: Ledger) -> UploadDialog:
    dialog = UploadDialog(
        doc,
        doc.valid_orders,
        environment=Environment.CUSTOM,
        base_url=server.base_url,
        credentials=Credentials("None", "test"),
        ledger=ledger,
        options=NO_RETRIES,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.stage == "confirm", timeout=WAIT_MS)
    return dialog


def upload_and_wait(qtbot: Any, dialog: UploadDialog) -> Any:
    with qtbot.waitSignal(dialog.upload_finished, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.confirm_page.upload_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


@pytest.mark.parametrize("kind", ["html", "invalid-json", "error-status", "empty"])
def test_an_unconfirmed_upload_is_shown_as_not_sent_and_resumes(
    qtbot: Any, tmp_path: Path, standin: StandinServer, ledger: Ledger, kind: str
) -> None:
    doc = load_document(orderfiles.template_clean(tmp_path), LoadOptions(timezone="UTC"))
    standin.odd_answer_always = kind
    dialog = open_dialog(qtbot, doc, standin, ledger)
    report = upload_and_wait(qtbot, dialog)

    host = f"127.0.0.1:{standin.port}"
    sentence = (
        f"{host} answered {ODD_WORDS[kind]}; gave up after 1 attempt, so the orders not yet "
        "confirmed stay unsent — upload again later to send them."
    )
    assert report.accepted == 0 and report.not_sent == 2 and report.error == sentence
    assert dialog.done_page.done_title.text() == "The upload stopped early."
    assert dialog.done_page.done_note.text().split("\n\n")[0] == sentence
    assert dialog.done_page.done_counts.value("accepted") == 0
    assert dialog.done_page.done_counts.value("not_sent") == 2
    assert [r.upload_status for r in doc.orders] == ["not_sent", "not_sent"]
    assert ledger.counts(standin.base_url, "test") == {"in_flight": 2}
    dialog.accept()

    standin.odd_answer_always = None
    again = open_dialog(qtbot, doc, standin, ledger)
    assert again.confirm_page.counts.value("failed") == 2  # "Rejected or interrupted last time"
    assert upload_and_wait(qtbot, again).accepted == 2
    assert [r.upload_status for r in doc.orders] == ["accepted", "accepted"]
    assert ledger.counts(standin.base_url, "test") == {"accepted": 2}


# ---- the upload record ----------------------------------------------------------------------------


def _damaged_default_ledger(app_home: Path) -> Path:
    path = app_home / "data" / "upload-ledger.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a database, whatever it once was\n" * 100)
    return path


def _dialog_on_default_ledger(doc: Any, server: StandinServer) -> UploadDialog:
    return UploadDialog(
        doc,
        doc.valid_orders,
        environment=Environment.CUSTOM,
        base_url=server.base_url,
        credentials=Credentials("None", "test"),
        options=NO_RETRIES,
    )


@pytest.mark.parametrize("start_new", [True, False])
def test_a_damaged_record_asks_before_sending_everything_again(
    qtbot: Any,
    tmp_path: Path,
    app_home: Path,
    standin: StandinServer,
    monkeypatch: pytest.MonkeyPatch,
    start_new: bool,
) -> None:
    from northbeam_desktop.ui.dialogs.upload import dialog as dialog_module

    ledger_path = _damaged_default_ledger(app_home)
    asked: list[str] = []

    def answer(parent: Any, err: Any) -> bool:
        asked.append(err.problem)
        return start_new

    monkeypatch.setattr(dialog_module, "ask_to_start_new_record", answer)
    doc = load_document(orderfiles.template_clean(tmp_path), LoadOptions(timezone="UTC"))
    dialog = _dialog_on_default_ledger(doc, standin)
    qtbot.addWidget(dialog)
    closed: list[int] = []
    dialog.finished.connect(closed.append)
    dialog.show()
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    moved = next(ledger_path.parent.glob("upload-ledger.damaged-*.sqlite3"))
    assert asked == [
        "The upload record on this computer was damaged (the file is not an upload record), "
        f"so it was moved aside to “{moved.name}” and nothing was sent"
    ]
    if not start_new:
        assert closed and dialog.stage == "closed"
        assert standin.requests_log == []
        return
    qtbot.waitUntil(lambda: dialog.stage == "confirm", timeout=WAIT_MS)
    assert dialog.confirm_page.counts.value("new") == 2  # a new record: every order counts as new
    assert upload_and_wait(qtbot, dialog).accepted == 2
    with Ledger(ledger_path) as fresh:
        assert fresh.counts(standin.base_url, "test") == {"accepted": 2}


def test_the_question_names_the_damage_and_what_a_new_record_means(
    qtbot: Any, tmp_path: Path, app_home: Path
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

    from northbeam_desktop.core.northbeam.ledger import LedgerDamaged
    from northbeam_desktop.ui.dialogs.upload.ledger_question import (
        NEW_RECORD_BUTTON,
        QUESTION_TITLE,
        ask_to_start_new_record,
    )

    ledger_path = _damaged_default_ledger(app_home)
    with pytest.raises(LedgerDamaged) as info:
        Ledger(ledger_path)
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[tuple[str, str, str, list[str]]] = []

    def click(label: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        buttons = [b.text().replace("&", "") for b in box.buttons()]
        seen.append((box.windowTitle(), box.text(), box.informativeText(), buttons))
        next(b for b in box.buttons() if b.text().replace("&", "") == label).click()

    QTimer.singleShot(0, lambda: click("Cancel"))
    assert ask_to_start_new_record(parent, info.value) is False
    QTimer.singleShot(0, lambda: click(NEW_RECORD_BUTTON))
    assert ask_to_start_new_record(parent, info.value) is True
    title, text, consequence, buttons = seen[0]
    assert title == QUESTION_TITLE
    assert text == info.value.problem + "."
    assert "sends every order again" in consequence and "none is doubled" in consequence
    assert sorted(buttons) == sorted([NEW_RECORD_BUTTON, "Cancel"])


def test_another_upload_holding_the_record_is_named(
    qtbot: Any, tmp_path: Path, standin: StandinServer, ledger: Ledger
) -> None:
    import os

    doc = load_document(orderfiles.template_clean(tmp_path), LoadOptions(timezone="UTC"))
    dialog = open_dialog(qtbot, doc, standin, ledger)
    with Ledger(ledger.path) as other, other.upload_lock("the northbeam-desktop command"):
        qtbot.mouseClick(dialog.confirm_page.upload_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.stage == "problem", timeout=WAIT_MS)
    text = dialog.problem_page.problem_label.text()
    assert text.startswith(
        "Another upload is using the upload record on this computer (the northbeam-desktop "
        f"command, process {os.getpid()}, since "
    )
    assert text.endswith("), so nothing was sent; wait until it has finished, then upload again.")
    assert not dialog.problem_page.problem_settings_button.isVisibleTo(dialog)
    assert standin.requests_log == []
    assert [r.upload_status for r in doc.orders] == [None, None]
