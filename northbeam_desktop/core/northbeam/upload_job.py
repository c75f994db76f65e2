"""The two steps of an upload that the app and the command line both take, in the same way.

1. `prepare_upload()` builds the payload of every sendable order of a document (each order is
   checked once, when the document is loaded or edited) and classifies them against the ledger:
   what the confirmation screen, `--dry-run` and "nothing to send" report.
2. `run_upload()` sends them: it holds the ledger's upload lock for the whole run (a second
   upload is refused with `LedgerBusy`, naming who is uploading), re-plans under that lock so two
   runs can never both send the same orders, and reports each order's `UploadStatus`.

Neither step touches a widget or changes a document: the GUI applies the results to the records
on its own thread (`OrderDocument.record_upload_result`), the command line prints them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from northbeam_desktop.core.local.secrets import Credentials, resolve_credentials
from northbeam_desktop.core.northbeam.client import AuthError, NorthbeamClient, PostResult
from northbeam_desktop.core.northbeam.environments import Environment, describe_endpoint
from northbeam_desktop.core.northbeam.ledger import Ledger, OrderClass
from northbeam_desktop.core.northbeam.outcomes import Progress, UploadReport, UploadStatus
from northbeam_desktop.core.northbeam.planning import (
    OutgoingOrder,
    PlannedOrder,
    UploadOptions,
    UploadPlan,
    body_size,
    make_batches,
    plan,
)
from northbeam_desktop.core.northbeam.uploader import upload
from northbeam_desktop.core.northbeam.verify import VerifyResult, verify

if TYPE_CHECKING:
    from northbeam_desktop.core.orders.document import OrderDocument, OrderRecord

__all__ = [
    "PreparedUpload",
    "SettledOrders",
    "UploadRun",
    "UploadTarget",
    "outgoing_order",
    "prepare_upload",
    "run_upload",
    "sendable",
]

APP_PROGRAM = "Northbeam Desktop"
COMMAND_PROGRAM = "the northbeam-desktop command"


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
    """Everything a confirmation shows and the upload needs, computed once (off the GUI
    thread in the app), counts and sizes included, so no screen walks 100,000 orders."""

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
        defaults = UploadOptions()
        for force in (False, True):
            items = self.items_to_send(force)
            batches = make_batches(items, defaults.max_orders_per_batch, defaults.batch_byte_limit)
            self._send[force] = (len(items), sum(body_size(batch) for batch in batches))

    def items_to_send(self, force: bool) -> list[PlannedOrder]:
        """The planned orders that go out, unchanged ones too when `force`."""
        return [
            item
            for item in self.plan.items
            if item.send
            or (force and item.note is None and item.order_class is OrderClass.UNCHANGED)
        ]

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


def sendable(doc: OrderDocument, record: OrderRecord) -> bool:
    """Whether Northbeam may be sent this order: no errors, an order ID, a usable file, and not
    a cancelled order held back (the document's one rule)."""
    return doc.is_sendable(record)


def outgoing_order(doc: OrderDocument, record: OrderRecord) -> OutgoingOrder:
    """The order exactly as it will be sent, with the Excel rows it came from."""
    assert record.order_id is not None
    return OutgoingOrder(
        record.order_id,
        doc.payload(record),
        [doc.sheet.row_numbers[i] for i in record.row_indices],
    )


def prepare_upload(
    doc: OrderDocument,
    records: Sequence[OrderRecord],
    target: UploadTarget,
    *,
    credentials: Credentials | None = None,
    ledger: Ledger | None = None,
) -> PreparedUpload:
    """Build the payloads of the sendable `records` and classify them against the ledger.

    `credentials` are this session's; without them they are resolved for the environment
    (environment variables, the keyring, Sandbox's public test key), which raises
    `secrets.CredentialsError` subclasses with a message for the user. A damaged ledger raises
    `LedgerDamaged` (it has been moved aside).
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
        by_id.setdefault(record.order_id, record)
        orders.append(outgoing_order(doc, record))
    upload_plan = plan(orders, ledger, target.base_url.rstrip("/"), creds.client_id, force=False)
    return PreparedUpload(target, creds, orders, by_id, skipped, upload_plan)


# ---- the upload itself -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SettledOrders:
    """Orders whose answer was just recorded in the ledger (a progress event), so a table can
    turn rows green or red while the upload runs."""

    accepted: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()  # (order_id, message)


@dataclass
class UploadRun:
    """What `run_upload` returns: the uploader's report, whether the key was refused, and
    the read-back check when one was asked for."""

    report: UploadReport
    auth_failed: bool = False
    verification: VerifyResult | None = None


class _WatchedClient(NorthbeamClient):
    """A client that remembers whether Northbeam refused the credentials."""

    auth_failed = False

    def post_orders(self, body: bytes) -> PostResult:
        try:
            return super().post_orders(body)
        except AuthError:
            self.auth_failed = True
            raise


def _relay(
    report_to: Callable[[Progress | SettledOrders], None],
) -> Callable[[Progress], None]:
    """Progress for a table: the orders Northbeam just answered go first, so rows turn green
    (or red) before the counts that include them are shown."""

    def relay(event: Progress) -> None:
        if event.settled:
            report_to(
                SettledOrders(
                    tuple(s.order_id for s in event.settled if s.status is UploadStatus.ACCEPTED),
                    tuple(
                        (s.order_id, s.message or "Rejected by Northbeam.")
                        for s in event.settled
                        if s.status is UploadStatus.FAILED
                    ),
                )
            )
        report_to(event)

    return relay


def run_upload(
    prepared: PreparedUpload,
    *,
    ledger: Ledger | None,
    program: str = APP_PROGRAM,
    options: UploadOptions | None = None,
    force: bool = False,
    check_after: bool = False,
    progress: Callable[[Progress | SettledOrders], None] | None = None,
    cancel: threading.Event | None = None,
) -> UploadRun:
    """Send the prepared orders, holding the ledger for `program` meanwhile.

    Never raises for Northbeam's answers (they are in the report). Raises `LedgerBusy` before
    sending anything when another upload holds the ledger, and `LedgerDamaged` when the ledger
    turns out damaged before the first request. `check_after` reads the accepted orders back
    (`verify`) with the same connection.
    """
    opts = dataclasses.replace(options or UploadOptions(), force=force)
    target = prepared.target
    client = _WatchedClient(
        target.base_url,
        prepared.credentials,
        environment_name=target.name,
        read_timeout=60,
    )
    relay = _relay(progress) if progress is not None else None
    try:
        with ledger.upload_lock(program) if ledger is not None else contextlib.nullcontext():
            report = upload(prepared.orders, client, ledger, opts, progress=relay, cancel=cancel)
        verification = None
        accepted = {o.order_id for o in report.with_status(UploadStatus.ACCEPTED)}
        if check_after and accepted:
            verification = verify([o for o in prepared.orders if o.order_id in accepted], client)
    finally:
        client.close()
    return UploadRun(report, auth_failed=client.auth_failed, verification=verification)
