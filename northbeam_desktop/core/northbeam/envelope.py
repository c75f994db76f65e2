"""Reading Northbeam's answers: the error envelope, per-order complaints, Retry-After, and
whether a 2xx body is Northbeam's confirmation.

Pure functions over status, headers and bytes (`client` does the HTTP), so every odd body a
server can send is testable on its own.
"""

from __future__ import annotations

import email.utils
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

_TEXT_LIMIT = 300  # characters of a non-JSON body worth showing a person


@dataclass(frozen=True, slots=True)
class OrderError:
    """One per-order complaint from Northbeam's 400 envelope.

    `index` is the order's position in the batch taken from `json_path` (`$[3]…` → 3), and
    `path` the part inside the order (`products[0].price`, "" for the whole order).
    """

    order_id: str | None
    message: str
    json_path: str | None
    index: int | None
    path: str


# `status` values in a 2xx body that still read as success. Northbeam publishes no body for a
# POST 200; its error envelope carries the error code in `status` (docs/UPLOAD_SAFETY.md).
_SUCCESS_WORDS = frozenset(
    {"ok", "success", "succeeded", "successful", "accepted", "received", "queued", "upserted"}
)
JSON_TYPE_RE = re.compile(r"^application/(?:[\w.+-]+\+)?json$")

_PATH_RE = re.compile(r"^\$?\.?(?:\[(\d+)\])?\.?(.*)$", re.DOTALL)
_TAG_RE = re.compile(r"<[^>]*>")
_QUOTED_KEY_RE = re.compile(r"\[['\"]([^'\"\]]+)['\"]\]")


def normalize_json_path(json_path: str | None) -> tuple[int | None, str]:
    """`$[3].products[0].price` → (3, "products[0].price"); `$[0]` → (0, ""); `$` → (None, "").

    Bracket-quoted keys (`$[3]['products'][0]`) become dotted (`products[0]`), the notation the
    rest of the app uses for a place inside one order.
    """
    if not json_path:
        return None, ""
    text = json_path.strip()
    match = _PATH_RE.match(text)
    if match is None:  # pragma: no cover - the pattern matches any string
        return None, text
    index = int(match.group(1)) if match.group(1) is not None else None
    rest = _QUOTED_KEY_RE.sub(r".\1", match.group(2))
    rest = rest.replace(".[", "[").lstrip(".")
    return index, rest


def _order_error(item: Any) -> OrderError | None:
    if not isinstance(item, dict):
        return None
    message = item.get("message") or item.get("msg") or item.get("error")
    json_path = item.get("json_path") or item.get("path") or item.get("loc")
    if isinstance(json_path, list):  # pydantic-style location ["body", 3, "tax"]
        json_path = "$" + "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}"
            for part in json_path
            if part != "body"
        )
    order_id = item.get("order_id")
    if message is None and json_path is None and order_id is None:
        return None
    index, path = normalize_json_path(str(json_path) if json_path is not None else None)
    return OrderError(
        order_id=str(order_id) if order_id is not None else None,
        message=str(message) if message is not None else "Northbeam rejected this value.",
        json_path=str(json_path) if json_path is not None else None,
        index=index,
        path=path,
    )


def _errors_from(value: Any) -> list[OrderError] | None:
    """A per-order error list from `value` (a list, or a dict holding one), else None."""
    if isinstance(value, dict):
        for key in ("errors", "detail", "response"):
            if isinstance(value.get(key), list):
                return _errors_from(value[key])
        single = _order_error(value)
        return [single] if single is not None and single.order_id is not None else None
    if isinstance(value, list):
        errors = [e for e in (_order_error(item) for item in value) if e is not None]
        return errors or None
    return None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…"


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def parse_envelope(
    status: int, content: bytes, headers: Mapping[str, str] | None = None
) -> tuple[Any, list[OrderError], str | None, float | None]:
    """(parsed body, per-order errors, plain message, retry-after seconds) from an answer.

    Northbeam's envelope is `{"status": "400", "response": <str>}` where the string is usually
    JSON holding `[{order_id, message, json_path}]` and sometimes plain text; this also accepts
    `response` already being a list, a bare list body, non-JSON bodies and the 429 body
    `{"error": "rate_limit_error", "retry_after_seconds": N}`.
    """
    headers = headers or {}
    retry_after = parse_retry_after(header_value(headers, "Retry-After"))
    text = content.decode("utf-8", errors="replace") if content else ""
    try:
        envelope: Any = json.loads(text) if text.strip() else None
    except ValueError:
        # Not JSON: a proxy's or load balancer's page. Keep its words, not its markup.
        return None, [], (_short(_TAG_RE.sub(" ", text)) or None), retry_after

    errors: list[OrderError] = []
    message: str | None = None
    if isinstance(envelope, dict):
        seconds = envelope.get("retry_after_seconds")
        if isinstance(seconds, int | float) and not isinstance(seconds, bool):
            retry_after = max(retry_after or 0.0, float(seconds))
        response = envelope.get("response")
        if isinstance(response, str):
            try:
                inner = json.loads(response)
            except ValueError:
                inner = None
            found = _errors_from(inner) if inner is not None else None
            if found:
                errors = found
            elif isinstance(inner, str):
                message = _short(inner)
            elif response.strip():
                message = _short(response)
        else:
            found = _errors_from(response) if response is not None else _errors_from(envelope)
            errors = found or []
        if not errors and message is None:
            for key in ("message", "detail", "error_description", "error"):
                value = envelope.get(key)
                if isinstance(value, str) and value.strip():
                    message = _short(value)
                    break
    elif isinstance(envelope, list):
        errors = _errors_from(envelope) or []
    elif isinstance(envelope, str) and envelope.strip():
        message = _short(envelope)
    return envelope, errors, message, retry_after


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _success_status(value: Any) -> bool:
    """True for a `status` field that reads as success: a 2xx code or a word such as "ok"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return 200 <= value < 300
    if isinstance(value, str):
        text = value.strip().lower()
        return text in _SUCCESS_WORDS or (text.isdigit() and 200 <= int(text) < 300)
    return False


def _reported_error(body: dict[str, Any]) -> str | None:
    """Why a JSON object that came with a 2xx still reports a failure (words for a person, never
    JSON), or None."""
    response = body.get("response")
    inner: Any = None
    if isinstance(response, str) and response.strip()[:1] in ("[", "{"):
        try:
            inner = json.loads(response)
        except ValueError:
            inner = None
    listed = _errors_from(inner if inner is not None else response)
    if listed:
        return f"problems listed for {len(listed)} order{'s' if len(listed) != 1 else ''}"
    failed = "status" in body and not _success_status(body["status"])
    for key in ("error", "errors"):
        if body.get(key):
            failed = True
    for key in ("success", "ok"):
        if body.get(key) is False:
            failed = True
    if not failed:
        return None
    for key in ("response", "message", "error", "detail"):
        value = body.get(key)
        if isinstance(value, str) and value.strip() and value.strip()[:1] not in ("[", "{"):
            return value
    status = body.get("status")
    return f"status {status}" if isinstance(status, str | int) else "an error"


def confirmation_problem(content_type: str | None, content: bytes) -> str | None:
    """Why a 2xx answer to POST /orders is *not* Northbeam's confirmation, or None when it is.

    The phrase completes "<host> answered …". Northbeam's OpenAPI file gives POST /orders a 200
    with no body schema; its other answers are JSON objects (`{"message": …}` for PATCH, the
    `{"status": …, "response": …}` error envelope). So the rule is: a JSON media type, a body
    that is strict JSON, and a JSON object that does not report an error.
    """
    media = media_type(content_type)
    if media in ("text/html", "application/xhtml+xml") or content.lstrip()[:1] == b"<":
        return (
            "with a web page instead of Northbeam's confirmation (a Wi-Fi sign-in page or a "
            "network filter may be in the way)"
        )
    if not content.strip():
        return "without Northbeam's confirmation (the answer was empty)"
    if not JSON_TYPE_RE.match(media):
        shown = media or "no content type"
        return f"in a form Northbeam does not use ({shown}) instead of its confirmation"
    try:
        body = json.loads(content.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError):
        return "with a damaged confirmation that cannot be read"
    if not isinstance(body, dict):
        return "with something other than Northbeam's confirmation"
    error = _reported_error(body)
    if error is not None:
        return f"OK but its message reports an error (“{_short(error)}”)"
    return None


def header_value(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name, ignoring case (requests' headers do; a plain dict from a test not)."""
    value = headers.get(name)
    if value is None:
        lowered = {str(k).lower(): v for k, v in headers.items()}
        value = lowered.get(name.lower())
    return None if value is None else str(value)
