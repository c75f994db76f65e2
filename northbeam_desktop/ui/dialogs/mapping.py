"""Column mapping: which column of the user's file holds which Northbeam field.

One row per Northbeam field, grouped as Northbeam's order is (Order, Products, Refunds, Shipping
address, Alternate IDs). Each row has a combo with the file's columns (or “— not in my file —”;
the customer ID also offers “Make from email or phone”), a few sample values of the chosen column,
and why it was chosen automatically (`FieldMatch.explanation`). Required fields without a column
are called out in red with the columns that might hold them. Above the fields, what kind of file
this is ("This looks like a Shopify orders export — columns set for it") and every field made
from other columns ("Customer ID ← made from the customer's email or phone"); a field this kind
of file makes (Etsy's order total from its parts) offers “Made from other columns” in its combo.

For a Shopify export the order-ID choice between `Id` and `Name` is asked separately, with the
sentence explaining which one the Northbeam pixel usually sends. The time zone for times written
without one is chosen here too. A mapping can be remembered for every file with the same columns
(a preset in the app's config folder), saved to a file and loaded from one.

    dialog = MappingDialog.for_document(doc, parent)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        view.apply_mapping(dialog.mapping(), dialog.timezone())
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.orders.document import OrderDocument
from northbeam_desktop.core.orders.fields import (
    ALL_FIELDS,
    DERIVED_CUSTOMER_ID,
    FIELDS_BY_KEY,
    FieldSpec,
    Level,
)
from northbeam_desktop.core.orders.mapping import (
    DERIVED_CUSTOMER_NOTE,
    FieldMatch,
    Mapping,
    MatchReason,
    PresetStore,
    auto_map,
    load_preset,
    mapping_from_preset,
    preset_has_fields,
    save_preset,
    shopify_order_id_choices,
    suggest_columns,
)
from northbeam_desktop.core.orders.platforms import SHOPIFY_ORDER_ID_NOTE, DerivedField
from northbeam_desktop.core.orders.reading import file_reading
from northbeam_desktop.core.orders.sheet import SheetData
from northbeam_desktop.core.orders.timezones import picker_names
from northbeam_desktop.ui import icons
from northbeam_desktop.ui.document.cell_text import display_text, escape_html

NOT_IN_FILE = "— not in my file —"
FROM_EMAIL = "Make from email or phone"
MADE_FROM = "Made from other columns"
_MADE = "\x00made"  # a combo's data for MADE_FROM (no header is ever this)

SECTIONS = [
    (Level.ORDER, "Order"),
    (Level.PRODUCT, "Products"),
    (Level.REFUND, "Refunds"),
    (Level.ADDRESS, "Shipping address"),
    (Level.ALTERNATE_ID, "Alternate IDs"),
    (Level.INFO, "Used to read the file (not sent)"),
]
SECTION_NOTES = {
    Level.REFUND: "Only needed if your file lists refunds.",
    Level.ADDRESS: "Optional; when an address is sent it needs a country and a ZIP / postcode.",
    Level.ALTERNATE_ID: "Optional: other IDs the same order has, for example from an older system.",
    Level.INFO: "Columns that keep an order's rows together, mark cancelled orders, or help "
    "check the totals. Nothing here is sent to Northbeam.",
}


def is_required(spec: FieldSpec) -> bool:
    """Required for every order (refund/address fields are required only inside their part)."""
    return spec.required and spec.level in (Level.ORDER, Level.PRODUCT)


class MappingDialog(QDialog):
    """Choose the column of every Northbeam field. See the module docstring.

    API: `MappingDialog(sheet, mapping, timezone, parent, preset_store=…)` or
    `MappingDialog.for_document(doc, parent)`; after `exec()`: `mapping()` → Mapping,
    `timezone()` → IANA name. `combos[field_key]` and `detail_labels[field_key]` are the
    widgets of each field's row; `missing_required()` lists required fields without a column.
    """

    def __init__(
        self,
        sheet: SheetData,
        mapping: Mapping,
        timezone: str,
        parent: QWidget | None = None,
        *,
        preset_store: PresetStore | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Column Mapping")
        self.setObjectName("MappingDialog")
        self._sheet = sheet
        self._headers = list(sheet.headers)
        self._mapping = mapping.copy()
        self._original = mapping.copy()
        if preset_store is None:
            from northbeam_desktop.ui.document.loader import default_preset_store

            preset_store = default_preset_store()
        self.preset_store = preset_store
        self._samples: dict[int, list[str]] = {}
        self.combos: dict[str, QComboBox] = {}
        self.field_labels: dict[str, QLabel] = {}
        self.detail_labels: dict[str, QLabel] = {}
        self._dark = icons.is_dark(self.palette())

        intro = QLabel(
            f"Choose which column of <b>{escape_html(Path(sheet.path).name)}</b> holds each "
            "Northbeam field. Fields marked <b>*</b> are needed for every order; the rest are "
            "optional."
        )
        intro.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("MappingStatus")
        self.status_label.setWordWrap(True)
        # What kind of file this is, and the fields made from other columns (as the problems
        # panel and `validate` say it).
        self.reading_label = QLabel()
        self.reading_label.setObjectName("MappingReading")
        self.reading_label.setAccessibleName("How the file is read")
        self.reading_label.setWordWrap(True)
        self.reading_label.setTextFormat(Qt.TextFormat.RichText)
        # Fields this kind of file makes from other columns, to offer back once changed.
        self._derivable: dict[str, DerivedField] = {
            **auto_map(self._headers, sheet.rows).derived,
            **mapping.derived,
        }

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.reading_label)
        layout.addWidget(self.status_label)

        self.order_id_buttons: dict[str, QRadioButton] = {}
        self.order_id_group: QButtonGroup | None = None
        self.shopify_box = self._build_shopify_box()
        if self.shopify_box is not None:
            layout.addWidget(self.shopify_box)

        scroll = QScrollArea()
        scroll.setObjectName("MappingFields")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.StyledPanel)
        scroll.setWidget(self._build_fields())
        layout.addWidget(scroll, 1)

        layout.addWidget(self._build_timezone(timezone))

        self.save_preset_box = QCheckBox("Save as preset for files like this")
        self.save_preset_box.setToolTip(
            "Next time you open a file with the same columns, this mapping is used for it."
        )
        saved = self.preset_store.find(self._headers)
        self.save_preset_box.setChecked(saved is not None and preset_has_fields(saved))
        layout.addWidget(self.save_preset_box)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.reset_button = QPushButton("&Automatic")
        self.reset_button.setToolTip("Go back to the columns chosen automatically")
        self.load_button = QPushButton("&Load Mapping…")
        self.load_button.setToolTip("Use a mapping saved to a file")
        self.save_button = QPushButton("&Save Mapping to File…")
        self.save_button.setToolTip("Keep this mapping in a file, to share or reuse")
        self.load_button.clicked.connect(self._on_load_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.reset_button)
        bottom.addWidget(self.load_button)
        bottom.addWidget(self.save_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self._refresh()
        self.setSizeGripEnabled(True)
        self._fit_to_screen()

    def _fit_to_screen(self) -> None:
        """980 × 760, or less on a small screen (a 1280 × 720 laptop): the fields scroll, the
        buttons stay on screen."""
        parent = self.parentWidget()
        screen = (parent.screen() if parent is not None else None) or self.screen()
        available = screen.availableGeometry().size() if screen is not None else None
        width, height = 980, 760
        if available is not None:
            width = min(width, int(available.width() * 0.95))
            height = min(height, int(available.height() * 0.92))
        self.resize(width, height)

    @classmethod
    def for_document(
        cls,
        doc: OrderDocument,
        parent: QWidget | None = None,
        *,
        preset_store: PresetStore | None = None,
    ) -> MappingDialog:
        return cls(doc.sheet, doc.mapping, doc.timezone_name, parent, preset_store=preset_store)

    # ---- results ---------------------------------------------------------------------------

    def mapping(self) -> Mapping:
        return self._mapping.copy()

    def timezone(self) -> str:
        return self.timezone_combo.currentText().strip()

    def missing_required(self) -> list[FieldSpec]:
        return self._mapping.missing_required()

    # ---- construction ----------------------------------------------------------------------

    def _build_shopify_box(self) -> QGroupBox | None:
        choices = shopify_order_id_choices(self._headers)
        if self._mapping.source != "shopify" or len(choices) < 2:
            return None
        box = QGroupBox("Which Shopify order number is the order ID?")
        box.setObjectName("ShopifyOrderId")
        group = QButtonGroup(box)
        row = QHBoxLayout()
        for header in choices:
            samples = self._samples_of(self._headers.index(header))
            example = f" — e.g. {samples[0]}" if samples else ""
            button = QRadioButton(f"{header}{example}")
            button.setObjectName(f"OrderIdChoice{header}")
            group.addButton(button)
            self.order_id_buttons[header] = button
            row.addWidget(button)
        row.addStretch(1)
        note = QLabel(SHOPIFY_ORDER_ID_NOTE)
        note.setObjectName("ShopifyNote")
        note.setWordWrap(True)
        box_layout = QVBoxLayout(box)
        box_layout.addLayout(row)
        box_layout.addWidget(note)
        # buttonClicked, not toggled: toggled also fires while the dialog is torn down.
        group.buttonClicked.connect(self._on_order_id_group_button_clicked)
        self.order_id_group = group
        self.shopify_note_label = note
        return box

    def _build_fields(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(12, 8, 12, 12)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(2, 1)
        grid.setColumnMinimumWidth(1, 240)
        row = 0
        for level, title in SECTIONS:
            heading = QLabel(title)
            heading.setObjectName(f"Section{level.value.title()}")
            font = heading.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.15)
            heading.setFont(font)
            grid.addWidget(heading, row, 0, 1, 3)
            row += 1
            note = SECTION_NOTES.get(level)
            if note:
                note_label = QLabel(note)
                note_label.setEnabled(False)
                grid.addWidget(note_label, row, 0, 1, 3)
                row += 1
            for spec in (s for s in ALL_FIELDS if s.level is level):
                label = QLabel(spec.label + (" *" if is_required(spec) else ""))
                label.setToolTip(spec.description)
                label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
                label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                combo = QComboBox()
                combo.setObjectName(f"Combo_{spec.key}")
                combo.setAccessibleName(f"Column for {spec.label}")
                combo.setToolTip(spec.description)
                combo.setSizeAdjustPolicy(
                    QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
                )
                combo.setMinimumContentsLength(22)
                combo.addItem(NOT_IN_FILE, None)
                if spec.key == "customer_id":
                    combo.addItem(FROM_EMAIL, DERIVED_CUSTOMER_ID)
                if spec.key in self._derivable:
                    combo.addItem(MADE_FROM, _MADE)
                for header in self._headers:
                    combo.addItem(header, header)
                combo.setMaxVisibleItems(20)
                combo.activated.connect(self._make_combo_slot(spec.key))
                label.setBuddy(combo)
                detail = QLabel()
                detail.setObjectName(f"Detail_{spec.key}")
                detail.setWordWrap(True)
                detail.setTextFormat(Qt.TextFormat.RichText)
                detail.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
                combo_height = combo.sizeHint().height()
                label.setMinimumHeight(combo_height)
                line = detail.fontMetrics().height()
                detail.setContentsMargins(0, max(0, (combo_height - line) // 2), 0, 4)
                grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(combo, row, 1, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(detail, row, 2)
                self.combos[spec.key] = combo
                self.field_labels[spec.key] = label
                self.detail_labels[spec.key] = detail
                row += 1
            spacer = QWidget()
            spacer.setFixedHeight(10)
            grid.addWidget(spacer, row, 0)
            row += 1
        grid.setRowStretch(row, 1)
        return page

    def _build_timezone(self, timezone: str) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        label = QLabel("&Time zone for times written without one:")
        self.timezone_combo = QComboBox()
        self.timezone_combo.setObjectName("TimeZoneCombo")
        self.timezone_combo.setEditable(True)
        self.timezone_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        names = list(picker_names())
        self.timezone_combo.addItems(names)
        if timezone not in names:
            self.timezone_combo.insertItem(0, timezone)
        self.timezone_combo.setCurrentText(timezone)
        self.timezone_combo.setMinimumContentsLength(24)
        completer = QCompleter(names, self.timezone_combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.timezone_combo.setCompleter(completer)
        label.setBuddy(self.timezone_combo)
        hint = QLabel("Used for values such as 2026-03-08 13:45 that don't say their zone.")
        hint.setEnabled(False)
        hint.setWordWrap(True)
        hint.setMinimumWidth(120)
        row.addWidget(label)
        row.addWidget(self.timezone_combo)
        row.addWidget(hint, 1)
        return box

    def _make_combo_slot(self, key: str) -> Callable[[int], None]:
        def slot(_index: int) -> None:
            self._choose(key, self.combos[key].currentData())

        return slot

    # ---- state -----------------------------------------------------------------------------

    def choose(self, field_key: str, column: str | None) -> None:
        """Point a field at a column (None: not in the file), as if picked in its combo."""
        self._choose(field_key, column)

    def _choose(self, key: str, column: str | None) -> None:
        if column == _MADE:
            self._mapping.matches.pop(key, None)
            self._mapping.derived[key] = self._derivable[key]
        elif column == DERIVED_CUSTOMER_ID:
            self._mapping.matches[key] = FieldMatch(
                key, DERIVED_CUSTOMER_ID, MatchReason.DERIVED, DERIVED_CUSTOMER_NOTE
            )
        else:
            self._mapping.set(key, column, MatchReason.USER)
        self._refresh()

    def _samples_of(self, col_index: int) -> list[str]:
        samples = self._samples.get(col_index)
        if samples is None:
            samples = []
            for row in self._sheet.rows[:500]:
                text = display_text(row[col_index])
                if text and text not in samples:
                    samples.append(text)
                    if len(samples) == 3:
                        break
            self._samples[col_index] = samples
        return samples

    def _colour(self, name: str) -> str:
        light = {"red": "#c62828", "muted": "#6b6b6b", "ok": "#1b6e3c"}
        dark = {"red": "#ff8a80", "muted": "#a8a8a8", "ok": "#78d696"}
        return (dark if self._dark else light)[name]

    def _refresh(self) -> None:
        mapping = self._mapping
        used_by = {m.column: k for k, m in mapping.matches.items()}
        for spec in ALL_FIELDS:
            key = spec.key
            combo = self.combos[key]
            match = mapping.matches.get(key)
            column = match.column if match else None
            if match is None and key in mapping.derived:
                column = _MADE
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(column)))
            combo.blockSignals(False)
            for i in range(combo.count()):
                header = combo.itemData(i)
                if header in (None, DERIVED_CUSTOMER_ID, _MADE):
                    continue
                owner = used_by.get(header)
                suffix = ""
                if owner is not None and owner != key:
                    suffix = f"   (now {FIELDS_BY_KEY[owner].label})"
                combo.setItemText(i, f"{header}{suffix}")
            missing = match is None and key not in mapping.derived and is_required(spec)
            label = self.field_labels[key]
            label.setStyleSheet(
                f"color: {self._colour('red')}; font-weight: bold" if missing else ""
            )
            self.detail_labels[key].setText(self._detail_html(spec, match, missing))
        self._refresh_shopify()
        self._refresh_reading()
        self._refresh_status()

    def _refresh_reading(self) -> None:
        reading = file_reading(self._mapping)
        head = escape_html(reading.headline())
        if reading.grouping:
            head += " " + escape_html(reading.grouping)
        lines = [f"<b>{head}</b>"]
        lines.extend(escape_html(made.text) for made in reading.made)
        self.reading_label.setText("<br>".join(lines))

    def _detail_html(self, spec: FieldSpec, match: FieldMatch | None, missing: bool) -> str:
        muted = self._colour("muted")
        if missing:
            hints = suggest_columns(spec, self._headers, self._mapping)
            if hints:
                hint = "Columns that might hold it: " + ", ".join(f"“{h}”" for h in hints) + "."
            else:
                unused = [h for h in self._headers if self._mapping.field_for(h) is None][:4]
                hint = (
                    "Columns not used yet: " + ", ".join(f"“{h}”" for h in unused) + "."
                    if unused
                    else "Add a column with it to your file."
                )
            extra = ""
            if spec.key == "customer_id":
                extra = f" Or choose “{FROM_EMAIL}”."
            return (
                f"<span style='color:{self._colour('red')}'><b>Required, but no column is "
                f"chosen.</b> {escape_html(hint)}{escape_html(extra)}</span>"
            )
        if match is None:
            derived = self._mapping.derived.get(spec.key)
            if derived is None:
                return ""
            return (
                f"<span style='color:{muted}'>This kind of file has no column for it: made "
                f"from {escape_html(derived.explanation)}.</span>"
            )
        if match.column == DERIVED_CUSTOMER_ID:
            return f"<span style='color:{muted}'>{escape_html(DERIVED_CUSTOMER_NOTE)}</span>"
        parts = []
        if match.column in self._headers:
            samples = self._samples_of(self._headers.index(match.column))
            if samples:
                parts.append(" · ".join(escape_html(_short(s)) for s in samples))
            else:
                parts.append("<i>(empty in the first rows)</i>")
        reason = self._mapping.reason_text(match)
        if match.note and match.reason is not MatchReason.KNOWN_EXPORT:
            reason = match.explanation
        if match.reason in (MatchReason.EXACT, MatchReason.KNOWN_EXPORT, MatchReason.SYNONYM):
            reason = f"Matched: {reason}"
        else:
            reason = reason[0].upper() + reason[1:]
        parts.append(f"<span style='color:{muted}'>{escape_html(reason)}</span>")
        return "<br>".join(parts)

    def _refresh_shopify(self) -> None:
        if not self.order_id_buttons:
            return
        column = self._mapping.column_for("order_id")
        for header, button in self.order_id_buttons.items():
            button.blockSignals(True)
            button.setChecked(header == column)
            button.blockSignals(False)

    def _refresh_status(self) -> None:
        missing = self._mapping.missing_required()
        used = {m.column for m in self._mapping.matches.values()} & set(self._headers)
        text = f"{len(used)} of {len(self._headers)} columns of your file are used. "
        if missing:
            names = ", ".join(spec.label for spec in missing)
            noun = "field has" if len(missing) == 1 else "fields have"
            self.status_label.setText(
                f"<span style='color:{self._colour('red')}'>{text}<b>{len(missing)} required "
                f"{noun} no column: {escape_html(names)}.</b> No order can be sent until "
                "you choose one.</span>"
            )
        else:
            self.status_label.setText(
                f"{text}<span style='color:{self._colour('ok')}'>Every required field has a "
                "column.</span>"
            )

    # ---- slots -----------------------------------------------------------------------------

    def _on_order_id_group_button_clicked(self, button: QRadioButton) -> None:
        for header, candidate in self.order_id_buttons.items():
            if candidate is button:
                self._choose("order_id", header)

    def _on_reset_button_clicked(self) -> None:
        self._mapping = auto_map(self._headers, self._sheet.rows)
        self._refresh()

    def _on_load_button_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Load Mapping", "", "Mapping files (*.json);;All files (*)"
        )
        if path:
            self.load_mapping_file(path)

    def load_mapping_file(self, path: str) -> list[str]:
        """Use a mapping saved to a file; returns the notes shown to the user."""
        try:
            mapping, notes = mapping_from_preset(load_preset(path), self._headers)
        except ValueError as exc:
            QMessageBox.warning(self, "Load Mapping", str(exc))
            return [str(exc)]
        self._mapping = mapping
        self._refresh()
        if notes:
            QMessageBox.information(self, "Load Mapping", "\n\n".join(notes))
        return notes

    def _on_save_button_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, "Save Mapping", "mapping.json", "Mapping files (*.json)"
        )
        if path:
            if not path.lower().endswith(".json"):
                path += ".json"
            try:
                save_preset(path, self._mapping, self._headers)
            except OSError as exc:
                QMessageBox.warning(self, "Save Mapping", f"The mapping could not be saved: {exc}")

    def accept(self) -> None:  # Qt override
        zone = self.timezone()
        if zone not in picker_names():
            try:
                zoneinfo.ZoneInfo(zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                QMessageBox.warning(
                    self,
                    "Time Zone",
                    f"“{zone}” is not a time zone name. Choose one from the list, such as "
                    "America/New_York or Europe/Berlin.",
                )
                return
        if self.save_preset_box.isChecked():
            try:
                self.preset_store.remember(self._mapping, self._headers, zone)
            except OSError as exc:
                QMessageBox.warning(
                    self,
                    "Save Preset",
                    f"The preset could not be saved ({exc}); the mapping is still used.",
                )
        super().accept()


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
