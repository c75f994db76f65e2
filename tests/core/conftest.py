"""Fixtures for core tests: an in-memory keyring, throwaway app dirs, a local Northbeam.

Two autouse fixtures keep every core test away from the real computer: the keyring is an
in-memory backend (never the user's password store) and `NORTHBEAM_DESKTOP_HOME` points all app
dirs at a temporary folder. Credentials in the environment are cleared so a developer's shell
cannot change what a test sees.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from northbeam_desktop.core.local.secrets import Credentials
from northbeam_desktop.core.northbeam.client import NorthbeamClient
from northbeam_desktop.core.northbeam.ledger import Ledger
from northbeam_desktop.core.northbeam.planning import OutgoingOrder

# A key that looks real and is easy to grep for in logs and files.
SECRET_KEY = "nbk_live_7f3a9c2e5d8b4a61b0c9e2f4a7d3c815"
CLIENT_ID = "3f1c2a9e-6b7d-4e8f-9a0b-1c2d3e4f5a6b"


@pytest.fixture
def credentials() -> Credentials:
    return Credentials(SECRET_KEY, CLIENT_ID)


@pytest.fixture
def standin() -> Iterator[Any]:
    """A local Northbeam that expects `SECRET_KEY` / `CLIENT_ID`, with no byte budget."""
    from devtools.standin import StandinServer

    with StandinServer(api_key=SECRET_KEY, client_id=CLIENT_ID, budget_bytes=None) as server:
        yield server


@pytest.fixture
def make_client(credentials: Credentials) -> Iterator[Callable[..., NorthbeamClient]]:
    clients: list[NorthbeamClient] = []

    def make(base_url: str, creds: Credentials | None = None, **kwargs: Any) -> NorthbeamClient:
        client = NorthbeamClient(base_url, creds or credentials, **kwargs)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(standin: Any, make_client: Callable[..., NorthbeamClient]) -> NorthbeamClient:
    return make_client(standin.base_url, read_timeout=10)


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger(tmp_path / "ledger.sqlite3") as led:
        yield led


def _order_payload(i: int, *, bad: bool = False, pad: int = 0) -> dict[str, Any]:
    """A valid v2 order (or one with a wrong price type when `bad`). `pad` adds bytes."""
    payload: dict[str, Any] = {
        "order_id": f"ord-{i:05d}",
        "customer_id": f"cust-{i % 97:03d}",
        "time_of_purchase": "2026-03-08T13:45:12-05:00",
        "customer_email": f"shopper{i}@example.com",
        "currency": "USD",
        "purchase_total": 24.99,
        "tax": 2.0,
        "shipping_cost": 3.0,
        "products": [{"id": "mug-1", "name": "Mug" + "x" * pad, "quantity": 1, "price": 19.99}],
    }
    if bad:
        payload["products"][0]["price"] = "19,99"
    return payload


def _make_orders(
    n: int, *, bad: set[int] | frozenset[int] = frozenset(), pad: int = 0
) -> list[OutgoingOrder]:
    """`n` orders; Excel rows 2, 3, … (one row per order, header in row 1)."""
    return [
        OutgoingOrder(f"ord-{i:05d}", _order_payload(i, bad=i in bad, pad=pad), [i + 2])
        for i in range(n)
    ]


@pytest.fixture
def order_payload() -> Callable[..., dict[str, Any]]:
    """`order_payload(i, bad=False, pad=0)`: one order's JSON object."""
    return _order_payload


@pytest.fixture
def make_orders() -> Callable[..., list[OutgoingOrder]]:
    """`make_orders(n, bad={indices}, pad=0)`: orders ord-00000… with their Excel rows."""
    return _make_orders


@pytest.fixture
def secret_key() -> str:
    return SECRET_KEY


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Capture everything, including requests'/urllib3's chatter, at DEBUG."""
    caplog.set_level(logging.DEBUG)
    for name in ("urllib3", "requests", "northbeam_desktop"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog
