"""A local stand-in for Northbeam's Orders API v2: a real HTTP server on 127.0.0.1.

Used by our tests, benchmarks and demos. It plays ``POST /v2/orders`` and ``GET /v2/orders``
strictly from Northbeam's own OpenAPI file (``data/orders-v2-openapi.json``) and is deliberately
independent of our validator (nothing from ``northbeam_desktop.core`` is imported): if our
validator lets a bad order through, this server is where we find out.

Usage::

    with StandinServer(budget_bytes=10_000, window_seconds=2) as nb:
        requests.post(f"{nb.base_url}/orders", json=[order],
                      headers={"Authorization": "None", "Data-Client-ID": "test"})
        assert nb.stored_orders()[order["order_id"]] == order

or by hand: ``python -m devtools.standin --port 8765`` (prints the base URL, serves
until Ctrl+C). ``jsonschema`` must be installed (it is in the ``test`` extra).

What the server checks (ORDERS_API.md sections 1, 2 and 4):

- Auth on every request: ``Authorization`` must equal the API key and ``Data-Client-ID`` the
  client ID, else 401 ``{"status":"401","response":"Unauthenticated"}``.
- ``POST /v2/orders``: the body must be JSON (``NaN``/``Infinity`` are not JSON), else a bare
  400 ``{"status":"400","response":"Bad Request"}``. The batch is validated with JSON Schema
  Draft 2020-12 against ``components.schemas.Order`` from the OpenAPI file, with the spec's
  quirks fixed in a copy: the string ``maximum`` ``"100_000_000_000_000"`` becomes the number
  1e14; anchored-alternation patterns (currency, country code) are anchored to the whole value
  (``^(?:AED|...|ZWD)\\Z``, so ``USDX`` and ``CANADA`` fail); ``format`` is enforced for
  ``email`` (simple regex), ``date-time`` (RFC 3339 *with* an offset or ``Z``, else "Invalid ISO
  TS") and ``ip`` (IPv4 or IPv6). Server-side rules from the descriptions are added:
  ``customer_email``/``hashed_customer_email`` and ``customer_phone_number``/
  ``hashed_customer_phone_number`` are mutually exclusive, and hashed fields must be 64 lowercase
  hex characters. Non-standard keywords (``message``, ``xml``) are ignored by the validation;
  ``message`` supplies the error texts where the spec gives one.
- Validation errors answer 400 with Northbeam's envelope ``{"status": "400", "response": "<JSON
  string of a list>"}``; each item is ``{"order_id": ..., "message": ..., "json_path": ...}``
  with ``json_path`` like ``$[3].products[0].price`` (0-based; the index is the order's position
  in the batch). A missing required field points at the missing property
  (``$[2].shipping_cost``), an unknown key at that key (``$[0].notes``; keys that are not plain
  identifiers use ``$[0]['Order Notes']``), a both-plain-and-hashed conflict at the hashed field.
  Errors about the batch as a whole use ``json_path`` ``"$"`` and ``order_id`` null.

Assumptions (Northbeam does not document these; ORDERS_API.md section 7):

- **All or nothing.** A batch with any invalid order is rejected as a whole: the valid orders in
  it are NOT stored, and the 400 lists every invalid order. The client must resend the good ones.
  (Conservative: it makes the client prove it handles this case.)
- **1000 orders per request.** More than 1000 orders answer 400 (not 413), with one error item
  ``{"order_id": null, "json_path": "$", "message": "Too many orders in one request: ..."}``.
  A body that is valid JSON but not a non-empty list answers 400 the same way.
- Identical orders in one batch violate the spec's ``uniqueItems`` (reported at the later copy);
  two *different* orders with the same ``order_id`` are accepted, the later one wins.
- POST is an upsert: a stored order is replaced whole by the newest payload (no merging).
- The byte budget (default 30,000,000 bytes per 60 s sliding window per API key) counts the body
  of every authenticated ``POST /v2/orders`` that gets past the budget check, whether it is then
  accepted (200) or refused by validation (400). Requests answered 401, 413, 429, 404/405 or by an
  injected fault consume nothing. A single body larger than the whole budget can never fit, so
  it answers 413 ``Payload too large`` instead of an endless 429.
- Injected faults (``fail_next``, ``reset_next``) hit the next POST requests in the order they
  were queued, before authentication and validation; ``latency_seconds`` is slept after the body
  is read, before any answer to a POST (faults included).
- Odd answers (``odd_answer_next``, ``--odd-answer``) play servers that say "200" without
  Northbeam's confirmation: ``ODD_ANSWERS`` names each (a captive portal's HTML page, invalid or
  empty JSON, a JSON error behind a 200, a wrong content type, 204, a JSON list or null). By
  default nothing is stored (the request never reached Northbeam, like a Wi-Fi sign-in page);
  with ``stored=True`` a valid batch is stored first and only the answer is odd (a proxy that
  mangles Northbeam's answer), so a client must resend either way and never count it accepted.
- ``GET /v2/orders`` uses the spec's defaults (2001-01-01, 9999-01-01) for missing dates and
  answers the stored orders (in storage order) whose ``time_of_purchase`` calendar date, read in
  its own offset, lies in ``[start_date, end_date]`` inclusive. Malformed dates or
  ``start_date > end_date`` answer 400. With ``store=False`` nothing is stored (like Northbeam's
  UAT with the anonymous credentials), so GET answers ``[]``.
- ``Content-Type`` is not checked. PATCH and ``/orders/aliases`` are not played: other methods
  on ``/v2/orders`` answer 405, other paths 404 (after authentication).

Speed: orders are first checked with a compiled ``fastjsonschema`` validator when that package
is installed (the ``bench`` extra), and with ``jsonschema`` only for the detailed errors of an
order that failed; without fastjsonschema, ``jsonschema`` checks every order.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import ipaddress
import json
import math
import re
import socket
import struct
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable
from datetime import date, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

try:  # optional: only used for the fast accept path
    import fastjsonschema
except ImportError:  # pragma: no cover - depends on the installed extras
    fastjsonschema = None

__all__ = [
    "MAX_ORDERS_PER_REQUEST",
    "ODD_ANSWERS",
    "SPEC_PATH",
    "OrderBatchValidator",
    "RequestRecord",
    "StandinServer",
    "build_order_schema",
    "main",
]

SPEC_PATH = (
    Path(__file__).resolve().parent.parent / "northbeam_desktop" / "data" / "orders-v2-openapi.json"
)
MAX_ORDERS_PER_REQUEST = 1000
API_PREFIX = "/v2"
ORDERS_PATH = API_PREFIX + "/orders"
GET_DEFAULT_START = "2001-01-01"
GET_DEFAULT_END = "9999-01-01"

_HEX64_PATTERN = r"^[0-9a-f]{64}\Z"
_HASHED_FIELDS = {
    "hashed_customer_email": "customer_email",
    "hashed_customer_phone_number": "customer_phone_number",
}
_NUMERIC_LIMIT_KEYWORDS = ("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum")

_DATE_TIME_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
    r"(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_GET_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_IDENTIFIER_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

_BAD_REQUEST = {"status": "400", "response": "Bad Request"}
_UNAUTHENTICATED = {"status": "401", "response": "Unauthenticated"}
_SUCCESS = {"message": "Orders succesfully upserted"}  # sic, as in the spec


class OddAnswer(NamedTuple):
    """A 2xx that is not Northbeam's confirmation: status, Content-Type (None: no header), body."""

    status: int
    content_type: str | None
    body: bytes


_PORTAL_PAGE = (
    b"<!DOCTYPE html><html><head><title>Sign in to CoffeeShop Wi-Fi</title></head>"
    b"<body><h1>Welcome!</h1><p>Accept the terms to get online.</p>"
    b'<form method="post"><button>Connect</button></form></body></html>'
)

ODD_ANSWERS: dict[str, OddAnswer] = {
    "html": OddAnswer(200, "text/html; charset=utf-8", _PORTAL_PAGE),
    "invalid-json": OddAnswer(200, "application/json", b'{"message": "Orders succesf'),
    "error-status": OddAnswer(
        200, "application/json", b'{"status": "error", "response": "Could not store the orders"}'
    ),
    "error-list": OddAnswer(
        200,
        "application/json",
        json.dumps(
            {
                "status": "400",
                "response": json.dumps(
                    [{"order_id": None, "message": "Not stored", "json_path": "$"}]
                ),
            }
        ).encode(),
    ),
    "empty": OddAnswer(200, "application/json", b""),
    "no-content": OddAnswer(204, None, b""),
    "wrong-content-type": OddAnswer(200, "text/plain", json.dumps(_SUCCESS).encode()),
    "no-content-type": OddAnswer(200, None, json.dumps(_SUCCESS).encode()),
    "json-list": OddAnswer(200, "application/json", b"[]"),
    "json-null": OddAnswer(200, "application/json", b"null"),
}

_TYPE_NAMES = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


# --------------------------------------------------------------------------------------------
# Schema: load the spec, fix its quirks in a copy
# --------------------------------------------------------------------------------------------


def _resolve_refs(node: Any, root: dict[str, Any], depth: int = 0) -> Any:
    """Inline local ``$ref`` (``#/components/schemas/_patterns/...``) so the copy is standalone."""
    if depth > 50:
        raise ValueError("$ref nesting too deep in the OpenAPI file")
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            target: Any = root
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            merged = {k: v for k, v in node.items() if k != "$ref"}
            resolved = _resolve_refs(copy.deepcopy(target), root, depth + 1)
            if isinstance(resolved, dict):
                return {**resolved, **{k: _resolve_refs(v, root, depth) for k, v in merged.items()}}
            return resolved
        return {k: _resolve_refs(v, root, depth) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve_refs(v, root, depth) for v in node]
    return node


def _anchor_whole(pattern: str) -> str:
    """``^A|B|C$`` (where ``^``/``$`` bind only to A and C) → ``^(?:A|B|C)\\Z`` (whole value)."""
    if pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$"):
        return "^(?:" + pattern[1:-1] + ")\\Z"
    return pattern


def _fix_quirks(node: Any) -> None:
    if isinstance(node, dict):
        for key, value in list(node.items()):
            if key in _NUMERIC_LIMIT_KEYWORDS and isinstance(value, str):
                number = float(value.replace("_", ""))
                node[key] = int(number) if number.is_integer() else number
            elif key == "pattern" and isinstance(value, str):
                node[key] = _anchor_whole(value)
            elif key not in ("examples", "message", "description"):
                _fix_quirks(value)
    elif isinstance(node, list):
        for value in node:
            _fix_quirks(value)


def build_order_schema(spec: dict[str, Any]) -> dict[str, Any]:
    """The Order (batch) schema from the OpenAPI document, with the spec's quirks fixed."""
    schema = _resolve_refs(copy.deepcopy(spec["components"]["schemas"]["Order"]), spec)
    _fix_quirks(schema)
    properties = schema["items"]["properties"]
    for hashed in _HASHED_FIELDS:
        properties[hashed]["pattern"] = _HEX64_PATTERN
        properties[hashed].setdefault("message", {})["pattern"] = (
            "Must be a SHA-256 hash: 64 lowercase hexadecimal characters"
        )
    return schema


# --------------------------------------------------------------------------------------------
# Formats
# --------------------------------------------------------------------------------------------


def _is_date_time(value: object) -> bool:
    """RFC 3339 date-time with an explicit offset or Z, and a real calendar date/time."""
    if not isinstance(value, str):
        return True
    if not _DATE_TIME_RE.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value.upper())
    except ValueError:
        return False
    return True


def _is_email(value: object) -> bool:
    return not isinstance(value, str) or _EMAIL_RE.fullmatch(value) is not None


def _is_ip(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


_FORMATS: dict[str, Callable[[object], bool]] = {
    "date-time": _is_date_time,
    "email": _is_email,
    "ip": _is_ip,
}


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    for name, func in _FORMATS.items():
        checker.checks(name)(func)
    return checker


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def _json_path(index: int | None, parts: Iterable[str | int]) -> str:
    out = ["$" if index is None else f"$[{index}]"]
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _IDENTIFIER_RE.fullmatch(part):
            out.append(f".{part}")
        else:
            out.append("['" + part.replace("\\", "\\\\").replace("'", "\\'") + "']")
    return "".join(out)


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__  # pragma: no cover - json.loads gives only the above


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, dict | list) else ""
    return text if len(text) <= 40 else text[:37] + "..."


def _json_equal(a: Any, b: Any) -> bool:
    """JSON Schema equality: 1 == 1.0, but true != 1; objects by keys, lists by position."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _error(order_id: Any, message: str, json_path: str) -> dict[str, Any]:
    return {
        "order_id": order_id if isinstance(order_id, str) else None,
        "message": message,
        "json_path": json_path,
    }


class OrderBatchValidator:
    """Validates a decoded POST /v2/orders body; ``batch_errors`` returns Northbeam error items.

    ``use_fast`` picks the fastjsonschema accept path when the package is installed; jsonschema
    always produces the detailed errors.
    """

    def __init__(self, spec_path: Path = SPEC_PATH, *, use_fast: bool = True) -> None:
        spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
        self.raw_schema: dict[str, Any] = spec["components"]["schemas"]["Order"]
        self.schema = build_order_schema(spec)
        self.item_schema: dict[str, Any] = self.schema["items"]
        Draft202012Validator.check_schema(self.schema)
        self._validator = Draft202012Validator(self.item_schema, format_checker=_format_checker())
        self._fast: Callable[[Any], Any] | None = None
        if use_fast and fastjsonschema is not None:
            self._fast = fastjsonschema.compile(self.item_schema, formats=dict(_FORMATS))

    @property
    def uses_fast_path(self) -> bool:
        return self._fast is not None

    def batch_errors(self, batch: Any) -> list[dict[str, Any]]:
        """Errors about the batch as a whole (json_path ``$``); empty when its shape is fine."""
        if not isinstance(batch, list):
            return [
                _error(None, f"The body should be a list of orders, got {_json_type(batch)}.", "$")
            ]
        if len(batch) < self.schema.get("minItems", 0):
            return [_error(None, "The list of orders is empty: send at least one order.", "$")]
        if len(batch) > MAX_ORDERS_PER_REQUEST:
            return [
                _error(
                    None,
                    f"Too many orders in one request: {len(batch)}. "
                    f"Send at most {MAX_ORDERS_PER_REQUEST} orders per request.",
                    "$",
                )
            ]
        return []

    def order_errors(self, batch: list[Any]) -> list[dict[str, Any]]:
        """Errors of the individual orders, in batch order (duplicates per ``uniqueItems``)."""
        errors: list[dict[str, Any]] = []
        for index, order in enumerate(batch):
            errors.extend(self.errors_for_order(index, order))
        if self.schema.get("uniqueItems"):
            errors.extend(self._duplicate_errors(batch))
            errors.sort(key=lambda item: int(item["json_path"][2:].split("]", 1)[0]))
        return errors

    def validate(self, batch: Any) -> list[dict[str, Any]]:
        """All errors for a decoded body: batch-level first; if none, per-order."""
        return self.batch_errors(batch) or self.order_errors(batch)

    def errors_for_order(self, index: int, order: Any) -> list[dict[str, Any]]:
        order_id = order.get("order_id") if isinstance(order, dict) else None
        errors: list[dict[str, Any]] = []
        fast_failure: Exception | None = None
        if self._fast is not None:
            try:
                self._fast(order)
            except fastjsonschema.JsonSchemaException as exc:
                fast_failure = exc
        if self._fast is None or fast_failure is not None:
            for err in self._validator.iter_errors(order):
                errors.extend(self._items_for(index, order_id, err))
            if not errors and fast_failure is not None:  # engines disagree: stay strict
                path = [p for p in getattr(fast_failure, "path", [])[1:] if p != ""]
                errors.append(_error(order_id, str(fast_failure), _json_path(index, path)))
        if isinstance(order, dict):
            for hashed, plain in _HASHED_FIELDS.items():
                if hashed in order and plain in order:
                    errors.append(
                        _error(
                            order_id,
                            f"Cannot be provided together with {plain}: "
                            f"send either the plain or the hashed value, not both.",
                            _json_path(index, [hashed]),
                        )
                    )
        seen: set[tuple[str, str]] = set()
        unique = []
        for item in errors:
            key = (item["json_path"], item["message"])
            if key not in seen:
                seen.add(key)
                unique.append(item)
        return unique

    def _duplicate_errors(self, batch: list[Any]) -> list[dict[str, Any]]:
        buckets: dict[Any, list[int]] = {}
        errors = []
        for index, order in enumerate(batch):
            oid = order.get("order_id") if isinstance(order, dict) else None
            key = oid if isinstance(oid, str) else None
            bucket = buckets.setdefault(key, [])
            for earlier in bucket:
                if _json_equal(batch[earlier], order):
                    errors.append(
                        _error(
                            oid,
                            f"Duplicate order: identical to the order at $[{earlier}].",
                            f"$[{index}]",
                        )
                    )
                    break
            else:
                bucket.append(index)
        return errors

    def _items_for(self, index: int, order_id: Any, err: ValidationError) -> list[dict[str, Any]]:
        path = list(err.absolute_path)
        keyword = err.validator
        schema = err.schema if isinstance(err.schema, dict) else {}
        instance = err.instance
        custom = schema.get("message")
        if isinstance(custom, dict) and isinstance(custom.get(keyword), str):
            return [_error(order_id, custom[keyword], _json_path(index, path))]
        if keyword == "required":
            present = instance if isinstance(instance, dict) else {}
            return [
                _error(
                    order_id, f"Missing required field '{name}'.", _json_path(index, [*path, name])
                )
                for name in err.validator_value
                if name not in present
            ]
        if keyword == "additionalProperties" and isinstance(instance, dict):
            known = schema.get("properties", {})
            return [
                _error(
                    order_id,
                    f"Unknown field '{name}': it is not part of the Northbeam order format.",
                    _json_path(index, [*path, name]),
                )
                for name in instance
                if name not in known
            ]
        return [_error(order_id, self._message(err), _json_path(index, path))]

    @staticmethod
    def _message(err: ValidationError) -> str:
        keyword, value, instance = err.validator, err.validator_value, err.instance
        if keyword == "type":
            wanted = " or ".join(
                _TYPE_NAMES.get(t, t) for t in ([value] if isinstance(value, str) else value)
            )
            if instance is None or isinstance(instance, bool):
                got = json.dumps(instance)
            else:
                shown = _short(instance)
                got = _json_type(instance) + (f" ({shown})" if shown else "")
            return f"Should be {wanted}, got {got}."
        if keyword == "maximum":
            return f"Should be at most {value}, got {_short(instance)}."
        if keyword == "minLength":
            return f"Should have at least {value} character{'s' if value != 1 else ''}."
        if keyword == "minItems":
            return f"Should have at least {value} item{'s' if value != 1 else ''}."
        if keyword == "uniqueItems":
            return "Should not contain the same item twice."
        if keyword == "format":
            if value == "date-time":
                return (
                    f"Invalid ISO TS: {_short(instance)} should be an ISO-8601 date-time with a "
                    "UTC offset or Z, e.g. 2026-03-08T13:45:12-05:00."
                )
            if value == "email":
                return f"{_short(instance)} is not a valid email address."
            if value == "ip":
                return f"{_short(instance)} is not a valid IP address."
        if keyword == "pattern":
            return f"{_short(instance)} has an invalid format."
        return err.message


# --------------------------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------------------------


class RequestRecord(NamedTuple):
    """One request as the server answered it (appended before the answer is sent)."""

    method: str
    path: str  # without the query string
    status: int  # 0 = connection reset without a response (reset_next)
    body_bytes: int
    order_count: int  # orders in a POST body that is a JSON list; orders returned by GET
    time: float  # time.monotonic() when the answer was decided


class _Fault(NamedTuple):
    kind: str  # "fail" or "reset"
    status: int
    body: str | None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    standin: StandinServer


class _ResetConnection(Exception):
    """Raised inside the handler to abort the connection without an answer."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "NorthbeamStandin/1.0"
    timeout = 300  # idle keep-alive connections are closed after this many seconds
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        self.server.standin._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.standin._track(self.connection, add=False)

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_OPTIONS(self) -> None:
        self._dispatch()

    # -- plumbing --------------------------------------------------------------------------

    def _dispatch(self) -> None:
        standin = self.server.standin
        try:
            body = self._read_body()
        except ValueError:
            self.close_connection = True
            self._answer(urlsplit(self.path).path, 400, _BAD_REQUEST, body_bytes=0)
            return
        try:
            standin._handle(self, body)
        except _ResetConnection:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
            self.connection.close()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception:
            standin.server_errors.append(traceback.format_exc())
            self.close_connection = True
            with contextlib.suppress(OSError):
                self._answer(
                    urlsplit(self.path).path,
                    500,
                    {"status": "500", "response": "Server error"},
                    len(body),
                )

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";", 1)[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
        raw = self.headers.get("Content-Length")
        if raw is None:
            return b""
        length = int(raw)
        if length < 0:
            raise ValueError("negative Content-Length")
        return self.rfile.read(length) if length else b""

    def _answer(
        self,
        path: str,
        status: int,
        payload: Any,
        body_bytes: int,
        order_count: int = 0,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
        content_type: str | None = "",
    ) -> None:
        """Send one answer. ``content_type`` "" picks JSON or plain text by the body; None
        sends no Content-Type header at all."""
        data = raw if raw is not None else json.dumps(payload, separators=(",", ":")).encode()
        if content_type == "":
            content_type = "application/json"
            if raw is not None:
                try:
                    json.loads(raw)
                except ValueError:
                    content_type = "text/plain; charset=utf-8"
        self.server.standin._log(
            RequestRecord(self.command, path, status, body_bytes, order_count, time.monotonic())
        )
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        if status != 204:
            self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


class StandinServer:
    """A local Northbeam Orders API v2 on 127.0.0.1 (see the module docstring for the rules)."""

    def __init__(
        self,
        *,
        api_key: str = "None",
        client_id: str = "test",
        budget_bytes: int | None = 30_000_000,
        window_seconds: float = 60.0,
        latency_seconds: float = 0.0,
        store: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
        on_request: Callable[[RequestRecord], None] | None = None,
        validator: OrderBatchValidator | None = None,
    ) -> None:
        self.api_key = api_key
        self.client_id = client_id
        self.budget_bytes = budget_bytes
        self.window_seconds = float(window_seconds)
        self.latency_seconds = float(latency_seconds)
        self.store = store
        self.host = host
        self.port = port
        self.on_request = on_request
        self.validator = validator or _default_validator()

        self.orders: dict[str, dict[str, Any]] = {}
        self.requests_log: list[RequestRecord] = []
        self.count_429 = 0
        self.connections_accepted = 0
        self.server_errors: list[str] = []  # tracebacks of unexpected handler errors (answered 500)

        self._lock = threading.Lock()
        self._faults: deque[_Fault] = deque()
        self._reject_without_detail = 0
        self._odd_answers: deque[tuple[str, bool]] = deque()
        # Set to a key of ODD_ANSWERS: every POST answers that way (demos, `--odd-answer`).
        self.odd_answer_always: str | None = None
        self._windows: dict[str, deque[tuple[float, int]]] = {}
        self._window_used: dict[str, int] = {}
        self._connections: set[socket.socket] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("StandinServer is not started")
        return f"http://{self.host}:{self.port}{API_PREFIX}"

    def start(self) -> StandinServer:
        if self._server is not None:
            raise RuntimeError("StandinServer is already started")
        server = _Server((self.host, self.port), _Handler)
        server.standin = self
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"standin:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:  # wake handler threads idling on keep-alive connections
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> StandinServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- test controls ---------------------------------------------------------------------

    def stored_orders(self) -> dict[str, dict[str, Any]]:
        """A snapshot copy of the stored orders (the order dicts themselves are shared)."""
        with self._lock:
            return dict(self.orders)

    def fail_next(self, count: int, status: int = 500, body: str | None = None) -> None:
        """The next ``count`` POSTs answer ``status`` (envelope, or ``body`` verbatim if given).

        A 429 also carries ``Retry-After: 1`` and counts in ``count_429``.
        """
        with self._lock:
            self._faults.extend(_Fault("fail", status, body) for _ in range(count))

    def reset_next(self, count: int) -> None:
        """The next ``count`` POSTs: read the body, then reset the connection (RST, no answer)."""
        with self._lock:
            self._faults.extend(_Fault("reset", 0, None) for _ in range(count))

    def odd_answer_next(self, count: int, kind: str, *, stored: bool = False) -> None:
        """The next ``count`` POSTs answer ``ODD_ANSWERS[kind]`` instead of Northbeam's answer
        (``odd_answer_always`` makes every request, GET included, answer that way).

        Without ``stored`` the answer comes before authentication and nothing is stored; with
        it the request is handled normally and only a 200 is replaced (a 400 stays a 400).
        """
        if kind not in ODD_ANSWERS:
            raise ValueError(f"unknown odd answer {kind!r}; one of {', '.join(ODD_ANSWERS)}")
        with self._lock:
            self._odd_answers.extend((kind, stored) for _ in range(count))

    def reject_next_without_detail(self, count: int) -> None:
        """The next ``count`` POSTs with any invalid order answer a bare 400 with no error list."""
        with self._lock:
            self._reject_without_detail += count

    # -- internals -------------------------------------------------------------------------

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
                self.connections_accepted += 1
            else:
                self._connections.discard(conn)

    def _log(self, record: RequestRecord) -> None:
        with self._lock:
            self.requests_log.append(record)
            if record.status == 429:
                self.count_429 += 1
        if self.on_request is not None:
            self.on_request(record)

    def _authenticated(self, handler: _Handler) -> bool:
        return (
            handler.headers.get("Authorization") == self.api_key
            and handler.headers.get("Data-Client-ID") == self.client_id
        )

    def _take_budget(self, key: str, size: int) -> int | None:
        """Reserve ``size`` bytes; None if it fits, else the seconds until it would fit."""
        if self.budget_bytes is None:
            return None
        now = time.monotonic()
        with self._lock:
            window = self._windows.setdefault(key, deque())
            used = self._window_used.get(key, 0)
            cutoff = now - self.window_seconds
            while window and window[0][0] <= cutoff:
                used -= window.popleft()[1]
            if used + size <= self.budget_bytes:
                window.append((now, size))
                self._window_used[key] = used + size
                return None
            self._window_used[key] = used
            need = used + size - self.budget_bytes
            freed = 0
            wait = self.window_seconds
            for stamp, nbytes in window:
                freed += nbytes
                if freed >= need:
                    wait = stamp + self.window_seconds - now
                    break
        return max(1, math.ceil(wait))

    def _handle(self, handler: _Handler, body: bytes) -> None:
        url = urlsplit(handler.path)
        path = url.path.rstrip("/") or "/"
        method = handler.command
        size = len(body)

        parsed: Any = None
        valid_json = False
        if method == "POST":
            try:
                parsed = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
                valid_json = True
            except (UnicodeDecodeError, ValueError):
                pass
        count = len(parsed) if isinstance(parsed, list) else 0

        def answer(
            status: int,
            payload: Any,
            *,
            order_count: int = count,
            headers: dict[str, str] | None = None,
            raw: bytes | None = None,
        ) -> None:
            handler._answer(url.path, status, payload, size, order_count, headers=headers, raw=raw)

        odd: tuple[str, bool] | None = None
        if method != "POST" and self.odd_answer_always:  # a portal answers every request
            self._answer_odd(handler, url.path, self.odd_answer_always, size, 0)
            return
        if method == "POST":
            if self.latency_seconds > 0:
                time.sleep(self.latency_seconds)
            with self._lock:
                fault = self._faults.popleft() if self._faults else None
                odd = self._odd_answers.popleft() if fault is None and self._odd_answers else None
                if odd is None and fault is None and self.odd_answer_always:
                    odd = (self.odd_answer_always, False)
            if odd is not None and not odd[1]:
                self._answer_odd(handler, url.path, odd[0], size, count)
                return
            if fault is not None:
                if fault.kind == "reset":
                    self._log(RequestRecord(method, url.path, 0, size, count, time.monotonic()))
                    raise _ResetConnection
                self._answer_fault(answer, fault)
                return

        if not self._authenticated(handler):
            answer(401, _UNAUTHENTICATED)
            return
        if path != ORDERS_PATH:
            answer(404, {"status": "404", "response": "Not Found"})
            return
        if method == "GET":
            self._handle_get(url.query, answer)
            return
        if method != "POST":
            answer(
                405,
                {"status": "405", "response": "Method Not Allowed"},
                headers={"Allow": "GET, POST"},
            )
            return

        if self.budget_bytes is not None and size > self.budget_bytes:
            answer(
                413,
                {
                    "status": "413",
                    "response": f"Payload too large: {size} bytes is more than the whole budget of "
                    f"{self.budget_bytes} bytes per {self.window_seconds:g} s. Send smaller batches.",
                },
            )
            return
        retry_after = self._take_budget(handler.headers.get("Authorization", ""), size)
        if retry_after is not None:
            answer(
                429,
                {"error": "rate_limit_error", "retry_after_seconds": retry_after},
                headers={"Retry-After": str(retry_after)},
            )
            return

        if not valid_json:
            answer(400, _BAD_REQUEST)
            return
        batch_errors = self.validator.batch_errors(parsed)
        if batch_errors:
            answer(400, _envelope(batch_errors))
            return
        errors = self.validator.order_errors(parsed)
        if errors:
            with self._lock:
                bare = self._reject_without_detail > 0
                if bare:
                    self._reject_without_detail -= 1
            answer(400, _BAD_REQUEST if bare else _envelope(errors))
            return
        if self.store:
            with self._lock:
                for order in parsed:
                    self.orders[order["order_id"]] = order
        if odd is not None:
            self._answer_odd(handler, url.path, odd[0], size, count)
            return
        answer(200, _SUCCESS)

    def _answer_odd(self, handler: _Handler, path: str, kind: str, size: int, count: int) -> None:
        odd = ODD_ANSWERS[kind]
        handler._answer(
            path, odd.status, None, size, count, raw=odd.body, content_type=odd.content_type
        )

    def _answer_fault(self, answer: Callable[..., None], fault: _Fault) -> None:
        headers: dict[str, str] = {}
        payload: Any
        if fault.status == 429:
            headers["Retry-After"] = "1"
            payload = {"error": "rate_limit_error", "retry_after_seconds": 1}
        elif fault.status >= 500:
            payload = {"status": str(fault.status), "response": "Server error"}
        else:
            try:
                phrase = HTTPStatus(fault.status).phrase
            except ValueError:
                phrase = "Error"
            payload = {"status": str(fault.status), "response": phrase}
        raw = fault.body.encode("utf-8") if fault.body is not None else None
        answer(fault.status, payload, headers=headers, raw=raw)

    def _handle_get(self, query: str, answer: Callable[..., None]) -> None:
        params = parse_qs(query, keep_blank_values=True)
        bounds: list[date] = []
        for name, default in (("start_date", GET_DEFAULT_START), ("end_date", GET_DEFAULT_END)):
            text = params.get(name, [default])[-1]
            try:
                if not _GET_DATE_RE.fullmatch(text):
                    raise ValueError(text)
                bounds.append(date.fromisoformat(text))
            except ValueError:
                message = f"{name} should be a date of the form YYYY-MM-DD, got {text!r}."
                answer(400, {"status": "400", "response": message}, order_count=0)
                return
        start, end = bounds
        if start > end:
            message = f"start_date ({start}) is after end_date ({end})."
            answer(400, {"status": "400", "response": message}, order_count=0)
            return
        with self._lock:
            orders = list(self.orders.values())
        found = [
            o for o in orders if start <= date.fromisoformat(o["time_of_purchase"][:10]) <= end
        ]
        answer(200, found, order_count=len(found))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _envelope(errors: list[dict[str, Any]]) -> dict[str, str]:
    return {"status": "400", "response": json.dumps(errors)}


_DEFAULT_VALIDATOR: OrderBatchValidator | None = None
_DEFAULT_VALIDATOR_LOCK = threading.Lock()


def _default_validator() -> OrderBatchValidator:
    """One compiled validator per process (compiling takes a moment; it is read-only after)."""
    global _DEFAULT_VALIDATOR
    with _DEFAULT_VALIDATOR_LOCK:
        if _DEFAULT_VALIDATOR is None:
            _DEFAULT_VALIDATOR = OrderBatchValidator()
        return _DEFAULT_VALIDATOR


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the stand-in until Ctrl+C. Prints the base URL first (one line, flushed)."""
    args_in = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog="python -m devtools.standin",
        description="A local stand-in for Northbeam's Orders API v2 (tests, benchmarks, demos).",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port (default 8765)")
    parser.add_argument("--api-key", default="None", help='expected Authorization (default "None")')
    parser.add_argument(
        "--client-id", default="test", help='expected Data-Client-ID (default "test")'
    )
    parser.add_argument(
        "--budget-mb",
        type=float,
        default=30.0,
        help="request-body budget in 10^6 bytes per window; 0 disables",
    )
    parser.add_argument(
        "--window", type=float, default=60.0, help="budget window in seconds (default 60)"
    )
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="delay before answering each POST"
    )
    parser.add_argument("--no-store", action="store_true", help="validate only, store nothing")
    parser.add_argument(
        "--odd-answer",
        choices=sorted(ODD_ANSWERS),
        help="answer every POST with this 2xx that is not Northbeam's confirmation",
    )
    parser.add_argument("--quiet", action="store_true", help="do not print a line per request")
    args = parser.parse_args(args_in)

    def show(record: RequestRecord) -> None:
        print(
            f"{record.method} {record.path} -> {record.status or 'RESET'} "
            f"({record.body_bytes} bytes, {record.order_count} orders)",
            flush=True,
        )

    server = StandinServer(
        api_key=args.api_key,
        client_id=args.client_id,
        budget_bytes=int(args.budget_mb * 1_000_000) if args.budget_mb > 0 else None,
        window_seconds=args.window,
        latency_seconds=args.latency_ms / 1000.0,
        store=not args.no_store,
        host=args.host,
        port=args.port,
        on_request=None if args.quiet else show,
    )
    if args.odd_answer:
        server.odd_answer_always = args.odd_answer
    server.start()
    print(server.base_url, flush=True)
    print(
        f"  Authorization: {args.api_key}   Data-Client-ID: {args.client_id}   (Ctrl+C to stop)",
        file=sys.stderr,
        flush=True,
    )
    try:
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
