"""Run plain Python functions off the GUI thread and hear back through Qt signals.

The pattern (Picard, TagStudio): a `QRunnable` does the work on the app's `QThreadPool`; a small
`QObject` carries its signals back to the GUI thread, where slots update widgets. Workers never
touch widgets themselves.

    worker = FunctionWorker(client.check_credentials)
    worker.signals.finished.connect(self._on_check_finished)
    worker.signals.failed.connect(self._on_check_failed)
    start_worker(worker)

A function that reports progress or can be cancelled takes plain Python arguments for that, so it
stays testable without Qt: pass `progress=True` to receive a `progress` callable (each call emits
`signals.progress`) and `cancellable=True` to receive a `cancel` `threading.Event` that
`worker.cancel()` sets.

`long_lived(fn)` wraps work that builds a large, long-lived structure (a document, the payloads of
an upload): the cyclic garbage collector is paused meanwhile and what was built is frozen out of
later collections (`gc.freeze()`). A full collection over millions of such objects holds the
interpreter lock for hundreds of milliseconds, which the window would feel as a freeze. Frozen
objects are still freed as soon as nothing refers to them; `gc.unfreeze()` (the document session
calls it when a document is closed) hands the rest back to the collector.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

# Workers started through start_worker() are kept alive here until they report back, so neither
# the runnable nor its signal carrier can be collected while a queued signal is still on its way.
_running: set[FunctionWorker] = set()


class WorkerSignals(QObject):
    """The signals of one worker; lives in the thread that created the worker (the GUI thread)."""

    finished = Signal(object)  # the function's return value
    failed = Signal(str)  # a sentence for the user; the traceback goes to the log
    progress = Signal(object)  # whatever the function passed to its progress callable


class FunctionWorker(QRunnable):
    """Calls `fn(*args, **kwargs)` on a pool thread and emits `finished(result)` or `failed(str)`.

    Exactly one of `finished` and `failed` is emitted. An exception's own text becomes the
    `failed` message (core errors are written for users); an exception without text is reported
    by its kind, and every traceback is logged.
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        *args: Any,
        progress: bool = False,
        cancellable: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns the object; see _running
        self.fn = fn
        self.args = args
        self.kwargs = dict(kwargs)
        self.signals = WorkerSignals()
        self.cancel_event = threading.Event()
        if progress:
            self.kwargs["progress"] = self.signals.progress.emit
        if cancellable:
            self.kwargs["cancel"] = self.cancel_event

    def cancel(self) -> None:
        """Ask the function to stop; it sees the `cancel` event set (if it took one)."""
        self.cancel_event.set()

    def run(self) -> None:  # Qt override, runs on a pool thread
        try:
            result = self.fn(*self.args, **self.kwargs)
        except Exception as exc:
            log.exception("Background task %s failed", getattr(self.fn, "__qualname__", self.fn))
            self.signals.failed.emit(failure_message(exc))
        else:
            self.signals.finished.emit(result)


def long_lived(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` with the cyclic GC paused while it runs and its result frozen (see the module
    docstring)."""

    def run(*args: Any, **kwargs: Any) -> Any:
        collecting = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.freeze()
            if collecting:
                gc.enable()

    run.__qualname__ = getattr(fn, "__qualname__", "long_lived")
    return run


def failure_message(exc: BaseException) -> str:
    """The sentence shown for an exception raised by background work."""
    text = str(exc).strip()
    if text:
        return text
    return f"The task stopped unexpectedly ({type(exc).__name__}). Details are in the log file."


def thread_pool() -> QThreadPool:
    """The app's pool for background work; `run_gui` waits for it before exiting."""
    return QThreadPool.globalInstance()


def start_worker(worker: FunctionWorker, pool: QThreadPool | None = None) -> FunctionWorker:
    """Start `worker` on `pool` (the app's pool by default) and keep it alive until it reports."""
    _running.add(worker)

    def release(_payload: object = None) -> None:
        _running.discard(worker)

    worker.signals.finished.connect(release)
    worker.signals.failed.connect(release)
    (pool or thread_pool()).start(worker)
    return worker
