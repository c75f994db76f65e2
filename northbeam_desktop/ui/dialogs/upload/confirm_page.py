"""The Upload dialog's *Confirm* page: destination, how many orders are new / changed /
unchanged / failed last time / listed twice / skipped for errors / cancelled in the shop, the
bytes to send and “Send unchanged orders too”. Production gets an orange banner, and its Upload
button stays disabled until the user types UPLOAD or the number of orders.

The dialog connects `cancel_button` and `upload_button` and calls `fill()` once the upload is
prepared."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.northbeam.environments import Environment
from northbeam_desktop.core.northbeam.ledger import OrderClass
from northbeam_desktop.core.northbeam.upload_job import PreparedUpload, UploadTarget
from northbeam_desktop.core.northbeam.wording import format_bytes
from northbeam_desktop.ui.dialogs.upload.widgets import (
    CountGrid,
    button_row,
    environment_banner,
    heading,
    wrapped,
)
from northbeam_desktop.ui.dialogs.upload.wording import (
    CANCELLED_NOTE,
    count_text,
    held_back,
    orders_text,
)

__all__ = ["CONFIRM_WORD", "ConfirmPage"]

CONFIRM_WORD = "UPLOAD"


class ConfirmPage(QWidget):
    """What will be sent where; `prepared` is None until `fill()`."""

    def __init__(self, target: UploadTarget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self.prepared: PreparedUpload | None = None
        box = QVBoxLayout(self)
        box.setSpacing(10)
        self.confirm_title = heading("Upload orders")
        box.addWidget(self.confirm_title)
        self.confirm_banner = environment_banner(target)
        box.addWidget(self.confirm_banner)

        self.destination_label = wrapped()
        self.destination_label.setTextFormat(Qt.TextFormat.RichText)
        box.addWidget(self.destination_label)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        box.addWidget(line)

        self.counts = CountGrid()
        self.counts.add("new", "New orders")
        self.counts.add("changed", "Changed since the last upload")
        self.counts.add("failed", "Rejected or interrupted last time")
        self.counts.add("unchanged", f"Unchanged ({target.already_there})")
        self.counts.add("duplicate", "Listed twice in the file")
        self.counts.add("errors", "Skipped because of errors")
        self.counts.add("cancelled", "Cancelled in your shop")
        self.counts.add("send", "To send", bold=True)
        box.addWidget(self.counts)

        self.force_check = QCheckBox("Send &unchanged orders too")
        self.force_check.setToolTip(
            f"Send orders again even though {target.name} already accepted exactly this content."
        )
        self.force_check.toggled.connect(self._on_force_check_toggled)
        box.addWidget(self.force_check)

        self.nothing_label = wrapped()
        self.nothing_label.setVisible(False)
        box.addWidget(self.nothing_label)

        self.confirm_frame = QWidget()
        confirm_box = QVBoxLayout(self.confirm_frame)
        confirm_box.setContentsMargins(0, 6, 0, 0)
        self.confirm_prompt = wrapped()
        confirm_box.addWidget(self.confirm_prompt)
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setPlaceholderText(CONFIRM_WORD)
        self.confirm_edit.setAccessibleName("Type UPLOAD or the number of orders to confirm")
        self.confirm_edit.textChanged.connect(self._on_confirm_edit_text_changed)
        self.confirm_prompt.setBuddy(self.confirm_edit)
        confirm_box.addWidget(self.confirm_edit)
        self.confirm_frame.setVisible(target.is_production)
        box.addWidget(self.confirm_frame)

        box.addStretch(1)
        self.cancel_button = QPushButton("Cancel")
        self.upload_button = QPushButton("Upload")
        if target.is_production:
            font = QFont(self.upload_button.font())
            font.setBold(True)
            self.upload_button.setFont(font)
            self.upload_button.setStyleSheet(
                "QPushButton:enabled { background: #c2410c; color: white;"
                " border: 1px solid #7c2d12; border-radius: 4px; padding: 5px 16px; }"
            )
        else:
            self.upload_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowUp))
            self.upload_button.setDefault(True)
        box.addLayout(button_row(self.cancel_button, self.upload_button))

    def force(self) -> bool:
        return self.force_check.isChecked()

    def fill(self, prepared: PreparedUpload) -> None:
        self.prepared = prepared
        target = self.target
        env_label = (
            target.environment.label
            if target.environment is not Environment.CUSTOM
            else ("Custom URL")
        )
        client = prepared.credentials.client_id
        account = (
            "Northbeam's public test account"
            if prepared.credentials.is_sandbox_test
            else f"Data Client ID {client}"
        )
        self.destination_label.setText(
            f"<b>Destination:</b> {env_label} — <code>{target.host}</code><br>"
            f"<b>Account:</b> {account}"
        )
        unchanged = prepared.count(OrderClass.UNCHANGED)
        self.force_check.setEnabled(unchanged > 0)
        self.update_counts()

    def update_counts(self) -> None:
        prepared = self.prepared
        if prepared is None:
            return
        force = self.force()
        unchanged = prepared.count(OrderClass.UNCHANGED)
        failed = prepared.count(OrderClass.FAILED) + prepared.count(OrderClass.IN_FLIGHT)
        self.counts.set("new", prepared.count(OrderClass.NEW), "will be sent")
        self.counts.set("changed", prepared.count(OrderClass.CHANGED), "will be sent")
        self.counts.set("failed", failed, "will be sent again", visible=failed > 0)
        self.counts.set(
            "unchanged",
            unchanged,
            "will be sent again" if force else "not sent again",
        )
        self.counts.set(
            "duplicate",
            prepared.duplicates,
            "only the first copy is sent",
            visible=prepared.duplicates > 0,
        )
        cancelled = held_back(prepared.skipped)
        errors = len(prepared.skipped) - cancelled
        self.counts.set("errors", errors, "fix them in the table first" if errors else "")
        self.counts.set("cancelled", cancelled, CANCELLED_NOTE, visible=cancelled > 0)
        to_send = prepared.to_send(force)
        self.counts.set(
            "send", to_send, f"{format_bytes(prepared.bytes_to_send(force))} of order data"
        )
        name = self.target.name
        self.confirm_title.setText(f"Upload {orders_text(to_send)} to {name}")
        if self.target.is_production:
            text = f"Upload {orders_text(to_send)} to Production"
            self.upload_button.setText(text)
            # The bold font and the style sheet's padding are not in the size hint.
            metrics = QFontMetrics(self.upload_button.font())
            self.upload_button.setMinimumWidth(metrics.horizontalAdvance(text) + 40)
        else:
            self.upload_button.setText(f"Upload {orders_text(to_send)}")
        if to_send == 0:
            self.nothing_label.setText(
                self._nothing_to_send(unchanged, errors, cancelled, force=force)
            )
        self.nothing_label.setVisible(to_send == 0)
        self.confirm_prompt.setText(
            f"To confirm, type <b>{CONFIRM_WORD}</b> or the number of orders "
            f"(<b>{count_text(to_send)}</b>):"
        )
        self.update_upload_button()

    def _nothing_to_send(self, unchanged: int, errors: int, cancelled: int, *, force: bool) -> str:
        """Why the Upload button is off although there are orders."""
        if unchanged and not force and errors:
            they = "it is" if unchanged == 1 else "they are"
            return (
                f"Nothing new to send: the {orders_text(unchanged)} without errors "
                f"{'is' if unchanged == 1 else 'are'} {self.target.already_there} exactly as "
                f"{they}, and the other {orders_text(errors)} can't be sent until "
                f"{'its' if errors == 1 else 'their'} errors are fixed. Tick “Send unchanged "
                "orders too” to send the unchanged ones again."
            )
        if unchanged and not force:
            return (
                f"Nothing new to send: every one of these orders is {self.target.already_there} "
                "exactly as it is. Tick “Send unchanged orders too” to send them again."
            )
        if errors:
            return "No order can be sent yet: fix the errors marked in the table first."
        if cancelled:
            these = "this order was" if cancelled == 1 else "these orders were"
            return (
                f"Nothing to send: {these} cancelled in your shop. To send "
                f"{'it' if cancelled == 1 else 'them'}, close this and turn on Upload → "
                "Send Cancelled Orders."
            )
        return "There are no orders to send."

    def confirmed(self) -> bool:
        if not self.target.is_production:
            return True
        assert self.prepared is not None
        typed = self.confirm_edit.text().strip()
        to_send = self.prepared.to_send(self.force())
        digits = typed.replace(",", "").replace(".", "").replace(" ", "").replace("\u202f", "")
        return typed.upper() == CONFIRM_WORD or (digits.isdigit() and int(digits) == to_send)

    def update_upload_button(self) -> None:
        prepared = self.prepared
        ready = prepared is not None and prepared.to_send(self.force()) > 0 and self.confirmed()
        self.upload_button.setEnabled(ready)

    def focus_first(self) -> None:
        """Production: the confirmation box; elsewhere the Upload button."""
        if self.target.is_production:
            self.confirm_edit.setFocus()
        else:
            self.upload_button.setFocus()

    def _on_force_check_toggled(self, _checked: bool) -> None:
        self.update_counts()

    def _on_confirm_edit_text_changed(self, _text: str) -> None:
        self.update_upload_button()
