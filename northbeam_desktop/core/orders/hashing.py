"""Normalizing and hashing customer emails and phone numbers (ORDERS_API.md §5).

Northbeam matches `hashed_customer_email` / `hashed_customer_phone_number` against the hashes ad
platforms compute, so the normalization must be exactly theirs:

- Output is SHA-256 over the UTF-8 bytes of the normalized text, as 64 lowercase hex characters.
- Email: trim (all Unicode whitespace at both ends), lowercase; when there is exactly one `@`,
  apply the provider rule to the local part: `gmail.com` drops everything from the first `+` and
  every dot, `yahoo.com` / `ymail.com` drop everything from the first `-` and every dot,
  `outlook.com` drops everything from the first `+` and keeps dots. Other domains: no change.
- Phone: E.164 with the leading `+` (`+14155552671`), parsed with libphonenumber using a default
  country for numbers written without one; a leading `00` is read as `+`; extensions are dropped.
  Numbers that are not valid raise `ValueProblem` rather than producing a useless hash.
"""

from __future__ import annotations

import hashlib
import re

import phonenumbers

from northbeam_desktop.core.orders.values.identity import is_sha256_hex
from northbeam_desktop.core.orders.values.problems import ValueProblem
from northbeam_desktop.core.orders.values.text import to_text

__all__ = [
    "hash_email",
    "hash_phone",
    "is_sha256_hex",
    "normalize_email",
    "normalize_phone",
    "sha256_hex",
]  # is_sha256_hex is defined with the other shape checks in values.identity

# Zero-width characters and the BOM are not whitespace for str.strip() but do ride along with
# values pasted from web pages and other apps.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

# Local-part rules by exact domain: (cut from the first of these characters, remove dots).
_EMAIL_RULES: dict[str, tuple[str, bool]] = {
    "gmail.com": ("+", True),
    "yahoo.com": ("-", True),
    "ymail.com": ("-", True),
    "outlook.com": ("+", False),
}

# Characters people put in phone numbers that are not digits; used to spot a leading "00".
_PHONE_PUNCTUATION = re.compile(r"[\s().\-/\u00a0\u2009\u202f]+")


def sha256_hex(text: str) -> str:
    """SHA-256 of the UTF-8 bytes of `text`, as 64 lowercase hex characters."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _strip(text: str) -> str:
    return text.strip().strip(_INVISIBLE).strip()


def normalize_email(raw: str) -> str:
    """The email exactly as Northbeam hashes it (ORDERS_API.md §5.3).

    "  John.Smith+Promo@GMAIL.com " → "johnsmith@gmail.com"; addresses without exactly one `@`
    are returned trimmed and lowercased.
    """
    email = _strip(raw).lower()
    if email.count("@") != 1:
        return email
    local, domain = email.split("@")
    rule = _EMAIL_RULES.get(domain)
    if rule is not None:
        cut, remove_dots = rule
        local = local.split(cut, 1)[0]
        if remove_dots:
            local = local.replace(".", "")
    return f"{local}@{domain}"


def hash_email(raw: str) -> str:
    """SHA-256 hex of the normalized email."""
    return sha256_hex(normalize_email(raw))


def _phone_problem(shown: str, reason: str) -> ValueProblem:
    return ValueProblem(
        "invalid_phone",
        f"“{shown}” is not a phone number we can use: {reason}. Type the full number with its "
        "country code, such as +1 415 555 2671.",
    )


def normalize_phone(raw: str, default_region: str = "US") -> str:
    """The phone number in E.164 form with the leading `+` (`+14155552671`).

    Numbers written without a country code are read in `default_region` (an ISO 3166-1 alpha-2
    code such as "US", "GB" or "DE"); `00` before the country code works like `+`; extensions
    are dropped. Raises `ValueProblem` when the text is not a valid phone number.
    """
    if not isinstance(raw, str):  # a number cell: 4155552671.0 must not become "….0"
        raw = to_text(raw) or ""
    shown = _strip(raw)
    if not shown:
        raise ValueProblem(
            "invalid_phone",
            "The phone number is empty. Type the full number with its country code, such as "
            "+1 415 555 2671.",
        )
    text = shown
    compact = _PHONE_PUNCTUATION.sub("", text)
    if compact.startswith("00") and not compact.startswith("000"):
        # International call prefix used in most of the world: "0044 20 7946 0958".
        text = "+" + compact[2:]
    region = (default_region or "").upper() or None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        reasons = {
            phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: (
                "it has no country code we recognize"
            ),
            phonenumbers.NumberParseException.NOT_A_NUMBER: "it does not look like a phone number",
            phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "it is too short",
            phonenumbers.NumberParseException.TOO_SHORT_NSN: "it is too short",
            phonenumbers.NumberParseException.TOO_LONG: "it is too long",
        }
        raise _phone_problem(shown, reasons.get(exc.error_type, "it cannot be read")) from None
    if not phonenumbers.is_possible_number(number):
        reason = phonenumbers.is_possible_number_with_reason(number)
        words = {
            phonenumbers.ValidationResult.TOO_SHORT: "it has too few digits",
            phonenumbers.ValidationResult.TOO_LONG: "it has too many digits",
            phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "its country code does not exist",
        }
        raise _phone_problem(shown, words.get(reason, "it has the wrong number of digits"))
    if not phonenumbers.is_valid_number(number):
        raise _phone_problem(shown, "no such number exists in that country")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def hash_phone(raw: str, default_region: str = "US") -> str:
    """SHA-256 hex of the E.164 phone number (with the `+`)."""
    return sha256_hex(normalize_phone(raw, default_region))
