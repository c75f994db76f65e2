"""The column mapping dialog: automatic choices with samples and reasons, Shopify's Id vs Name,
missing required fields in red with hints, time zone, presets."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from northbeam_desktop.core.orders.document import LoadOptions
from northbeam_desktop.core.orders.fields import DERIVED_CUSTOMER_ID
from northbeam_desktop.core.orders.mapping import (
    MatchReason,
    PresetStore,
    mapping_from_preset,
)
from northbeam_desktop.core.orders.platforms import SHOPIFY_ORDER_ID_NOTE
from northbeam_desktop.ui.dialogs import mapping as mapping_dialog_module
from northbeam_desktop.ui.dialogs.mapping import FROM_EMAIL, NOT_IN_FILE, MappingDialog
from northbeam_desktop.ui.document.loader import DocumentLoader, default_preset_store
from northbeam_desktop.ui.document.view import DocumentView
from tests.core import orderfiles
from tests.ui.fixtures_document import open_document


@pytest.fixture
def store(tmp_path: Path) -> PresetStore:
    return PresetStore(tmp_path / "presets")


@pytest.fixture
def make_dialog(qtbot, store):  # type: ignore[no-untyped-def]
    def make(doc):  # type: ignore[no-untyped-def]
        dialog = MappingDialog.for_document(doc, preset_store=store)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return make


def test_shopify_file_chooses_id_and_explains_why(make_dialog, tmp_path: Path) -> None:
    doc = open_document(orderfiles.shopify_export(tmp_path))
    dialog = make_dialog(doc)
    assert dialog.combos["order_id"].currentData() == "Id"
    assert dialog.order_id_buttons["Id"].isChecked()
    assert not dialog.order_id_buttons["Name"].isChecked()
    assert dialog.order_id_buttons["Id"].text() == "Id — e.g. 5012345678901"
    assert dialog.shopify_note_label.text() == SHOPIFY_ORDER_ID_NOTE
    detail = dialog.detail_labels["order_id"].text()
    assert "5012345678901 · 5012345678902" in detail
    assert "Matched: column of a Shopify orders export" in detail
    # no customer ID column: the code is made from the email
    assert dialog.combos["customer_id"].currentText() == FROM_EMAIL
    assert "stable code" in dialog.detail_labels["customer_id"].text()
    assert dialog.missing_required() == []
    assert "Every required field has a column" in dialog.status_label.text()

    dialog.order_id_buttons["Name"].click()
    assert dialog.combos["order_id"].currentData() == "Name"
    assert "#1001" in dialog.detail_labels["order_id"].text()
    assert "Chosen by you" in dialog.detail_labels["order_id"].text()
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    mapping = dialog.mapping()
    assert mapping.column_for("order_id") == "Name"
    assert mapping.matches["order_id"].reason is MatchReason.USER
    assert mapping.column_for("customer_id") == DERIVED_CUSTOMER_ID
    assert dialog.timezone() == "UTC"

    view = DocumentView(doc, preset_store=dialog.preset_store)
    view.apply_mapping(mapping, dialog.timezone())
    assert [r.order_id for r in doc.orders] == ["#1001", "#1002"]
    view.deleteLater()


def test_european_file_calls_out_the_missing_order_id(make_dialog, tmp_path: Path) -> None:
    doc = open_document(orderfiles.european_csv(tmp_path))
    dialog = make_dialog(doc)
    assert dialog.shopify_box is None
    assert [spec.key for spec in dialog.missing_required()] == ["order_id"]
    assert dialog.combos["order_id"].currentText() == NOT_IN_FILE
    assert "color: #c62828" in dialog.field_labels["order_id"].styleSheet()
    detail = dialog.detail_labels["order_id"].text()
    assert "Required, but no column is chosen" in detail and "#c62828" in detail
    assert "“Beleg-Nr.”" in detail
    assert "1 required field has no column: Order ID" in dialog.status_label.text()

    combo = dialog.combos["order_id"]
    combo.setCurrentIndex(combo.findData("Beleg-Nr."))
    combo.activated.emit(combo.currentIndex())
    assert dialog.missing_required() == []
    assert dialog.field_labels["order_id"].styleSheet() == ""
    assert "A-1 · A-2" in dialog.detail_labels["order_id"].text()
    assert "Every required field has a column" in dialog.status_label.text()


def test_taking_a_column_from_another_field_shows_where_it_went(make_dialog, tmp_path) -> None:
    doc = open_document(orderfiles.european_csv(tmp_path))
    dialog = make_dialog(doc)
    dialog.choose("order_id", "Tax")
    assert dialog.mapping().column_for("order_id") == "Tax"
    assert dialog.mapping().column_for("tax") is None
    assert [s.key for s in dialog.missing_required()] == ["tax"]
    combo = dialog.combos["tax"]
    assert combo.itemText(combo.findData("Tax")) == "Tax   (now Order ID)"
    dialog.choose("customer_id", DERIVED_CUSTOMER_ID)
    assert dialog.mapping().column_for("customer_id") == DERIVED_CUSTOMER_ID


def test_preset_is_saved_and_found_again_for_the_same_columns(
    make_dialog, store, tmp_path: Path, qtbot
) -> None:
    path = orderfiles.european_csv(tmp_path)
    doc = open_document(path)
    dialog = make_dialog(doc)
    assert not dialog.save_preset_box.isChecked()
    dialog.choose("order_id", "Beleg-Nr.")
    dialog.save_preset_box.setChecked(True)
    dialog.accept()
    saved = store.find(doc.sheet.headers)
    assert saved is not None
    mapping, notes = mapping_from_preset(saved, doc.sheet.headers)
    assert notes == []
    assert mapping.column_for("order_id") == "Beleg-Nr."

    again = make_dialog(open_document(path))
    assert again.save_preset_box.isChecked()  # a preset exists for this shape

    # the next file with these columns opens with the preset applied
    loader = DocumentLoader(preset_store=store)
    with qtbot.waitSignal(loader.loaded, timeout=10_000) as signal:
        loader.load(path, LoadOptions(timezone="UTC"))
    loaded = signal.args[0]
    assert loader.preset_applied
    assert loaded.mapping.column_for("order_id") == "Beleg-Nr."
    assert not loaded.blocked


def test_default_preset_store_lives_in_the_config_dir(app_home: Path) -> None:
    assert default_preset_store().folder == app_home / "config" / "mappings"


def test_save_and_load_a_mapping_file(make_dialog, tmp_path: Path, monkeypatch) -> None:
    doc = open_document(orderfiles.european_csv(tmp_path))
    dialog = make_dialog(doc)
    dialog.choose("order_id", "Beleg-Nr.")
    target = tmp_path / "shared" / "europe-mapping"
    monkeypatch.setattr(
        mapping_dialog_module.QFileDialog,
        "getSaveFileName",
        lambda *a, **k: (str(target), "Mapping files (*.json)"),
    )
    dialog.save_button.click()
    assert target.with_suffix(".json").exists()

    fresh = make_dialog(open_document(orderfiles.european_csv(tmp_path)))
    assert fresh.missing_required()
    monkeypatch.setattr(
        mapping_dialog_module.QFileDialog,
        "getOpenFileName",
        lambda *a, **k: (str(target.with_suffix(".json")), "Mapping files (*.json)"),
    )
    fresh.load_button.click()
    assert fresh.mapping().column_for("order_id") == "Beleg-Nr."
    assert fresh.missing_required() == []
    assert "From your saved mapping" in fresh.detail_labels["order_id"].text()

    warnings: list[str] = []
    monkeypatch.setattr(
        mapping_dialog_module.QMessageBox,
        "warning",
        lambda _parent, _title, text, *a: warnings.append(text) or QMessageBox.StandardButton.Ok,
    )
    bogus = tmp_path / "bogus.json"
    bogus.write_text("[1, 2]", encoding="utf-8")
    fresh.load_mapping_file(str(bogus))
    assert warnings and "not a Northbeam Desktop mapping preset" in warnings[0]


def test_time_zone_defaults_to_the_documents_and_is_checked(
    make_dialog, tmp_path: Path, monkeypatch
) -> None:
    doc = open_document(orderfiles.template_clean(tmp_path), timezone="America/New_York")
    dialog = make_dialog(doc)
    assert dialog.timezone() == "America/New_York"
    assert dialog.timezone_combo.findText("Europe/Berlin") >= 0
    warnings: list[str] = []
    monkeypatch.setattr(
        mapping_dialog_module.QMessageBox,
        "warning",
        lambda _parent, _title, text, *a: warnings.append(text) or QMessageBox.StandardButton.Ok,
    )
    dialog.timezone_combo.setCurrentText("Mars/Olympus_Mons")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "is not a time zone name" in warnings[0]
    dialog.timezone_combo.setCurrentText("Europe/Berlin")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.timezone() == "Europe/Berlin"


def test_edit_mapping_from_the_document_view(qtbot, tmp_path: Path, monkeypatch, store) -> None:
    doc = open_document(orderfiles.european_csv(tmp_path))
    view = DocumentView(doc, preset_store=store)
    qtbot.addWidget(view)

    def fake_exec(dialog: MappingDialog) -> int:
        dialog.choose("order_id", "Beleg-Nr.")
        dialog.timezone_combo.setCurrentText("Europe/Berlin")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(MappingDialog, "exec", fake_exec)
    view.named_actions["edit_mapping"].trigger()
    assert not doc.blocked
    assert doc.timezone_name == "Europe/Berlin"
    assert [r.order_id for r in doc.orders] == ["A-1", "A-2"]


def test_the_mapping_dialog_renders(make_dialog, tmp_path: Path) -> None:
    doc = open_document(orderfiles.shopify_export(tmp_path), timezone="America/New_York")
    dialog = make_dialog(doc)
    assert dialog.grab().save(str(tmp_path / "mapping.png"))


def test_the_time_zone_picker_lists_the_shared_zones(make_dialog, tmp_path: Path) -> None:
    from northbeam_desktop.core.orders.timezones import picker_names

    dialog = make_dialog(open_document(orderfiles.template_clean(tmp_path), timezone="UTC"))
    combo = dialog.timezone_combo
    assert [combo.itemText(i) for i in range(combo.count())] == list(picker_names())


def test_the_dialog_fits_the_screen_and_its_buttons_stay_on_it(make_dialog, tmp_path) -> None:
    """No fixed 980 × 760: on a small screen the fields scroll and OK stays in view."""
    dialog = make_dialog(open_document(orderfiles.shopify_export(tmp_path)))
    screen = dialog.screen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
    assert dialog.minimumHeight() <= 600
    dialog.resize(1240, 660)  # a 1280 × 720 screen, less the title bar
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert ok.mapTo(dialog, ok.rect().bottomRight()).y() <= dialog.height()
