"""“What will be sent”: the exact JSON of the current row's order, before anything leaves the
computer.

The JSON comes from `doc.payload(record)`, the same function the uploader uses, so the preview
and the upload cannot differ. When hashing is on, the email and phone appear as the SHA-256
hashes that are sent (a note says so). An order that still has errors shows its errors instead
of a partial payload: nothing is sent for it until they are fixed.
"""

from __future__ import annotations

import json
import re

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.orders.document import OrderDocument, OrderRecord
from northbeam_desktop.core.orders.issues import Severity
from northbeam_desktop.ui import icons
from northbeam_desktop.ui.document.cell_text import escape_html

_TOKEN = re.compile(
    r'(?P<key>"(?:[^"\\]|\\.)*"(?=\s*:))|(?P<string>"(?:[^"\\]|\\.)*")'
    r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(?P<literal>\btrue\b|\bfalse\b|\bnull\b)"
)


class JsonHighlighter(QSyntaxHighlighter):
    """Keys, strings, numbers and literals in colours that read on light and dark palettes."""

    def __init__(self, document: QTextDocument, dark: bool) -> None:
        super().__init__(document)
        self.set_dark(dark)

    def set_dark(self, dark: bool) -> None:
        colours = (
            {"key": "#9cdcfe", "string": "#ce9178", "number": "#b5cea8", "literal": "#569cd6"}
            if dark
            else {"key": "#0b5394", "string": "#a31515", "number": "#098658", "literal": "#7a3e9d"}
        )
        self._formats = {}
        for name, colour in colours.items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(colour))
            if name == "key":
                fmt.setFontWeight(QFont.Weight.DemiBold)
            self._formats[name] = fmt
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        for match in _TOKEN.finditer(text):
            kind = match.lastgroup
            if kind:
                self.setFormat(match.start(), match.end() - match.start(), self._formats[kind])


def payload_json(doc: OrderDocument, record: OrderRecord) -> str:
    return json.dumps(doc.payload(record), indent=2, ensure_ascii=False)


class PayloadView(QWidget):
    """Read-only JSON of one order, or the reasons it can't be sent yet."""

    def __init__(self, document: OrderDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PayloadView")
        self.setAccessibleName("What will be sent")
        self._doc = document
        self._record: OrderRecord | None = None

        self.title_label = QLabel("What will be sent")
        self.title_label.setObjectName("PayloadTitle")
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.order_label = QLabel()
        self.order_label.setObjectName("PayloadOrder")
        self.order_label.setTextFormat(Qt.TextFormat.PlainText)
        self.copy_button = QPushButton("Copy JSON")
        self.copy_button.setToolTip("Copy the JSON of this order to the clipboard")
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.title_label)
        header.addWidget(self.order_label, 1)
        header.addWidget(self.copy_button)

        self.note_label = QLabel()
        self.note_label.setObjectName("PayloadNote")
        self.note_label.setWordWrap(True)

        self.json_view = QPlainTextEdit()
        self.json_view.setObjectName("PayloadJson")
        self.json_view.setAccessibleName("JSON sent to Northbeam")
        self.json_view.setReadOnly(True)
        self.json_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.json_view.setFont(mono)
        self._highlighter = JsonHighlighter(self.json_view.document(), icons.is_dark())

        self.errors_view = QTextBrowser()
        self.errors_view.setObjectName("PayloadErrors")
        self.errors_view.setAccessibleName("Why this order can't be sent")
        self.errors_view.setOpenLinks(False)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.json_view)
        self.stack.addWidget(self.errors_view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.note_label)
        layout.addWidget(self.stack, 1)

        self._timer = QTimer(self)  # coalesce: the current row changes fast while scrolling
        self._timer.setSingleShot(True)
        self._timer.setInterval(30)
        self._timer.timeout.connect(self.refresh)
        self.show_record(None)

    # ---- API -------------------------------------------------------------------------------

    def set_document(self, document: OrderDocument) -> None:
        self._doc = document
        self.show_record(None)

    @property
    def record(self) -> OrderRecord | None:
        return self._record

    def show_row(self, row_index: int | None) -> None:
        """Show the order of a sheet row (None: nothing)."""
        record = None
        if row_index is not None and 0 <= row_index < len(self._doc.order_of_row):
            record = self._doc.order_of_row[row_index]
        if record is not self._record:
            self._record = record
            self._timer.start()

    def show_record(self, record: OrderRecord | None) -> None:
        self._record = record
        self.refresh()

    def showing_errors(self) -> bool:
        return self.stack.currentWidget() is self.errors_view

    def text(self) -> str:
        """What is shown, as plain text (tests, copy)."""
        if self.showing_errors():
            return self.errors_view.toPlainText()
        return self.json_view.toPlainText()

    def refresh(self) -> None:
        """Rebuild the view for the current order (after edits of that order)."""
        self._timer.stop()
        doc = self._doc
        record = self._record
        if record is not None and not record.row_indices:
            record = self._record = None  # the order vanished (its rows were regrouped)
        self._highlighter.set_dark(icons.is_dark(self.palette()))
        if record is None:
            self.order_label.setText("")
            self.note_label.setText("Select a row to see the order exactly as it will be sent.")
            self.note_label.show()
            self.json_view.setPlainText("")
            self.stack.setCurrentWidget(self.json_view)
            self.copy_button.setEnabled(False)
            return
        numbers = [doc.sheet.row_numbers[r] for r in record.row_indices]
        where = f"row {numbers[0]}" if len(numbers) == 1 else f"rows {numbers[0]}–{numbers[-1]}"
        name = f"Order {record.order_id}" if record.order_id else "This order"
        self.order_label.setText(f"— {name[0].lower()}{name[1:]}, {where}")
        if doc.blocked:
            self._show_errors(
                "<p><b>Nothing can be sent yet.</b> A column Northbeam requires is not chosen; "
                "use <i>Edit mapping…</i> to choose it.</p>"
                + "".join(
                    f"<p>✖ {escape_html(issue.message)}</p>"
                    for issue in doc.mapping_issues
                    if issue.is_error
                )
            )
            return
        if record.has_errors:
            items = "".join(
                f"<li style='margin-bottom:4px'>{self._place(issue.row, issue.column)}"
                f"{escape_html(issue.message)}</li>"
                for issue in record.errors
            )
            self._show_errors(
                f"<p><b>{escape_html(name)} can't be sent until "
                f"{'this is' if len(record.errors) == 1 else 'these are'} fixed:</b></p>"
                f"<ul style='margin-left:-20px'>{items}</ul>"
            )
            return
        notes = []
        if doc.options.hash_identifiers:
            notes.append(
                "Hashing is on: the email and phone number are shown as the SHA-256 hashes "
                "that are sent, never the plain values."
            )
        if record.held_back:
            notes.append(
                "Not sent: this order was cancelled in your shop. Below is what would be sent "
                "with Upload → Send Cancelled Orders on."
            )
        # Notes (values changed for you, a cancelled order sent) are not warnings to check.
        warnings = [issue for issue in record.issues if issue.severity is Severity.WARNING]
        if warnings:
            notes.append(
                f"Can be sent; {len(warnings)} warning{'s' if len(warnings) != 1 else ''} to "
                "check (see the marked cells)."
            )
        self.note_label.setText(" ".join(notes))
        self.note_label.setVisible(bool(notes))
        self.json_view.setPlainText(payload_json(doc, record))
        self.stack.setCurrentWidget(self.json_view)
        self.copy_button.setEnabled(True)

    # ---- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _place(row: int | None, column: str | None) -> str:
        if row is None:
            return ""
        place = f"Row {row}" + (f", {escape_html(column)}" if column else "")
        return f"<b>{place}:</b> "

    def _show_errors(self, body: str) -> None:
        self.note_label.hide()
        self.errors_view.setHtml(body)
        self.stack.setCurrentWidget(self.errors_view)
        self.copy_button.setEnabled(False)

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.json_view.toPlainText())
