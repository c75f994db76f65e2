"""“Time Zone of Your Times”: which zone a file's times are in, when the times don't say it.

Northbeam receives every purchase time with its offset from UTC; a time written as
`2026-03-10 10:00` is an hour apart in Berlin and in London. When a file's times carry no zone,
the app asks once for files with those columns (the answer is remembered with the file's mapping
preset) and shows the zone it uses in the problems panel and the status bar, from where this same
dialog changes it.

`choose_zone(parent, file_name, default, example)` is the one call the app makes; tests replace
it like the static QMessageBox calls.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.orders.timezones import picker_names
from northbeam_desktop.ui.document.cell_text import escape_html


def utc_offset(zone: str, when: dt.datetime | None = None) -> str:
    """'UTC+01:00' for a zone now (or at `when`); '' for an unknown name."""
    try:
        info = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return ""
    moment = (when or dt.datetime.now(dt.UTC)).astimezone(info)
    offset = moment.utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


class TimeZoneDialog(QDialog):
    """Pick the zone of a file's times; `zone()` is the chosen IANA name."""

    def __init__(
        self,
        file_name: str,
        default: str,
        example: str | None = None,
        *,
        changing: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Time Zone of Your Times")
        self.setAccessibleName("Time zone of the times in this file")
        sample = f" (for example {escape_html(example)})" if example else ""
        question = QLabel(
            f"The times in <b>{escape_html(file_name)}</b>{sample} don't say their time zone. "
            "Which zone were they written in?"
        )
        question.setWordWrap(True)
        question.setTextFormat(Qt.TextFormat.RichText)
        self.zone_combo = QComboBox()
        self.zone_combo.setObjectName("ZoneCombo")
        self.zone_combo.setAccessibleName("Time zone")
        self.zone_combo.setEditable(True)
        self.zone_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        names = list(picker_names())
        self.zone_combo.addItems(names)
        if default not in names:
            self.zone_combo.insertItem(0, default)
        self.zone_combo.setCurrentText(default)
        self.zone_combo.setMinimumContentsLength(24)
        completer = QCompleter(names, self.zone_combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.zone_combo.setCompleter(completer)
        self.offset_label = QLabel()
        self.offset_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.zone_combo.currentTextChanged.connect(self._on_zone_combo_current_text_changed)
        form = QFormLayout()
        label = QLabel("&Time zone:")
        label.setBuddy(self.zone_combo)
        form.addRow(label, self.zone_combo)
        form.addRow("", self.offset_label)
        hint = QLabel(
            "Each time is sent to Northbeam with this zone's offset. It is remembered for files "
            "with the same columns; you can change it later from the problems panel or the "
            "status bar."
            if not changing
            else "The file is checked again with the new zone, and it is remembered for files "
            "with the same columns."
        )
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Problem with the time zone")
        self.error_label.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Use This Zone")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self._on_zone_combo_current_text_changed(default)
        self.setMinimumWidth(460)

    def zone(self) -> str:
        return self.zone_combo.currentText().strip()

    def _on_zone_combo_current_text_changed(self, text: str) -> None:
        offset = utc_offset(text.strip())
        self.offset_label.setText(f"Now {offset}" if offset else "")

    def _on_buttons_accepted(self) -> None:
        if not utc_offset(self.zone()):
            self.error_label.setText(
                f"“{self.zone()}” is not a time zone name. Pick one from the list, for example "
                "Europe/Berlin or America/New_York."
            )
            self.error_label.show()
            self.zone_combo.setFocus()
            return
        self.accept()


def choose_zone(
    parent: QWidget | None,
    file_name: str,
    default: str,
    example: str | None = None,
    *,
    changing: bool = False,
) -> str | None:
    """Ask for the zone of a file's times; the IANA name, or None when the user cancels."""
    dialog = TimeZoneDialog(file_name, default, example, changing=changing, parent=parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.zone()
    finally:
        dialog.deleteLater()
