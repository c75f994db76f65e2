"""The upload dialog's two workers: they run `upload_job.prepare_upload` and
`upload_job.run_upload` (the steps the command line takes too) on the app's thread pool.

Neither touches a widget or a document's records. Progress events carry two kinds of objects
through the `progress` signal: `Progress` (counts, rate, time left, a sentence) and
`SettledOrders` (the orders of a batch Northbeam just answered for, recorded in the ledger
already), so the table can turn rows green while the upload runs.

A worker that fails because of the upload record keeps the `LedgerError` in `ledger_error`, so
the dialog can ask the user what to do about a damaged record instead of only showing text.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from northbeam_desktop.core.local.secrets import Credentials, CredentialsError
from northbeam_desktop.core.northbeam.ledger import Ledger, LedgerError
from northbeam_desktop.core.northbeam.planning import UploadOptions
from northbeam_desktop.core.northbeam.upload_job import (
    APP_PROGRAM,
    PreparedUpload,
    UploadTarget,
    prepare_upload,
    run_upload,
)
from northbeam_desktop.ui.workers import FunctionWorker, failure_message, long_lived

if TYPE_CHECKING:
    from northbeam_desktop.core.orders.document import OrderDocument, OrderRecord

log = logging.getLogger(__name__)

__all__ = ["PrepareWorker", "UploadWorker"]


class _UploadStepWorker(FunctionWorker):
    """Emits `failed(sentence)` for expected problems, remembering which kind it was."""

    credentials_problem = False
    ledger_error: LedgerError | None = None

    def run(self) -> None:  # Qt override, runs on a pool thread
        try:
            result = self.fn(*self.args, **self.kwargs)
        except CredentialsError as exc:
            self.credentials_problem = True  # read by the dialog after `failed`
            self.signals.failed.emit(str(exc))
        except LedgerError as exc:
            self.ledger_error = exc
            self.signals.failed.emit(str(exc))
        except Exception as exc:
            log.exception("Upload step %s failed", getattr(self.fn, "__qualname__", self.fn))
            self.signals.failed.emit(failure_message(exc))
        else:
            self.signals.finished.emit(result)


class PrepareWorker(_UploadStepWorker):
    """Runs `prepare_upload`; `finished(PreparedUpload)` or `failed(message)`."""

    def __init__(
        self,
        doc: OrderDocument,
        records: Sequence[OrderRecord],
        target: UploadTarget,
        *,
        credentials: Credentials | None,
        ledger: Ledger | None,
    ) -> None:
        # The payloads of 100,000 orders live until the upload ends: kept out of the collector.
        super().__init__(
            long_lived(prepare_upload),
            doc,
            list(records),
            target,
            credentials=credentials,
            ledger=ledger,
        )


class UploadWorker(_UploadStepWorker):
    """Runs `run_upload`; `progress(Progress | SettledOrders)`, then `finished(UploadRun)`.

    `cancel()` sets the event the uploader checks between requests; answers to requests
    already on the wire are still waited for (briefly) and reported truthfully.
    """

    def __init__(
        self,
        prepared: PreparedUpload,
        *,
        ledger: Ledger | None,
        options: UploadOptions | None = None,
        force: bool = False,
    ) -> None:
        super().__init__(
            run_upload,
            prepared,
            ledger=ledger,
            program=APP_PROGRAM,
            options=options,
            force=force,
            progress=True,
            cancellable=True,
        )
