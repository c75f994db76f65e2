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
        qtbot.mouseClick(dialog.upload_button, Qt.MouseButton.LeftButton)
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
    assert dialog.done_title.text() == "The upload stopped early."
    assert dialog.done_note.text().split("\n\n")[0] == sentence
    assert dialog.done_counts.value("accepted") == 0
    assert dialog.done_counts.value("not_sent") == 2
    assert [r.upload_status for r in doc.orders] == ["not_sent", "not_sent"]
    assert ledger.counts(standin.base_url, "test") == {"in_flight": 2}
    dialog.accept()

    standin.odd_answer_always = None
    again = open_dialog(qtbot, doc, standin, ledger)
    assert again.counts.value("failed") == 2  # "Rejected or interrupted last time"
    assert upload_and_wait(qtbot, again).accepted == 2
    assert [r.upload_status for r in doc.orders] == ["accepted", "accepted"]
    assert ledger.counts(standin.base_url, "test") == {"accepted": 2}
