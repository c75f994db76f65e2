"""Opening a file without freezing the window: read and check it on a pool thread.

    loader = DocumentLoader(window)
    loader.progress.connect(busy.set_message)      # "Reading orders.xlsx…", "Checking 100,000 rows…"
    loader.loaded.connect(self._on_loader_loaded)  # an OrderDocument
    loader.failed.connect(self._on_loader_failed)  # a sentence for the user
    loader.cancelled.connect(...)                  # the user closed the sheet picker
    loader.load(path, LoadOptions(timezone=prefs.timezone, hash_identifiers=prefs.hash))

Steps: a quick estimate of the memory the file needs (from its size and kind); when that is
more than this computer has free, `confirm_memory` says so in one sentence and the user may
cancel or open anyway; `read_file` on a pool thread; for a workbook with several sheets,
`choose_sheet` asks on the GUI thread which one holds the orders (the first sheet with data is the default, and is not
read twice when kept); a saved mapping preset for files with the same columns is applied; when
the file's purchase times don't say their time zone, the zone remembered for files with these
columns is used, or the user is asked once (`choose_zone`) and the answer remembered; whether
cancelled orders are sent is taken from the choice last made for files with these columns; then
`OrderDocument` is built on a pool thread. A `ReadError` (and the engine's ValueErrors, such as an
unknown time zone) reach the user as their own sentence; anything unexpected becomes a friendly
sentence while the traceback goes to the log (`logging.exception`).

`run_in_background(fn, on_finished, on_failed)` is the same machinery for other long work (the
document view re-checks big files after a re-mapping with it). `BusyIndicator` is a small
"Opening…" panel to show while loading.

The cyclic garbage collector is kept out of the way while a file is read and checked, and what
was built is then frozen (`workers.long_lived`): a 100,000-row document is millions of
long-lived objects without cycles, and a full collection over them holds the interpreter lock
for a few hundred milliseconds, which the window would feel as a freeze.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.files.errors import SaveError
from northbeam_desktop.core.orders.document import LoadOptions, OrderDocument
from northbeam_desktop.core.orders.mapping import (
    PresetStore,
    auto_map,
    mapping_from_preset,
    preset_has_fields,
    preset_timezone,
)
from northbeam_desktop.core.orders.readers import ReadError, check_memory, read_file
from northbeam_desktop.core.orders.sheet import SheetData
from northbeam_desktop.core.orders.timezones import local_timezone_name
from northbeam_desktop.core.orders.values import times_without_zone
from northbeam_desktop.ui.workers import FunctionWorker, long_lived, start_worker

log = logging.getLogger(__name__)


class LoadError(Exception):
    """A failure already worded for the user (the traceback, if any, is in the log)."""


def friendly_message(exc: BaseException, what: str) -> str:
    """The sentence shown for a failure while `what` ("opening orders.csv") was going on.
    Call it inside the `except` block, so an unexpected error's traceback is logged."""
    if isinstance(exc, ReadError | LoadError | SaveError | ValueError) and str(exc).strip():
        return str(exc)
    log.exception("Unexpected error while %s", what)
    return (
        f"Something went wrong while {what}. Your file was not changed. The details are in "
        "the log file; please send it to support if this happens again."
    )


def _guarded(fn: Callable[..., Any], what: str) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            raise LoadError(friendly_message(exc, what)) from None

    return run


def run_in_background(
    fn: Callable[..., Any],
    on_finished: Callable[[Any], None],
    on_failed: Callable[[str], None],
    *args: Any,
    what: str = "checking the orders",
) -> FunctionWorker:
    """Call `fn(*args)` on the app's thread pool; the callbacks run on the GUI thread."""
    worker = FunctionWorker(_guarded(fn, what), *args)
    worker.signals.finished.connect(on_finished)
    worker.signals.failed.connect(on_failed)
    return start_worker(worker)


def default_preset_store() -> PresetStore:
    """Mapping presets live in the app's config folder."""
    from northbeam_desktop.core.local.appdirs import app_dirs

    return PresetStore(app_dirs().config / "mappings")


class SheetPickerDialog(QDialog):
    """Which sheet of the workbook holds the orders?"""

    def __init__(
        self, sheets: Sequence[str], default: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Choose a Sheet")
        label = QLabel("This workbook has several sheets. Which one holds your orders?")
        label.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Sheets")
        for name in sheets:
            item = QListWidgetItem(name)
            if name == default:
                item.setToolTip("The first sheet with data")
            self.list.addItem(item)
        row = list(sheets).index(default) if default is not None and default in sheets else 0
        self.list.setCurrentRow(row)
        self.list.itemDoubleClicked.connect(self._on_list_item_double_clicked)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Open")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(380, 300)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return item.text() if item is not None else None

    def _on_list_item_double_clicked(self, _item: QListWidgetItem) -> None:
        self.accept()


def choose_sheet(parent: QWidget | None, sheets: Sequence[str], default: str | None) -> str | None:
    """Ask which sheet to open; the sheet name, or None when the user cancels."""
    dialog = SheetPickerDialog(sheets, default, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.chosen()


SheetChooser = Callable[[QWidget | None, Sequence[str], str | None], str | None]
# (parent, file name, suggested zone, an example time) -> the zone, or None (keep the suggested)
ZoneChooser = Callable[[QWidget | None, str, str, str | None], str | None]


def ask_zone(
    parent: QWidget | None, file_name: str, default: str, example: str | None
) -> str | None:
    """Ask which time zone a file's times are in (the dialog of `ui/dialogs/timezone.py`)."""
    from northbeam_desktop.ui.dialogs import timezone

    return timezone.choose_zone(parent, file_name, default, example)


def confirm_memory(parent: QWidget | None, message: str) -> bool:
    """Warn that a file may not fit in memory; True when the user opens it anyway."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Not Enough Free Memory", message, parent=parent)
    open_anyway = box.addButton("Open Anyway", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is open_anyway


MemoryConfirmer = Callable[[QWidget | None, str], bool]


class DocumentLoader(QObject):
    """Reads and checks a file off the GUI thread. See the module docstring."""

    loaded = Signal(object)  # OrderDocument
    failed = Signal(str)  # a sentence for the user
    progress = Signal(str)  # what is happening now, for the busy indicator
    cancelled = Signal()  # the user declined to choose a sheet

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        preset_store: PresetStore | None = None,
        sheet_chooser: SheetChooser | None = choose_sheet,
        zone_chooser: ZoneChooser | None = ask_zone,
        memory_confirmer: MemoryConfirmer | None = confirm_memory,
    ) -> None:
        super().__init__(parent)
        self.preset_store = preset_store
        self.sheet_chooser = sheet_chooser
        self.zone_chooser = zone_chooser
        self.memory_confirmer = memory_confirmer
        self.preset_notes: list[str] = []  # notes from applying a saved mapping
        self.preset_applied = False
        # How the zone for times without one was settled: "remembered" (for files with these
        # columns), "chosen" (asked just now), "default" (the settings' zone), or None when
        # every time says its own zone.
        self.zone_source: str | None = None
        self._ask_zone = True
        self._generation = 0
        self._worker: FunctionWorker | None = None
        self._path = ""
        self._options = LoadOptions()

    @property
    def busy(self) -> bool:
        return self._worker is not None

    def load(
        self,
        path: str | os.PathLike[str],
        options: LoadOptions | None = None,
        *,
        ask_zone: bool = True,
    ) -> None:
        """Start loading; exactly one of loaded / failed / cancelled follows. `ask_zone=False`
        never asks for a time zone (a restore brings back the zone the user chose)."""
        self._generation += 1
        self._path = str(path)
        self._options = replace(options) if options is not None else LoadOptions()
        self.preset_notes = []
        self.preset_applied = False
        self.zone_source = None
        self._ask_zone = ask_zone
        if not self._memory_confirmed():
            self.cancelled.emit()
            return
        self._read()

    def cancel(self) -> None:
        """Forget the load in progress: its result is dropped when it arrives."""
        if self._worker is not None:
            self._generation += 1
            self._worker = None
            self.cancelled.emit()

    # ---- steps -----------------------------------------------------------------------------

    def _memory_confirmed(self) -> bool:
        if self.memory_confirmer is None:
            return True
        check = check_memory(self._path)
        if check is None or check.fits:
            return True
        log.warning("%s may not fit in memory: %s", self._name(), check)
        widget = self.parent() if isinstance(self.parent(), QWidget) else None
        return self.memory_confirmer(widget, check.warning(self._name()))  # type: ignore[arg-type]

    def _name(self) -> str:
        return Path(self._path).name

    def _start(
        self, fn: Callable[..., Any], done: Callable[[Any], None], what: str, *args: Any
    ) -> None:
        generation = self._generation

        def finished(result: object) -> None:
            if generation == self._generation:
                self._worker = None
                done(result)

        def failed(message: str) -> None:
            if generation == self._generation:
                self._worker = None
                self.failed.emit(message)

        self._worker = run_in_background(fn, finished, failed, *args, what=what)

    def _read(self) -> None:
        self.progress.emit(f"Reading {self._name()}…")
        self._start(
            long_lived(read_file),
            self._on_read,
            f"opening {self._name()}",
            self._path,
            self._options.sheet,
        )

    def _on_read(self, sheet: SheetData) -> None:
        if self._options.sheet is None and len(sheet.sheets) > 1 and self.sheet_chooser is not None:
            widget = self.parent() if isinstance(self.parent(), QWidget) else None
            chosen = self.sheet_chooser(widget, sheet.sheets, sheet.sheet)  # type: ignore[arg-type]
            if chosen is None:
                self.cancelled.emit()
                return
            self._options.sheet = chosen
            if chosen != sheet.sheet:
                self._read()
                return
        self._apply_preset(sheet)
        self._settle_zone(sheet)
        if self.preset_store is not None:
            # Upload → Send Cancelled Orders, as last chosen for files with these columns.
            include = self.preset_store.include_cancelled_for(sheet.headers)
            if include is not None:
                self._options.include_cancelled = include
        self.progress.emit(f"Checking {len(sheet.rows):,} rows…")
        self._start(
            long_lived(OrderDocument),
            self.loaded.emit,
            f"checking {self._name()}",
            sheet,
            self._options,
        )

    def _apply_preset(self, sheet: SheetData) -> None:
        if self._options.mapping is not None or self.preset_store is None:
            return
        data = self.preset_store.find(sheet.headers)
        if data is None or not preset_has_fields(data):
            return  # none, or one that only remembers a time zone (see _settle_zone)
        try:
            mapping, notes = mapping_from_preset(data, sheet.headers)
        except ValueError as exc:
            self.preset_notes = [str(exc)]
            return
        self._options.mapping = mapping
        self.preset_notes = notes
        self.preset_applied = True

    def _settle_zone(self, sheet: SheetData) -> None:
        """Times without a zone: use the zone remembered for files with these columns, or ask
        once (and remember the answer); the settings' zone when the user cancels."""
        mapping = self._options.mapping or auto_map(sheet.headers)
        column = mapping.column_for("time_of_purchase")
        if column is None or column not in sheet.headers:
            return
        index = sheet.headers.index(column)
        if not times_without_zone(row[index] for row in sheet.rows):
            return
        self.zone_source = "default"
        store = self.preset_store
        data = store.find(sheet.headers) if store is not None else None
        remembered = preset_timezone(data) if data is not None else None
        if remembered:
            self._options.timezone = remembered
            self.zone_source = "remembered"
            return
        if not self._ask_zone or self.zone_chooser is None or store is None:
            return
        example = next((row[index] for row in sheet.rows if row[index] is not None), None)
        widget = self.parent() if isinstance(self.parent(), QWidget) else None
        default = self._options.timezone or local_timezone_name()
        shown = None if example is None else str(example)
        chosen = self.zone_chooser(widget, self._name(), default, shown)  # type: ignore[arg-type]
        if not chosen:
            return
        self._options.timezone = chosen
        self.zone_source = "chosen"
        try:
            store.remember_timezone(sheet.headers, chosen)
        except OSError as exc:
            log.warning("Could not remember the time zone: %s", exc)


class BusyIndicator(QWidget):
    """'Opening orders.xlsx…' with a moving bar and a Cancel button, for the window's centre
    while a `DocumentLoader` works."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BusyIndicator")
        self.setAccessibleName("Opening file")
        self.message_label = QLabel("Opening…")
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.message_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.message_label.setFont(font)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(320)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.message_label)
        layout.addWidget(self.bar, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def attach(self, loader: DocumentLoader) -> None:
        """Show the loader's progress; Cancel drops its result."""
        loader.progress.connect(self.set_message)
        self.cancel_requested.connect(loader.cancel)

    def set_message(self, text: str) -> None:
        self.message_label.setText(text)

    def _on_cancel_button_clicked(self) -> None:
        self.cancel_requested.emit()
