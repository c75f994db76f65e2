"""After an upload: fetch the orders back from Northbeam and report any missing or different."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from northbeam_desktop.core.northbeam.client import NorthbeamClient, NorthbeamError
from northbeam_desktop.core.northbeam.environments import Environment, environment_for_endpoint
from northbeam_desktop.core.northbeam.planning import OutgoingOrder


@dataclass
class VerifyResult:
    """What `GET /orders` says about orders that were reported accepted."""

    checked: int = 0
    missing: list[str] = field(default_factory=list)
    different: list[str] = field(default_factory=list)
    skipped_reason: str | None = None  # why nothing could be checked

    @property
    def ok(self) -> bool:
        return self.skipped_reason is None and not self.missing and not self.different


def _purchase_date(order: OutgoingOrder) -> date | None:
    value = order.payload.get("time_of_purchase")
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def verify(orders: Sequence[OutgoingOrder], client: NorthbeamClient) -> VerifyResult:
    """Fetch the uploaded date range back and report orders that did not arrive or differ.

    Northbeam's UAT stores nothing sent with the published test credentials, so there the
    check is skipped with a note rather than reporting every order as missing. The range is
    widened by a day on each side because GET's time zone is undocumented (ORDERS_API.md §7.12).
    """
    if (
        environment_for_endpoint(client.base_url) is Environment.SANDBOX
        and client.credentials.is_sandbox_test
    ):
        return VerifyResult(
            skipped_reason=(
                "Not checked: Northbeam's sandbox stores nothing sent with the published test "
                "credentials, so there is nothing to compare."
            )
        )
    dates = [d for d in (_purchase_date(o) for o in orders) if d is not None]
    if not dates:
        return VerifyResult(skipped_reason="Not checked: no order has a purchase date.")
    start, end = min(dates) - timedelta(days=1), max(dates) + timedelta(days=1)
    try:
        fetched = client.get_orders(start, end)
    except NorthbeamError as err:
        return VerifyResult(skipped_reason=f"Not checked: {err.message}")
    by_id = {str(o.get("order_id")): o for o in fetched}
    result = VerifyResult(checked=len(orders))
    for order in orders:
        found = by_id.get(order.order_id)
        if found is None:
            result.missing.append(order.order_id)
        elif found != order.payload:  # == treats 24 and 24.0 alike, as JSON does
            result.different.append(order.order_id)
    return result
