"""Emails, SHA-256 hashes and IP addresses (values/identity.py): one shape check each, used by
the email and hash columns and by the customer-ID rules alike."""

from __future__ import annotations

import pytest

from northbeam_desktop.core.orders import hashing
from northbeam_desktop.core.orders.values import ValueProblem
from northbeam_desktop.core.orders.values.identity import (
    convert_email,
    convert_hash,
    convert_ip,
    is_sha256_hex,
    looks_like_email,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jane@example.com", True),
        ("j.doe+tag@mail.example.co.uk", True),
        ("a@b.co", True),
        ("not-an-email", False),
        ("jane@example", False),  # no dot in the domain
        ("jane@.example.com", False),  # the domain starts with a dot
        ("jane@example.com.", False),  # or ends with one
        ("jane doe@example.com", False),
        ("a@b@c.com", False),
    ],
)
def test_one_email_shape(text: str, expected: bool) -> None:
    assert looks_like_email(text) is expected
    if expected:
        assert convert_email(text) == (text, None)
    else:
        with pytest.raises(ValueProblem) as info:
            convert_email(text)
        assert info.value.code == "invalid_email"


def test_one_sha256_check_for_columns_and_hashing() -> None:
    digest = hashing.sha256_hex("jane@example.com")
    assert hashing.is_sha256_hex is is_sha256_hex  # the same function, not a copy
    assert is_sha256_hex(digest) and not is_sha256_hex(digest.upper())
    assert not is_sha256_hex(digest[:-1]) and not is_sha256_hex(None)
    assert convert_hash(digest) == (digest, None)
    lowered, note = convert_hash(digest.upper())
    assert lowered == digest and note and "lower case" in note
    with pytest.raises(ValueProblem) as info:
        convert_hash("abc123")
    assert info.value.code == "invalid_hash" and "“abc123”" in info.value.message


def test_ip_addresses_are_written_the_standard_way() -> None:
    assert convert_ip(" 203.0.113.7 ") == ("203.0.113.7", None)
    assert convert_ip("2001:DB8::1") == ("2001:db8::1", None)
    assert convert_ip(None) == (None, None)
    with pytest.raises(ValueProblem) as info:
        convert_ip("300.1.1.1")
    assert info.value.code == "invalid_ip"
