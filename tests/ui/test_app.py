"""Starting the app, the crash dialog and log, the background workers, and the bundled icon."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThread
from PySide6.QtGui import QFileOpenEvent, QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from northbeam_desktop.core.local.redaction import forget_secrets, register_secret
from northbeam_desktop.resources import resource_path
from northbeam_desktop.ui import app as app_module
from northbeam_desktop.ui.app import CrashReporter, app_icon, configure_logging, run_gui
from northbeam_desktop.ui.dialogs.error import ErrorDialog
from northbeam_desktop.ui.main_window import MainWindow
from northbeam_desktop.ui.workers import FunctionWorker, start_worker


@pytest.fixture
def file_logging() -> Iterator[Path]:
    """The app's file log, removed from the root logger again after the test."""
    root = logging.getLogger()
    before = list(root.handlers)
    path = configure_logging()
    assert path is not None
    yield path
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


def raise_and_catch(message: str) -> tuple[type[BaseException], BaseException, object]:
    try:
        raise RuntimeError(message)
    except RuntimeError:
        return sys.exc_info()  # type: ignore[return-value]


def test_log_file_is_in_the_app_home(file_logging: Path, app_home: Path) -> None:
    assert file_logging == app_home / "logs" / "northbeam-desktop.log"


def test_unexpected_error_is_logged_and_explained(
    qtbot: QtBot, file_logging: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reporter = CrashReporter(file_logging)
    reporter.install()
    try:
        assert sys.excepthook is reporter
        reporter(*raise_and_catch("the table model broke"))  # type: ignore[arg-type]
    finally:
        reporter.uninstall()
    assert sys.excepthook is not reporter

    dialog = reporter.dialog
    assert isinstance(dialog, ErrorDialog)
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    assert "did not expect" in dialog.summary_label.text()
    assert str(file_logging) in dialog.log_label.text()
    assert "RuntimeError: the table model broke" in dialog.details
    assert "raise_and_catch" in dialog.details  # the traceback, not only the message

    log_text = file_logging.read_text(encoding="utf-8")
    assert "Unexpected error" in log_text and "the table model broke" in log_text

    dialog.copy_button.click()
    clipboard = QGuiApplication.clipboard().text()
    assert "RuntimeError: the table model broke" in clipboard
    assert str(file_logging) in clipboard


def test_errors_while_the_dialog_is_open_join_it(qtbot: QtBot, file_logging: Path) -> None:
    reporter = CrashReporter(file_logging)
    reporter(*raise_and_catch("first"))  # type: ignore[arg-type]
    first = reporter.dialog
    assert first is not None
    qtbot.addWidget(first)
    reporter(*raise_and_catch("second"))  # type: ignore[arg-type]
    assert reporter.dialog is first
    assert "second" in first.details_view.toPlainText()


def test_crash_report_never_contains_the_api_key(qtbot: QtBot, file_logging: Path) -> None:
    secret = "nb-secret-key-0123456789"
    register_secret(secret)
    try:
        reporter = CrashReporter(file_logging)
        reporter(*raise_and_catch(f"bad header {secret}"))  # type: ignore[arg-type]
        assert reporter.dialog is not None
        qtbot.addWidget(reporter.dialog)
        assert secret not in reporter.dialog.details
        assert "[redacted]" in reporter.dialog.details
        for handler in logging.getLogger().handlers:
            handler.flush()
        assert secret not in file_logging.read_text(encoding="utf-8")
    finally:
        forget_secrets()


def test_run_gui_opens_the_file_given_on_the_command_line(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_logging: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("order_id\n1\n", encoding="utf-8")
    opened: list[str] = []
    windows: list[MainWindow] = []

    def record(self: MainWindow, p: str) -> bool:
        windows.append(self)
        opened.append(str(p))
        return True

    monkeypatch.setattr(MainWindow, "open_file", record)
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    before = sys.excepthook
    assert run_gui([str(path)]) == 0
    assert opened == [str(path)]
    assert sys.excepthook is before  # restored on the way out
    app = QApplication.instance()
    assert app is not None
    assert QGuiApplication.applicationDisplayName() == "Northbeam Desktop"
    assert not QGuiApplication.windowIcon().isNull()
    for window in windows:
        qtbot.addWidget(window)


def test_run_gui_without_a_file_shows_the_start_page(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, file_logging: Path
) -> None:
    shown: list[MainWindow] = []
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    original_show = MainWindow.show

    def show(self: MainWindow) -> None:
        shown.append(self)
        original_show(self)

    monkeypatch.setattr(MainWindow, "show", show)
    assert run_gui([]) == 0
    assert len(shown) == 1
    qtbot.addWidget(shown[0])
    assert shown[0].stack.currentWidget() is shown[0].start_page


def test_file_open_event_from_the_os_opens_the_file(qtbot: QtBot, tmp_path: Path) -> None:
    opened: list[str] = []
    forwarder = app_module.FileOpenForwarder(opened.append)
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(forwarder)
    try:
        QApplication.sendEvent(app, QFileOpenEvent(str(tmp_path / "orders.xlsx")))
    finally:
        app.removeEventFilter(forwarder)
    assert opened == [str(tmp_path / "orders.xlsx")]


def test_file_argument_skips_options() -> None:
    assert app_module._file_argument(["--verbose", "orders.csv"]) == "orders.csv"
    assert app_module._file_argument(["-x"]) is None


def test_app_icon_is_bundled() -> None:
    assert resource_path("icon.svg").is_file()
    assert resource_path("icon.ico").is_file()
    assert resource_path("icon.icns").read_bytes()[:4] == b"icns"
    icon = app_icon()
    sizes = {size.width() for size in icon.availableSizes()}
    assert {16, 32, 256, 512} <= sizes


def test_resource_path_prefers_the_pyinstaller_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "icon.svg").write_text("<svg/>")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_path("icon.svg") == tmp_path / "resources" / "icon.svg"


def test_worker_reports_its_result_on_the_gui_thread(qtbot: QtBot) -> None:
    threads: list[bool] = []
    gui_thread = QApplication.instance().thread()  # type: ignore[union-attr]

    def work(a: int, b: int) -> int:
        threads.append(QThread.currentThread() is gui_thread)
        return a + b

    worker = FunctionWorker(work, 2, 3)
    received: list[bool] = []
    worker.signals.finished.connect(
        lambda result: received.append(QThread.currentThread() is gui_thread)
    )
    with qtbot.waitSignal(worker.signals.finished) as blocker:
        start_worker(worker)
    assert blocker.args == [5]
    assert threads == [False]  # the work ran off the GUI thread
    qtbot.waitUntil(lambda: received == [True])


def test_worker_failure_becomes_a_sentence(qtbot: QtBot) -> None:
    def broken() -> None:
        raise ValueError("The file has no header row.")

    worker = FunctionWorker(broken)
    with qtbot.waitSignal(worker.signals.failed) as blocker:
        start_worker(worker)
    assert blocker.args == ["The file has no header row."]

    def wordless() -> None:
        raise KeyError()

    silent = FunctionWorker(wordless)
    with qtbot.waitSignal(silent.signals.failed) as blocker:
        start_worker(silent)
    assert "KeyError" in blocker.args[0]


def test_worker_progress_and_cancel(qtbot: QtBot) -> None:
    started = threading.Event()

    def count(limit: int, *, progress, cancel: threading.Event) -> int:
        done = 0
        for done in range(1, limit + 1):
            progress(done)
            started.set()
            if cancel.wait(0.01):
                break
        return done

    worker = FunctionWorker(count, 10_000, progress=True, cancellable=True)
    seen: list[object] = []
    worker.signals.progress.connect(seen.append)
    with qtbot.waitSignal(worker.signals.finished, timeout=10_000) as blocker:
        start_worker(worker)
        assert started.wait(5)
        worker.cancel()
    assert blocker.args[0] < 10_000
    qtbot.waitUntil(lambda: len(seen) >= 1)
    assert seen[0] == 1


@pytest.mark.parametrize("restoring", [False, True])
def test_run_gui_offers_recovery_before_opening_the_file(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    file_logging: Path,
    restoring: bool,
) -> None:
    from northbeam_desktop.ui.document.session import DocumentSession

    path = tmp_path / "orders.csv"
    path.write_text("order_id\n1\n", encoding="utf-8")
    calls: list[str] = []
    windows: list[MainWindow] = []

    def offer(self: DocumentSession) -> bool:
        windows.append(self.window)
        calls.append("offer")
        return restoring

    def record(self: MainWindow, p: str) -> bool:
        calls.append("open")
        return True

    monkeypatch.setattr(DocumentSession, "offer_recovery", offer)
    monkeypatch.setattr(MainWindow, "open_file", record)
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    assert run_gui([str(path)]) == 0
    for window in windows:
        qtbot.addWidget(window)
    if restoring:
        assert calls == ["offer"]  # the restored file comes first; FILE waits
        assert "orders.csv" in windows[0].statusBar().currentMessage()
    else:
        assert calls == ["offer", "open"]
