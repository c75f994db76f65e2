"""The Upload dialog driven like a user would, against a real local Northbeam (the stand-in),
with a real sqlite ledger and the in-memory keyring from tests/ui/conftest.py."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from devtools.standin import StandinServer
from northbeam_desktop.core.local.secrets import (
    KEYRING_UNAVAILABLE_MESSAGE,
    Credentials,
    save_credentials,
)
from northbeam_desktop.core.local.settings import Preferences, SessionCredentials
from northbeam_desktop.core.northbeam.environments import Environment
from northbeam_desktop.core.northbeam.ledger import Ledger
from northbeam_desktop.core.northbeam.planning import UploadOptions
from northbeam_desktop.core.northbeam.upload_job import UploadTarget
from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument, load_document
from northbeam_desktop.ui.dialogs.upload.dialog import STOP_QUESTION, UploadDialog
from tests.core import orderfiles

API_KEY = "nbk_test_5d1e0c6a9f2b4e7d8c3a1b0f9e8d7c6b"
CLIENT_ID = "9a8b7c6d-1e2f-4a5b-8c9d-0e1f2a3b4c5d"
WAIT_MS = 20_000


@pytest.fixture
def standin() -> Iterator[StandinServer]:
    with StandinServer(api_key=API_KEY, client_id=CLIENT_ID, budget_bytes=None) as server:
        yield server


@pytest.fixture
def creds() -> Credentials:
    return Credentials(API_KEY, CLIENT_ID)


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger(tmp_path / "ledger.sqlite3") as led:
        yield led


def load(path: Path) -> OrderDocument:
    return load_document(path, LoadOptions(timezone="America/New_York"))


def partly_fixed_defects(folder: Path) -> OrderDocument:
    """The defects fixture with two of its six orders fixed (1004 and 1005 are valid)."""
    doc = load(orderfiles.template_defects(folder))
    doc.set_cell(4, doc.sheet.column_index("products_quantity"), "1")
    doc.set_cell(5, doc.sheet.column_index("customer_id"), "C-5")
    assert [r.order_id for r in doc.valid_orders] == ["1004", "1005"]
    return doc


def many_orders(folder: Path, count: int) -> Path:
    """`count` one-line orders 5000, 5001, … in Northbeam's template layout."""
    base = orderfiles.TEMPLATE_CLEAN[2]
    rows = []
    for n in range(count):
        row = list(base)
        row[0] = str(5000 + n)
        row[1] = f"C-{n}"
        rows.append(row)
    return orderfiles.write_csv(folder / f"orders_{count}.csv", orderfiles.TEMPLATE_HEADER, rows)


def make_dialog(
    qtbot: Any,
    doc: OrderDocument,
    server: StandinServer,
    *,
    records: list[Any] | None = None,
    environment: Environment = Environment.CUSTOM,
    **kwargs: Any,
) -> UploadDialog:
    dialog = UploadDialog(
        doc,
        doc.valid_orders if records is None else records,
        environment=environment,
        base_url=server.base_url,
        **kwargs,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.stage in ("confirm", "problem"), timeout=WAIT_MS)
    return dialog


def upload_and_wait(qtbot: Any, dialog: UploadDialog) -> Any:
    assert dialog.confirm_page.upload_button.isEnabled()
    with qtbot.waitSignal(dialog.upload_finished, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.confirm_page.upload_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


# ---- the happy path ----------------------------------------------------------------------------


def test_upload_turns_orders_accepted(
    qtbot: Any, tmp_path: Path, standin: StandinServer, creds: Credentials, ledger: Ledger
) -> None:
    doc = load(orderfiles.template_clean(tmp_path))
    dialog = make_dialog(qtbot, doc, standin, credentials=creds, ledger=ledger)

    assert dialog.stage == "confirm"
    assert dialog.confirm_page.counts.value("new") == 2
    assert dialog.confirm_page.counts.value("send") == 2
    assert dialog.confirm_page.counts.value("errors") == 0
    assert "127.0.0.1" in dialog.confirm_page.destination_label.text()
    assert CLIENT_ID in dialog.confirm_page.destination_label.text()
    assert API_KEY not in dialog.confirm_page.destination_label.text()
    # No typed confirmation off Production.
    assert not dialog.confirm_page.confirm_frame.isVisibleTo(dialog)
    changed: list[list[Any]] = []
    dialog.statuses_changed.connect(changed.append)

    report = upload_and_wait(qtbot, dialog)

    assert report.complete and report.accepted == 2
    assert [r.upload_status for r in doc.orders] == ["accepted", "accepted"]
    assert set(standin.stored_orders()) == {"1001", "1002"}
    assert {r.order_id for batch in changed for r in batch} == {"1001", "1002"}
    assert dialog.stage == "done"
    assert (
        dialog.done_page.done_title.text()
        == "All 2 orders were accepted by 127.0.0.1:" + str(standin.port) + "."
    )
    assert dialog.done_page.done_counts.value("accepted") == 2
    assert not dialog.done_page.failed_list.isVisibleTo(dialog)


def test_second_upload_skips_unchanged_orders_unless_forced(
    qtbot: Any, tmp_path: Path, standin: StandinServer, creds: Credentials, ledger: Ledger
) -> None:
    doc = load(orderfiles.template_clean(tmp_path))
    upload_and_wait(qtbot, make_dialog(qtbot, doc, standin, credentials=creds, ledger=ledger))
    doc.set_cell(2, doc.sheet.column_index("tax"), "1.00")  # order 1002 changes

    dialog = make_dialog(qtbot, doc, standin, credentials=creds, ledger=ledger)

    assert dialog.confirm_page.counts.value("unchanged") == 1
    assert dialog.confirm_page.counts.value("changed") == 1
    assert dialog.confirm_page.counts.value("send") == 1
    dialog.confirm_page.force_check.setChecked(True)
    assert dialog.confirm_page.counts.value("send") == 2
    dialog.confirm_page.force_check.setChecked(False)
    posts_before = len(standin.requests_log)
    report = upload_and_wait(qtbot, dialog)

    assert (report.accepted, report.unchanged) == (1, 1)
    sent = sum(r.order_count for r in standin.requests_log[posts_before:] if r.method == "POST")
    assert sent == 1
    assert standin.stored_orders()["1002"]["tax"] == 1.0


def test_nothing_to_send_explains_why(
    qtbot: Any, tmp_path: Path, standin: StandinServer, creds: Credentials, ledger: Ledger
) -> None:
    doc = load(orderfiles.template_clean(tmp_path))
    upload_and_wait(qtbot, make_dialog(qtbot, doc, standin, credentials=creds, ledger=ledger))

    dialog = make_dialog(qtbot, doc, standin, credentials=creds, ledger=ledger)

    assert not dialog.confirm_page.upload_button.isEnabled()
    assert "Send unchanged orders too" in dialog.confirm_page.nothing_label.text()
    # A stand-in is not Production: it keeps nothing for good, so nothing says "in Northbeam".
    assert (
        f"is already sent to {dialog.target.name} exactly"
        in dialog.confirm_page.nothing_label.text()
    )
    assert "in Northbeam" not in dialog.confirm_page.nothing_label.text()
    dialog.confirm_page.force_check.setChecked(True)
    assert dialog.confirm_page.upload_button.isEnabled()


def test_nothing_to_send_counts_the_orders_with_errors_apart(
    qtbot: Any, tmp_path: Path, standin: StandinServer, creds: Credentials, ledger: Ledger
) -> None:
    doc = partly_fixed_defects(tmp_path)
    upload_and_wait(qtbot, make_dialog(qtbot, doc, standin, credentials=creds, ledger=ledger))

    dialog = make_dialog(qtbot, doc, standin, records=doc.orders, credentials=creds, ledger=ledger)

    text = dialog.confirm_page.nothing_label.text()
    errors = sum(1 for r in doc.orders if r.has_errors)
    assert "every one of these orders" not in text  # some were never sent: they have errors
    assert f"the 2 orders without errors are already sent to {dialog.target.name}" in text
    assert f"the other {errors} orders can't be sent until their errors are fixed" in text


def test_done_page_names_the_environment_that_answered(
    qtbot: Any, tmp_path: Path, standin: StandinServer, creds: Credentials, ledger: Ledger
) -> None:
    doc = load(orderfiles.template_clean(tmp_path))
    dialog = make_dialog(qtbot, doc, standin, credentials=creds, ledger=ledger)
    upload_and_wait(qtbot, dialog)
    name = dialog.target.name  # a custom URL here: its host, not "Northbeam"
    assert dialog.done_page.done_counts.label("accepted") == f"Accepted by {name}"
    assert dialog.done_page.done_counts.label("failed") == f"Rejected by {name}"
    assert "Northbeam" not in dialog.done_page.done_counts.label("accepted")


@pytest.mark.parametrize(
    ("environment", "said"),
    [
        (Environment.PRODUCTION, "already in Northbeam"),
        (Environment.SANDBOX, "already sent to Sandbox"),
    ],
)
def test_unchanged_orders_are_only_in_northbeam_for_production(
    environment: Environment, said: str
) -> None:
    # Sandbox stores nothing sent with the public test account and purges the rest.
    assert UploadTarget(environment, "https://example.invalid/v2").already_there == said


def test_orders_with_errors_are_skipped_and_counted(
    qtbot: Any, tmp_path: Path, standin: StandinServer, creds: Credentials, ledger: Ledger
) -> None:
    doc = partly_fixed_defects(tmp_path)
    with_errors = [r for r in doc.orders if r.has_errors]

    dialog = make_dialog(qtbot, doc, standin, records=doc.orders, credentials=creds, ledger=ledger)

    assert dialog.confirm_page.counts.value("errors") == len(with_errors)
    report = upload_and_wait(qtbot, dialog)
    assert report.accepted == len(doc.orders) - len(with_errors)
    assert all(r.upload_status is None for r in with_errors)
    assert dialog.done_page.done_counts.value("errors") == len(with_errors)


# ---- Northbeam says no -----------------------------------------------------------------------


def test_server_rejection_is_painted_on_the_named_cell(
    qtbot: Any, tmp_path: Path, standin: StandinServer, creds: Credentials, ledger: Ledger
) -> None:
    doc = load(orderfiles.template_clean(tmp_path))
    envelope = {
        "status": "400",
        "response": json.dumps(
            [
                {
                    "order_id": "1001",
                    "message": "Price must be a positive number",
                    "json_path": "$[0].products[0].price",
                }
            ]
        ),
    }
    standin.fail_next(1, status=400, body=json.dumps(envelope))
    dialog = make_dialog(qtbot, doc, standin, credentials=creds, ledger=ledger)

    report = upload_and_wait(qtbot, dialog)

    assert (report.accepted, report.failed) == (1, 1)
    first, second = doc.orders
    assert (first.upload_status, second.upload_status) == ("failed", "accepted")
    price = doc.sheet.column_index("products_price")
    marks = doc.issues_for_cell(first.row_indices[0], price)
    assert [i.code for i in marks] == ["server_rejected"]
    assert "Price must be a positive number" in marks[0].message
    assert set(standin.stored_orders()) == {"1002"}
    assert "1 rejected" in dialog.done_page.done_title.text()
    assert dialog.done_page.failed_list.topLevelItemCount() == 1
    item = dialog.done_page.failed_list.topLevelItem(0)
    assert item.text(0) == "1001" and item.text(1) == "2, 3"

    with qtbot.waitSignal(dialog.order_activated) as activated:
        rect = dialog.done_page.failed_list.visualItemRect(item)
        qtbot.mouseClick(
            dialog.done_page.failed_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
        )
    assert activated.args == [first]


def test_refused_key_says_so_and_offers_settings(
    qtbot: Any, tmp_path: Path, standin: StandinServer, ledger: Ledger
) -> None:
    doc = load(orderfiles.template_clean(tmp_path))
    wrong = Credentials("nbk_wrong_key_000000000000000000000000", CLIENT_ID)
    dialog = make_dialog(qtbot, doc, standin, credentials=wrong, ledger=ledger)

    report = upload_and_wait(qtbot, dialog)

    assert report.accepted == 0 and report.error
    assert dialog.run_result is not None and dialog.run_result.auth_failed
    name = f"127.0.0.1:{standin.port}"
    assert f"Northbeam did not accept the API key / Data Client ID for {name}" in (
        dialog.done_page.done_note.text()
    )
    assert dialog.done_page.done_settings_button.isVisibleTo(dialog)
    assert all(r.upload_status == "not_sent" for r in doc.orders)
    with qtbot.waitSignal(dialog.settings_requested):
        qtbot.mouseClick(dialog.done_page.done_settings_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


# ---- credentials -------------------------------------------------------------------------------


def test_credentials_come_from_the_keyring(
    qtbot: Any, tmp_path: Path, standin: StandinServer, creds: Credentials, ledger: Ledger
) -> None:
    save_credentials(Environment.CUSTOM, creds)
    doc = load(orderfiles.template_clean(tmp_path))

    dialog = make_dialog(qtbot, doc, standin, ledger=ledger)

    assert dialog.stage == "confirm"
    assert CLIENT_ID in dialog.confirm_page.destination_label.text()
    assert upload_and_wait(qtbot, dialog).accepted == 2


def test_no_keyring_is_explained_with_a_way_to_settings(
    qtbot: Any, tmp_path: Path, standin: StandinServer, ledger: Ledger, no_keyring: Any
) -> None:
    doc = load(orderfiles.template_clean(tmp_path))

    dialog = make_dialog(qtbot, doc, standin, environment=Environment.PRODUCTION, ledger=ledger)

    assert dialog.stage == "problem"
    assert KEYRING_UNAVAILABLE_MESSAGE in dialog.problem_page.problem_label.text()
    assert dialog.problem_page.problem_settings_button.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.settings_requested):
        qtbot.mouseClick(dialog.problem_page.problem_settings_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert standin.requests_log == []


def test_missing_key_for_production_is_explained(
    qtbot: Any, tmp_path: Path, standin: StandinServer, ledger: Ledger
) -> None:
    doc = load(orderfiles.template_clean(tmp_path))

    dialog = make_dialog(qtbot, doc, standin, environment=Environment.PRODUCTION, ledger=ledger)

    assert dialog.stage == "problem"
    assert (
        "No Northbeam API key is saved for Production" in dialog.problem_page.problem_label.text()
    )


def test_for_preferences_uses_the_session_key(
    qtbot: Any, tmp_path: Path, standin: StandinServer, creds: Credentials, ledger: Ledger
) -> None:
    doc = load(orderfiles.template_clean(tmp_path))
    prefs = Preferences(environment=Environment.CUSTOM, custom_url=standin.base_url)
    session = SessionCredentials()
    session.set(Environment.CUSTOM, creds)

    dialog = UploadDialog.for_preferences(doc, doc.orders, prefs, session, ledger=ledger)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.stage == "confirm", timeout=WAIT_MS)

    assert dialog.target.base_url == standin.base_url
    assert upload_and_wait(qtbot, dialog).accepted == 2


def test_for_preferences_with_a_bad_custom_url(qtbot: Any, tmp_path: Path) -> None:
    doc = load(orderfiles.template_clean(tmp_path))
    prefs = Preferences(environment=Environment.CUSTOM, custom_url="http://example.com/v2")

    dialog = UploadDialog.for_preferences(doc, doc.orders, prefs)
    qtbot.addWidget(dialog)

    assert dialog.stage == "problem"
    assert "unencrypted" in dialog.problem_page.problem_label.text()


# ---- Production ----------------------------------------------------------------------------


def test_production_needs_a_typed_confirmation(
    qtbot: Any, tmp_path: Path, standin: StandinServer, creds: Credentials, ledger: Ledger
) -> None:
    doc = load(orderfiles.template_clean(tmp_path))
    dialog = make_dialog(
        qtbot, doc, standin, environment=Environment.PRODUCTION, credentials=creds, ledger=ledger
    )

    assert "PRODUCTION — these orders will be used in your live attribution" in (
        dialog.confirm_page.confirm_banner.text()
    )
    assert dialog.confirm_page.confirm_frame.isVisibleTo(dialog)
    assert dialog.confirm_page.upload_button.text() == "Upload 2 orders to Production"
    assert not dialog.confirm_page.upload_button.isEnabled()
    qtbot.keyClicks(dialog.confirm_page.confirm_edit, "UPLOA")
    assert not dialog.confirm_page.upload_button.isEnabled()
    qtbot.keyClick(dialog.confirm_page.confirm_edit, Qt.Key.Key_Return)  # Enter never uploads
    assert dialog.stage == "confirm"
    qtbot.keyClicks(dialog.confirm_page.confirm_edit, "D")
    assert dialog.confirm_page.upload_button.isEnabled()
    dialog.confirm_page.confirm_edit.setText("3")
    assert not dialog.confirm_page.upload_button.isEnabled()
    dialog.confirm_page.confirm_edit.setText("2")
    assert dialog.confirm_page.upload_button.isEnabled()
    dialog.confirm_page.confirm_edit.setText("upload")
    assert dialog.confirm_page.upload_button.isEnabled()
    qtbot.keyClick(dialog.confirm_page.confirm_edit, Qt.Key.Key_Return)
    assert dialog.stage == "confirm"
    assert standin.requests_log == []

    assert upload_and_wait(qtbot, dialog).accepted == 2


# ---- cancelling, closing and resuming --------------------------------------------------------


def test_cancel_mid_run_reports_only_what_northbeam_stored_and_resumes(
    qtbot: Any, tmp_path: Path, creds: Credentials, ledger: Ledger
) -> None:
    doc = load(many_orders(tmp_path, 40))
    options = UploadOptions(max_orders_per_batch=5, max_in_flight=1, cancel_grace_seconds=5)
    with StandinServer(
        api_key=API_KEY, client_id=CLIENT_ID, budget_bytes=None, latency_seconds=0.15
    ) as server:
        dialog = make_dialog(qtbot, doc, server, credentials=creds, ledger=ledger, options=options)
        with qtbot.waitSignal(dialog.statuses_changed, timeout=WAIT_MS):
            qtbot.mouseClick(dialog.confirm_page.upload_button, Qt.MouseButton.LeftButton)
        assert dialog.is_uploading
        with qtbot.waitSignal(dialog.upload_finished, timeout=WAIT_MS) as done:
            qtbot.mouseClick(dialog.progress_page.stop_button, Qt.MouseButton.LeftButton)
        report = done.args[0]

        stored = set(server.stored_orders())
        accepted = {r.order_id for r in doc.orders if r.upload_status == "accepted"}
        assert report.cancelled
        assert 0 < report.accepted < 40
        assert accepted <= stored
        assert len(accepted) == report.accepted
        for order_id in accepted:
            entry = ledger.get(server.base_url, CLIENT_ID, order_id)
            assert entry is not None and entry.status == "accepted"
        assert "Upload cancelled" in dialog.done_page.done_title.text()
        assert "Upload again to send the rest" in dialog.done_page.done_note.text()
        dialog.accept()

        # The next upload sends exactly the rest.
        again = make_dialog(qtbot, doc, server, credentials=creds, ledger=ledger)
        assert again.confirm_page.counts.value("unchanged") == len(stored)
        assert again.confirm_page.counts.value("send") == 40 - len(stored)
        posts_before = len(server.requests_log)
        second = upload_and_wait(qtbot, again)

        assert second.complete
        assert set(server.stored_orders()) == {r.order_id for r in doc.orders}
        assert all(r.upload_status in ("accepted", "unchanged") for r in doc.orders)
        resent = sum(r.order_count for r in server.requests_log[posts_before:])
        assert resent == 40 - len(stored)


def test_closing_during_an_upload_asks_first(
    qtbot: Any,
    tmp_path: Path,
    creds: Credentials,
    ledger: Ledger,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    doc = load(many_orders(tmp_path, 30))
    options = UploadOptions(max_orders_per_batch=3, max_in_flight=1)
    questions: list[str] = []
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]

    def question(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        questions.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    with StandinServer(
        api_key=API_KEY, client_id=CLIENT_ID, budget_bytes=None, latency_seconds=0.15
    ) as server:
        dialog = make_dialog(qtbot, doc, server, credentials=creds, ledger=ledger, options=options)
        with qtbot.waitSignal(dialog.statuses_changed, timeout=WAIT_MS):
            qtbot.mouseClick(dialog.confirm_page.upload_button, Qt.MouseButton.LeftButton)

        dialog.close()  # "No": keep uploading
        assert questions == [STOP_QUESTION]
        assert dialog.isVisible() and dialog.is_uploading

        with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
            dialog.reject()  # Esc: "Yes", stop; the dialog closes once the answers are in
        assert len(questions) == 2
        assert not dialog.isVisible()
        report = dialog.report
        assert report is not None and report.cancelled
        stored = set(server.stored_orders())
        assert {r.order_id for r in doc.orders if r.upload_status == "accepted"} <= stored
        assert {r.order_id for r in doc.orders if r.upload_status == "not_sent"}.isdisjoint(stored)


# ---- export ------------------------------------------------------------------------------------


def test_export_results(
    qtbot: Any,
    tmp_path: Path,
    standin: StandinServer,
    creds: Credentials,
    ledger: Ledger,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    doc = partly_fixed_defects(tmp_path)
    dialog = make_dialog(qtbot, doc, standin, records=doc.orders, credentials=creds, ledger=ledger)
    upload_and_wait(qtbot, dialog)
    target = tmp_path / "results.csv"
    offered: list[str] = []

    def save_name(parent: Any, caption: str, directory: str, *args: Any) -> tuple[str, str]:
        offered.append(directory)
        return str(target), "CSV (*.csv)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    qtbot.mouseClick(dialog.done_page.export_button, Qt.MouseButton.LeftButton)

    assert offered[0].endswith("template_defects - upload results.xlsx")
    with open(target, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    statuses = {row["order_id"]: row["status"] for row in rows}
    assert statuses == {
        "1001": "skipped",
        "1002": "skipped",
        "1003": "skipped",
        "1004": "accepted",
        "1005": "accepted",
        "1006": "skipped",
    }
    assert len(rows) == len(doc.orders)
    assert "Saved" in dialog.done_page.export_label.text()
