"""Start the desktop app: the QApplication, logging, the crash dialog and the main window.

`run_gui(argv)` is what `northbeam-desktop [FILE]` calls. It

* names the application (QSettings, the window manager and the log use the names),
* keeps the operating system's own style and palette, so light and dark mode are followed
  (Qt 6 scales for high-DPI screens by itself),
* logs to a rotating file in the user log folder (`core.appdirs.app_dirs().log`, or
  `$NORTHBEAM_DESKTOP_HOME/logs`), with every known API key redacted,
* replaces `sys.excepthook` so an unexpected error is logged and shown in an `ErrorDialog`
  instead of vanishing or killing the app,
* offers to restore the unsaved edits a crash left behind (`DocumentSession.offer_recovery`),
* opens FILE when one is given (unless a restore is already opening a file), and waits for
  background work to finish before returning.
"""

from __future__ import annotations

import logging
import logging.handlers
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QEvent, QObject, QThread
from PySide6.QtGui import QFileOpenEvent, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from northbeam_desktop import APP_NAME, __version__
from northbeam_desktop.core.local.appdirs import app_dirs
from northbeam_desktop.core.local.redaction import install_redaction
from northbeam_desktop.resources import resource_path
from northbeam_desktop.ui.dialogs.error import ErrorDialog
from northbeam_desktop.ui.workers import thread_pool

log = logging.getLogger(__name__)

ORGANIZATION_NAME = "Northbeam"
APPLICATION_NAME = "northbeam-desktop"  # folders, QSettings, the Linux .desktop file
LOG_FILE_NAME = "northbeam-desktop.log"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def app_icon() -> QIcon:
    """The app icon in every rendered size (falls back to the SVG, then to no icon)."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = resource_path(f"icon-{size}.png")
        if path.exists():
            icon.addFile(str(path))
    if icon.isNull():
        svg = resource_path("icon.svg")
        if svg.exists():
            icon.addFile(str(svg))
    return icon


# How long a thread may hold the interpreter lock while another waits for it (Python's default
# is 5 ms). Reading, checking and uploading run on pool threads; every paint of the window calls
# into Python many times, and each call may wait this long for a busy worker. 0.2 ms keeps the
# window responsive while a worker computes and costs the workers nothing measurable.
GIL_SWITCH_INTERVAL_S = 0.0002


def tune_interpreter() -> None:
    """Let the GUI thread get the interpreter lock quickly while workers compute."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)


def configure_logging(level: int = logging.INFO) -> Path | None:
    """Log to a rotating file in the user log folder; returns its path (None if unwritable).

    Redaction is installed first, so no handler ever sees a registered API key.
    """
    install_redaction()
    root = logging.getLogger()
    root.setLevel(min(root.level or level, level))
    try:
        log_path = app_dirs().log / LOG_FILE_NAME
        for handler in root.handlers:
            if getattr(handler, "baseFilename", None) == str(log_path):
                return log_path
        handler = logging.handlers.RotatingFileHandler(
            log_path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError as exc:
        print(f"Northbeam Desktop cannot write its log file: {exc}", file=sys.stderr)
        return None
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s")
    )
    root.addHandler(handler)
    install_redaction()  # attach the redaction filter to the new handler too
    return log_path


class CrashReporter:
    """The `sys.excepthook` of the GUI: log the traceback, then explain it in an ErrorDialog.

    One dialog at a time: errors that arrive while it is open (a broken paint handler repeats
    every frame) are logged and appended to that dialog's details rather than stacking windows.
    Errors outside the GUI thread are logged only; workers report their own failures.
    """

    def __init__(self, log_path: Path | None, parent: Callable[[], QWidget | None] | None = None):
        self.log_path = log_path
        self._parent = parent or (lambda: None)
        self.dialog: ErrorDialog | None = None
        self._previous: ExceptHook | None = None
        self._previous_thread_hook: Callable[[threading.ExceptHookArgs], object] | None = None

    def install(self) -> None:
        self._previous = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        if sys.excepthook is self and self._previous is not None:
            sys.excepthook = self._previous
        if self._previous_thread_hook is not None:
            threading.excepthook = self._previous_thread_hook

    def __call__(
        self,
        exc_type: type[BaseException],
        exc_value: BaseException,
        exc_tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc_value, exc_tb)
            return
        log.critical("Unexpected error", exc_info=(exc_type, exc_value, exc_tb))
        details = "".join(traceback.format_exception(exc_type, exc_value, exc_tb))
        app = QApplication.instance()
        on_gui_thread = app is not None and QThread.currentThread() is app.thread()
        if not on_gui_thread:
            sys.__excepthook__(exc_type, exc_value, exc_tb)
            return
        try:
            self._show(details)
        except Exception:  # the dialog itself failed: never recurse into this hook
            log.exception("Could not show the error dialog")
            sys.__excepthook__(exc_type, exc_value, exc_tb)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        log.critical(
            "Unexpected error in thread %s",
            getattr(args.thread, "name", "?"),
            exc_info=(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback),
        )

    def _show(self, details: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.append_details(details)
            return
        self.dialog = ErrorDialog(details, log_path=self.log_path, parent=self._parent())
        self.dialog.open()


class FileOpenForwarder(QObject):
    """macOS sends "open this file" (Finder's Open With, a drop on the Dock icon) as a
    QFileOpenEvent to the application; hand it to the window like a command-line FILE."""

    def __init__(self, open_file: Callable[[str], object], parent: QObject | None = None):
        super().__init__(parent)
        self._open_file = open_file

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            path = event.file()
            if path:
                self._open_file(path)
                return True
        return False


def _file_argument(args: list[str]) -> str | None:
    """The first argument that is not an option: the file to open."""
    for arg in args:
        if arg and not arg.startswith("-"):
            return arg
    return None


def create_application(argv: list[str]) -> tuple[QApplication, list[str]]:
    """The QApplication (reused if one exists, as in tests), named and with the app icon, and
    the arguments left once Qt has taken its own options (-platform, -style …)."""
    QGuiApplication.setOrganizationName(ORGANIZATION_NAME)
    QGuiApplication.setApplicationName(APPLICATION_NAME)
    QGuiApplication.setApplicationDisplayName(APP_NAME)
    QGuiApplication.setApplicationVersion(__version__)
    QGuiApplication.setDesktopFileName(APPLICATION_NAME)
    tune_interpreter()
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app, args = existing, list(argv)
    else:
        app = QApplication([sys.argv[0], *argv])
        args = app.arguments()[1:]
    app.setWindowIcon(app_icon())
    return app, args


def run_gui(argv: list[str]) -> int:
    """Run the desktop app until its window closes; returns the process exit code."""
    from northbeam_desktop.ui.main_window import MainWindow

    log_path = configure_logging()
    app, args = create_application(argv)
    window: MainWindow | None = None
    reporter = CrashReporter(log_path, parent=lambda: window)
    reporter.install()
    # Ctrl+C in the terminal ends the app instead of waiting for the next Python callback.
    previous_sigint = signal.signal(signal.SIGINT, signal.SIG_DFL)
    log.info("Northbeam Desktop %s starting", __version__)
    try:
        window = MainWindow()
        forwarder = FileOpenForwarder(window.open_file, window)
        app.installEventFilter(forwarder)
        window.show()
        restoring = window.session.offer_recovery() if window.session is not None else False
        path = _file_argument(args)
        if path is not None:
            if restoring:
                window.show_status(
                    f"“{Path(path).name}” was not opened: your restored changes come first. "
                    "Open it when you are done."
                )
            else:
                window.open_file(path)
        return app.exec()
    finally:
        thread_pool().waitForDone()
        reporter.uninstall()
        signal.signal(signal.SIGINT, previous_sigint)
        log.info("Northbeam Desktop stopped")
