"""The recovery journal: edits survive a crash and come back onto a fresh load of the file."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from northbeam_desktop.core.local.recovery import (
    RecoveryJournal,
    decode_value,
    default_recovery_folder,
    encode_value,
    file_fingerprint,
)
from northbeam_desktop.core.orders.document import LoadOptions, load_document
from northbeam_desktop.core.orders.mapping import FieldMatch, Mapping, MatchReason
from tests.core import orderfiles

NOW = dt.datetime(2026, 11, 26, tzinfo=dt.UTC)


def opts() -> LoadOptions:
    return LoadOptions(timezone="America/New_York", now=NOW)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "recovery"


def edit_session(path: Path, folder: Path) -> tuple[Any, RecoveryJournal]:
    """Load, journal a few edits like the GUI would, and 'crash' (close without discarding)."""
    doc = load_document(path, opts())
    journal = RecoveryJournal(folder)
    journal.start(path, doc.sheet.sheet, file_fingerprint(path))
    sheet = doc.sheet
    tax, currency = sheet.column_index("tax"), sheet.column_index("currency")
    edits = [(2, tax, "0"), (1, currency, "USD"), (6, currency, "USD")]  # rows 4, 3, 8
    for row_index, col, value in edits:
        doc.set_cell(row_index, col, value)
        journal.record_set(sheet.row_numbers[row_index], sheet.headers[col], value)
    doomed = [sheet.row_numbers[5]]  # Excel row 7 (customer_id == order_id)
    doc.delete_rows([5])
    journal.record_delete(doomed)
    return doc, journal


def test_edits_survive_a_crash_and_replay_onto_a_fresh_load(tmp_path: Path, folder: Path) -> None:
    path = orderfiles.template_defects(tmp_path)
    edited, journal = edit_session(path, folder)
    journal.close()  # the process dies: nothing saved, nothing discarded

    pending = RecoveryJournal(folder).pending()

    assert len(pending) == 1
    info = pending[0]
    assert info.source_path == str(path)
    assert info.sheet is None
    assert info.edit_count == 4
    assert not info.source_changed and not info.source_missing
    assert "4 unsaved changes" in info.describe()

    fresh = load_document(path, opts())
    result = RecoveryJournal(folder).replay(info, fresh)

    assert (result.applied, result.skipped) == (4, 0)
    assert fresh.sheet.rows == edited.sheet.rows
    assert fresh.sheet.row_numbers == edited.sheet.row_numbers
    codes = {(i.row, i.code) for i in fresh.all_issues()}
    assert (4, "required") not in codes
    assert (7, "customer_id_is_order_id") not in codes
    assert (8, "ambiguous_currency") not in codes
    assert (3, "order_value_conflict") not in codes


def test_a_real_crash_of_another_process_is_recovered(tmp_path: Path, folder: Path) -> None:
    path = orderfiles.template_defects(tmp_path)
    script = textwrap.dedent(
        f"""
        import os
        from northbeam_desktop.core.local.recovery import RecoveryJournal
        journal = RecoveryJournal({str(folder)!r})
        journal.start({str(path)!r}, None)
        journal.record_set(4, "tax", "0")
        os._exit(1)  # no cleanup of any kind
        """
    )
    subprocess.run([sys.executable, "-c", script], check=False, cwd=Path(__file__).parents[2])

    (info,) = RecoveryJournal(folder).pending()
    fresh = load_document(path, opts())
    assert RecoveryJournal(folder).replay(info, fresh).applied == 1
    assert fresh.sheet.rows[2][fresh.sheet.column_index("tax")] == "0"


def test_discard_after_save_leaves_nothing(tmp_path: Path, folder: Path) -> None:
    path = orderfiles.template_defects(tmp_path)
    _doc, journal = edit_session(path, folder)
    assert journal.active and journal.edit_count == 4

    journal.discard()

    assert not journal.active
    assert list(folder.iterdir()) == []
    assert RecoveryJournal(folder).pending() == []


def test_a_live_journal_is_not_offered_to_another_window(tmp_path: Path, folder: Path) -> None:
    path = orderfiles.template_defects(tmp_path)
    _doc, journal = edit_session(path, folder)

    assert RecoveryJournal(folder).pending() == []  # still open: locked
    journal.close()
    assert len(RecoveryJournal(folder).pending()) == 1


def test_journal_without_edits_is_cleaned_up(tmp_path: Path, folder: Path) -> None:
    path = orderfiles.template_clean(tmp_path)
    journal = RecoveryJournal(folder)
    journal.start(path, None)
    journal.close()

    assert RecoveryJournal(folder).pending() == []
    assert list(folder.glob("*.journal")) == []


def test_changed_source_file_is_detected(tmp_path: Path, folder: Path) -> None:
    path = orderfiles.template_defects(tmp_path)
    _doc, journal = edit_session(path, folder)
    journal.close()
    path.write_bytes(path.read_bytes().replace(b"1003", b"2003"))

    (info,) = RecoveryJournal(folder).pending()

    assert info.source_changed
    assert "has changed" in info.describe()


def test_touching_a_small_file_without_changing_it_is_not_a_change(
    tmp_path: Path, folder: Path
) -> None:
    path = orderfiles.template_defects(tmp_path)
    _doc, journal = edit_session(path, folder)
    journal.close()
    later = path.stat().st_mtime + 100
    os.utime(path, (later, later))

    (info,) = RecoveryJournal(folder).pending()

    assert not info.source_changed


def test_missing_source_file_is_reported(tmp_path: Path, folder: Path) -> None:
    path = orderfiles.template_defects(tmp_path)
    _doc, journal = edit_session(path, folder)
    journal.close()
    path.unlink()

    (info,) = RecoveryJournal(folder).pending()

    assert info.source_missing
    assert "no longer where it was" in info.describe()


def test_corrupt_and_half_written_lines_are_skipped(tmp_path: Path, folder: Path) -> None:
    path = orderfiles.template_defects(tmp_path)
    _doc, journal = edit_session(path, folder)
    journal_path = journal.path
    assert journal_path is not None
    journal.close()
    lines = journal_path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "\x00\x00garbage{")  # a damaged line in the middle
    text = "\n".join(lines) + '\n{"op": "set", "row": 5, "col": "tax", "val'  # cut mid-write
    journal_path.write_text(text, encoding="utf-8")

    (info,) = RecoveryJournal(folder).pending()
    assert info.edit_count == 4
    assert info.damaged_lines == 2
    fresh = load_document(path, opts())
    result = RecoveryJournal(folder).replay(info, fresh)
    assert (result.applied, result.skipped) == (4, 0)

    # Resuming the journal ends the cut line first, so new edits are readable.
    journal = RecoveryJournal(folder)
    journal.resume(info)
    journal.record_set(5, "tax", "2")
    journal.close()
    (info,) = RecoveryJournal(folder).pending()
    assert info.edit_count == 5
    again = load_document(path, opts())
    assert RecoveryJournal(folder).replay(info, again).applied == 5
    assert again.sheet.rows[3][again.sheet.column_index("tax")] == "2"


def test_unreadable_journal_is_set_aside(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "junk.journal").write_text("not json\n", encoding="utf-8")

    assert RecoveryJournal(folder).pending() == []
    assert (folder / "junk.damaged").exists()


def test_edits_to_rows_or_columns_that_are_gone_are_skipped(tmp_path: Path, folder: Path) -> None:
    path = orderfiles.template_defects(tmp_path)
    journal = RecoveryJournal(folder)
    journal.start(path, None)
    journal.record_set(99, "tax", "1")
    journal.record_set(4, "No such column", "1")
    journal.record_set(4, "tax", "0")
    journal.close()

    (info,) = RecoveryJournal(folder).pending()
    fresh = load_document(path, opts())
    result = RecoveryJournal(folder).replay(info, fresh)

    assert (result.applied, result.skipped) == (1, 2)
    assert "row 99 is no longer in the file" in result.notes[0]
    assert "no such column" in result.notes[1]
    assert "could not be restored" in result.describe()


def test_delete_then_undo_round_trips(tmp_path: Path, folder: Path) -> None:
    path = orderfiles.template_defects(tmp_path)
    doc = load_document(path, opts())
    original_rows = [list(r) for r in doc.sheet.rows]
    journal = RecoveryJournal(folder)
    journal.start(path, None)
    removed = [(doc.sheet.row_numbers[i], list(doc.sheet.rows[i])) for i in (1, 2)]
    doc.delete_rows([1, 2])
    journal.record_delete([n for n, _ in removed])
    doc.insert_rows(1, [v for _, v in removed], [n for n, _ in removed])  # undo
    journal.record_insert(removed, doc.sheet.headers)
    journal.close()

    (info,) = RecoveryJournal(folder).pending()
    fresh = load_document(path, opts())
    result = RecoveryJournal(folder).replay(info, fresh)

    assert result.skipped == 0
    assert fresh.sheet.rows == original_rows


def test_dates_and_odd_values_survive_the_journal(tmp_path: Path, folder: Path) -> None:
    path = orderfiles.xlsx_with_dates_and_title(tmp_path)
    doc = load_document(path, opts())
    when = dt.datetime(2026, 3, 11, 8, 15)
    journal = RecoveryJournal(folder)
    journal.start(path, doc.sheet.sheet)
    journal.record_sets(
        [(4, "Order Date", when), (5, "Total", 31.5), (5, "ZIP", "02134"), (4, "Product", None)]
    )
    journal.close()
    header = json.loads(next(iter(folder.glob("*.journal"))).read_text().splitlines()[1])
    assert header["value"] == {"$type": "datetime", "v": "2026-03-11T08:15:00"}

    (info,) = RecoveryJournal(folder).pending()
    assert info.sheet == "Orders"
    fresh = load_document(path, LoadOptions(sheet=info.sheet, timezone="America/New_York"))
    assert RecoveryJournal(folder).replay(info, fresh).applied == 4
    sheet = fresh.sheet
    assert sheet.rows[0][sheet.column_index("Order Date")] == when
    assert sheet.rows[1][sheet.column_index("Total")] == 31.5
    assert sheet.rows[0][sheet.column_index("Product")] is None


@pytest.mark.parametrize(
    "value",
    [None, "", "text", 0, -3, 2.5, True, dt.date(2026, 1, 2), dt.time(9, 30), float("inf")],
)
def test_value_encoding_round_trips(value: Any) -> None:
    assert decode_value(json.loads(json.dumps(encode_value(value)))) == value


def test_default_folder_is_in_the_app_data_dir(app_home: Path) -> None:
    assert default_recovery_folder() == app_home / "data" / "recovery"
    journal = RecoveryJournal()
    assert journal.folder == app_home / "data" / "recovery"
    assert journal.pending() == []


def test_journal_never_holds_the_api_key(
    tmp_path: Path, folder: Path, credentials: Any, secret_key: str
) -> None:
    path = orderfiles.template_defects(tmp_path)
    _doc, journal = edit_session(path, folder)
    journal.close()
    for file in folder.iterdir():
        assert secret_key not in file.read_text(encoding="utf-8", errors="replace")


def mapping_crash(
    tmp_path: Path,
    folder: Path,
    choose: Callable[[Mapping], None],
    timezone: str | None,
    *sets: tuple[int, str, str],
) -> tuple[Mapping, Any, Any]:
    """Journal a mapping the user chose (then `sets`), crash, and replay onto a fresh load:
    returns (the chosen mapping, the replay result, the fresh document)."""
    path = orderfiles.template_defects(tmp_path)
    journal = RecoveryJournal(folder)
    journal.start(path, None, file_fingerprint(path))
    chosen = load_document(path, opts()).mapping.copy()
    choose(chosen)
    journal.record_mapping(chosen, timezone)
    for row, column, value in sets:
        journal.record_set(row, column, value)
    journal.close()  # the crash

    (info,) = RecoveryJournal(folder).pending()
    assert info.edit_count == 1 + len(sets)
    fresh = load_document(path, opts())
    return chosen, RecoveryJournal(folder).replay(info, fresh), fresh


def test_a_chosen_column_mapping_and_time_zone_survive_a_crash(
    tmp_path: Path, folder: Path
) -> None:
    def choose(mapping: Mapping) -> None:
        mapping.set("order_tags", None)  # cleared on purpose: stays unmapped, not re-guessed
        mapping.set("customer_id", "customer_email")  # chosen by hand

    chosen, result, fresh = mapping_crash(
        tmp_path, folder, choose, "Europe/Berlin", (4, "tax", "0")
    )

    assert (result.applied, result.skipped, result.mapping_restored) == (2, 0, True)
    restored = {key: (m.column, m.reason) for key, m in fresh.mapping.matches.items()}
    assert restored == {key: (m.column, m.reason) for key, m in chosen.matches.items()}
    assert "order_tags" not in fresh.mapping.matches
    assert fresh.timezone_name == "Europe/Berlin"
    assert fresh.sheet.rows[2][fresh.sheet.column_index("tax")] == "0"


def test_a_mapping_column_the_file_lost_is_reported_not_guessed(
    tmp_path: Path, folder: Path
) -> None:
    def choose(mapping: Mapping) -> None:
        mapping.matches["order_tags"] = FieldMatch(
            "order_tags", "Tags (old export)", MatchReason.USER
        )

    _chosen, result, fresh = mapping_crash(tmp_path, folder, choose, None)

    assert (result.applied, result.skipped) == (1, 1)
    assert result.notes == [
        "The column mapping took Order tags from “Tags (old export)”, which the file no longer has."
    ]
    assert "order_tags" not in fresh.mapping.matches
    assert fresh.timezone_name == "America/New_York"


def test_a_mapping_with_an_unknown_time_zone_is_skipped_whole(tmp_path: Path, folder: Path) -> None:
    def choose(mapping: Mapping) -> None:
        mapping.set("order_tags", None)

    _chosen, result, fresh = mapping_crash(tmp_path, folder, choose, "Mars/Olympus_Mons")

    assert (result.applied, result.skipped, result.mapping_restored) == (0, 1, False)
    assert "order_tags" in fresh.mapping.matches  # the document kept its own mapping
    assert fresh.timezone_name == "America/New_York"
    assert fresh.columns["order_tags"].values  # and the columns that go with it
