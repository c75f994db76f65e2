"""The upload's background work: what will be sent (`prepare_upload`) and the sending itself
(`run_upload`), both plain Python so they are testable without Qt, plus the two workers that run
them on the app's thread pool.

Neither function touches a widget or a document's records: `prepare_upload` only reads the
document (payloads and issues) while the upload dialog is modal, and `run_upload` only sees the
finished payloads. What Northbeam answered reaches the GUI thread as signals; the dialog applies
it to the records there (`OrderDocument.record_upload_result`).

Progress events carry two kinds of objects through the worker's `progress` signal:
`uploader.Progress` (counts, rate, time left, a sentence) and `SettledOrders` (the orders of a
batch Northbeam just answered for, so the table can turn rows green while the upload runs). The
latter comes from `Progress.settled`, which the uploader fills after the ledger has recorded the
answers, so an order is never shown as accepted before the ledger says so.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from northbeam_desktop.core.local.secrets import Credentials, resolve_credentials
from northbeam_desktop.core.northbeam.client import AuthError, NorthbeamClient, PostResult
from northbeam_desktop.core.northbeam.environments import Environment, describe_endpoint
from northbeam_desktop.core.northbeam.ledger import Ledger, OrderClass
from northbeam_desktop.core.northbeam.uploader import (
    OutgoingOrder,
    Progress,
    UploadOptions,
    UploadPlan,
    UploadReport,
    make_batches,
    plan,
    upload,
)
from northbeam_desktop.ui.workers import FunctionWorker, long_lived

if TYPE_CHECKING:
    from northbeam_desktop.core.orders.document import OrderDocument, OrderRecord

log = logging.getLogger(__name__)

__all__ = [
    "PrepareWorker",
    "PreparedUpload",
    "SettledOrders",
    "UploadRun",
    "UploadTarget",
    "UploadWorker",
    "prepare_upload",
    "run_upload",
]


@dataclass(frozen=True, slots=True)
class UploadTarget:
    """Where the orders go: the environment the user chose and its resolved v2 root URL."""

    environment: Environment
    base_url: str

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc or self.base_url

    @property
    def name(self) -> str:
        """ "Sandbox", "Production", or the custom host, for sentences."""
        if self.environment is Environment.CUSTOM:
            return describe_endpoint(self.base_url)
        return self.environment.short_name

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def already_there(self) -> str:
        """How to say an accepted order is on the other side. Only Production keeps orders for
        good: Sandbox stores nothing sent with the public test account and purges the rest."""
        return "already in Northbeam" if self.is_production else f"already sent to {self.name}"


@dataclass
class PreparedUpload:
    """Everything the confirmation page shows and the upload needs, computed off the GUI thread
    (counts and sizes included, so the page never walks 100,000 orders on a keystroke)."""

    target: UploadTarget
    credentials: Credentials
    orders: list[OutgoingOrder]  # the sendable orders, in file order
    records: dict[str, OrderRecord]  # order_id -> its record in the document
    skipped: list[OrderRecord]  # asked for, but not sendable because of errors
    plan: UploadPlan  # classified against the ledger, without force
    counts: dict[str, int] = field(default_factory=dict)  # per OrderClass value, "duplicate"
    _send: dict[bool, tuple[int, int]] = field(default_factory=dict)  # force -> (orders, bytes)

    def __post_init__(self) -> None:
        self.counts = self.plan.counts
        for force in (False, True):
            items = [
                item
                for item in self.plan.items
                if item.send
                or (force and item.note is None and item.order_class is OrderClass.UNCHANGED)
            ]
            defaults = UploadOptions()
            batches = make_batches(items, defaults.max_orders_per_batch, defaults.batch_byte_limit)
            size = sum(2 + sum(len(i.encoded) for i in b) + max(len(b) - 1, 0) for b in batches)
            self._send[force] = (len(items), size)

    def count(self, order_class: OrderClass) -> int:
        return self.counts[order_class.value]

    @property
    def duplicates(self) -> int:
        return self.counts["duplicate"]

    def to_send(self, force: bool) -> int:
        return self._send[force][0]

    def bytes_to_send(self, force: bool) -> int:
        """Request-body bytes with the default batching (what `--dry-run` reports too)."""
        return self._send[force][1]


def outgoing_order(doc: OrderDocument, record: OrderRecord) -> OutgoingOrder:
    """The order exactly as it will be sent, with the Excel rows it came from."""
    assert record.order_id is not None
    return OutgoingOrder(
        record.order_id,
        doc.payload(record),
        [doc.sheet.row_numbers[i] for i in record.row_indices],
    )


def sendable(doc: OrderDocument, record: OrderRecord) -> bool:
    return not doc.blocked and not record.has_errors and record.order_id is not None


def prepare_upload(
    doc: OrderDocument,
    records: Sequence[OrderRecord],
    target: UploadTarget,
    *,
    credentials: Credentials | None = None,
    ledger: Ledger | None = None,
) -> PreparedUpload:
    """Build the payloads of `records` and classify them against the ledger.

    `credentials` are this session's; without them they are resolved for the environment
    (environment variables, the keyring, Sandbox's public test key), which raises
    `secrets.CredentialsError` subclasses with a message for the user.
    """
    creds = credentials if credentials is not None else resolve_credentials(target.environment)
    orders: list[OutgoingOrder] = []
    by_id: dict[str, OrderRecord] = {}
    skipped: list[OrderRecord] = []
    for record in records:
        if not sendable(doc, record):
            skipped.append(record)
            continue
        assert record.order_id is not None
        if record.order_id not in by_id:
            by_id[record.order_id] = record
        orders.append(outgoing_order(doc, record))
    upload_plan = plan(orders, ledger, target.base_url.rstrip("/"), creds.client_id, force=False)
    return PreparedUpload(target, creds, orders, by_id, skipped, upload_plan)


# ---- the upload itself -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SettledOrders:
    """Orders whose answer was just recorded in the ledger (a progress event)."""

    accepted: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()  # (order_id, message)


@dataclass
class UploadRun:
    """What `run_upload` returns: the uploader's report, and whether the key was refused."""

    report: UploadReport
    auth_failed: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class _WatchedClient(NorthbeamClient):
    """A client that remembers whether Northbeam refused the credentials."""

    auth_failed = False

    def post_orders(self, body: bytes) -> PostResult:
        try:
            return super().post_orders(body)
        except AuthError:
            self.auth_failed = True
            raise


def run_upload(
    prepared: PreparedUpload,
    *,
    ledger: Ledger | None,
    options: UploadOptions | None = None,
    force: bool = False,
    progress: Callable[[Progress | SettledOrders], None] | None = None,
    cancel: threading.Event | None = None,
) -> UploadRun:
    """Send the prepared orders (on a worker thread); never raises for Northbeam's answers."""
    opts = dataclasses.replace(options or UploadOptions(), force=force)
    target = prepared.target
    client = _WatchedClient(
        target.base_url,
        prepared.credentials,
        environment_name=target.name,
        read_timeout=60,
    )
    relay = None
    if progress is not None:
        report_to = progress

        def relay(event: Progress) -> None:
            # The orders Northbeam just answered go first, so rows turn green (or red)
            # before the counts that include them are shown.
            if event.settled:
                report_to(
                    SettledOrders(
                        tuple(oid for oid, status, _ in event.settled if status == "accepted"),
                        tuple(
                            (oid, message or "Rejected by Northbeam.")
                            for oid, status, message in event.settled
                            if status == "failed"
                        ),
                    )
                )
            report_to(event)

    try:
        report = upload(
            prepared.orders,
            client,
            ledger,
            opts,
            progress=relay,
            cancel=cancel,
        )
    finally:
        client.close()
    return UploadRun(report, auth_failed=client.auth_failed)


# ---- Qt workers --------------------------------------------------------------------------------


class PrepareWorker(FunctionWorker):
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
        self.credentials_problem = False

    def run(self) -> None:  # Qt override, runs on a pool thread
        from northbeam_desktop.core.local.secrets import CredentialsError

        try:
            result = self.fn(*self.args, **self.kwargs)
        except CredentialsError as exc:
            self.credentials_problem = True  # read by the dialog after `failed`
            self.signals.failed.emit(str(exc))
        except Exception:
            log.exception("Preparing the upload failed")
            self.signals.failed.emit(
                "The orders could not be prepared for upload because of an unexpected error. "
                "Details are in the log file."
            )
        else:
            self.signals.finished.emit(result)


class UploadWorker(FunctionWorker):
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
            options=options,
            force=force,
            progress=True,
            cancellable=True,
        )
