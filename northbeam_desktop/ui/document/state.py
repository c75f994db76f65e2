"""What the parts of a document session share: the open view, where its file lives, and what
is running on it.

One `SessionState` per window, owned by `DocumentSession` and handed to the parts that open,
save, journal and upload the document; they read and set its fields, nothing else of each other.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from northbeam_desktop.core.local.recovery import FileFingerprint
from northbeam_desktop.core.orders.document import OrderDocument
from northbeam_desktop.ui.document.host import DocumentHost
from northbeam_desktop.ui.workers import FunctionWorker

if TYPE_CHECKING:
    from northbeam_desktop.ui.dialogs.upload.dialog import UploadDialog
    from northbeam_desktop.ui.document.view import DocumentView


class FileOnDisk(NamedTuple):
    """The file the document was read from or last saved to: the recovery journal is written
    against it, and Save checks that no other program changed it meanwhile."""

    path: str
    sheet: str | None
    fingerprint: FileFingerprint | None


class SessionState:
    """The open document (see the module docstring)."""

    def __init__(self) -> None:
        self.view: DocumentView | None = None
        self.source_path: str | None = None  # the file the document was read from
        self.save_path: str | None = None  # where Save writes without asking again
        self.on_disk: FileOnDisk | None = None
        # Restored edits are unsaved although nothing is undoable.
        self.restored_dirty = False
        self.task: FunctionWorker | None = None  # a save or an export on the pool
        self.upload_dialog: UploadDialog | None = None

    @property
    def document(self) -> OrderDocument | None:
        return self.view.document if self.view is not None else None

    @property
    def is_modified(self) -> bool:
        """True while the document has edits that are not saved."""
        view = self.view
        return view is not None and (self.restored_dirty or not view.undo_stack.isClean())

    def name(self) -> str:
        """The file's name for messages ("orders.xlsx"), or "the file"."""
        path = self.save_path or self.source_path
        return Path(path).name if path else "the file"

    def busy_reason(self) -> str | None:
        """Why the document cannot be saved, exported, uploaded or closed now, or None."""
        if self.upload_dialog is not None:
            return "Finish the upload first."
        if self.task is not None or (self.view is not None and self.view.busy):
            return "Please wait a moment: the orders are still being processed."
        return None

    def refuse_while_busy(self, window: DocumentHost) -> bool:
        """True (with the reason in the status bar) while `busy_reason()` says no."""
        reason = self.busy_reason()
        if reason is not None:
            window.show_status(reason)
        return reason is not None

    def show_modified(self, window: DocumentHost) -> None:
        """The window's unsaved-changes marker and Save action follow `is_modified`."""
        modified = self.is_modified
        window.setWindowModified(modified)
        # Save with nothing changed would only rewrite the file as it is.
        window.save_action.setEnabled(self.view is not None and modified)
