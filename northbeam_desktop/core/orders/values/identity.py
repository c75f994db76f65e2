"""Emails, SHA-256 hashes and IP addresses from one cell: the shape checks the whole app uses."""

from __future__ import annotations

import ipaddress
import re

from northbeam_desktop.core.orders.issues import IssueCode
from northbeam_desktop.core.orders.sheet import CellValue
from northbeam_desktop.core.orders.values.problems import ValueProblem
from northbeam_desktop.core.orders.values.text import to_text

# Something, one @, and a domain with a dot that neither starts nor ends it.
_EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s.][^@\s]*\.[^@\s]*[^@\s.]")
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
# The domain reserved for addresses that cannot exist (RFC 2606). Checkouts that take no email
# write one in its place (Razorpay Magic Checkout in Shopify exports:
# noemail_ph_num_91…@noemail.magic-checkout.invalid).
_NO_ONES_DOMAIN = ".invalid"


def looks_like_email(text: str) -> bool:
    """True when `text` has the shape of an email address (name@example.com)."""
    return _EMAIL_SHAPE.fullmatch(text) is not None


def is_sha256_hex(value: object) -> bool:
    """True when `value` is exactly 64 lowercase hexadecimal characters (an already-hashed value)."""
    return isinstance(value, str) and _SHA256_HEX.fullmatch(value) is not None


def convert_email(value: CellValue) -> tuple[str | None, str | None]:
    text = to_text(value)
    if text is None:
        return None, None
    if text.casefold().endswith(_NO_ONES_DOMAIN) and looks_like_email(text):
        return None, (
            f"“{text}” is a checkout's stand-in for a missing email (no address can end in "
            "“.invalid”): it is not sent, and the order's phone number, if it has one, "
            "tells its customer."
        )
    if not looks_like_email(text):
        raise ValueProblem(
            IssueCode.INVALID_EMAIL,
            f"“{text}” is not an email address. Type it like name@example.com, or clear the cell.",
        )
    return text, None


def convert_hash(value: CellValue) -> tuple[str | None, str | None]:
    text = to_text(value)
    if text is None:
        return None, None
    lowered = text.lower()
    if is_sha256_hex(lowered):
        if lowered != text:
            return lowered, "The hash is sent in lower case, as Northbeam expects."
        return text, None
    raise ValueProblem(
        IssueCode.INVALID_HASH,
        f"“{_shorten(text)}” is not a SHA-256 hash (64 letters a–f and digits). Put the plain "
        "value in the plain column instead and turn on hashing in the settings.",
    )


def convert_ip(value: CellValue) -> tuple[str | None, None]:
    text = to_text(value)
    if text is None:
        return None, None
    try:
        return str(ipaddress.ip_address(text)), None
    except ValueError:
        raise ValueProblem(
            IssueCode.INVALID_IP,
            f"“{text}” is not an IP address. Use a form like 203.0.113.7, or clear the cell.",
        ) from None


def _shorten(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = [
    "convert_email",
    "convert_hash",
    "convert_ip",
    "is_sha256_hex",
    "looks_like_email",
]
