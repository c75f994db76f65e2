"""Tests for core/orders/hashing.py against every test vector of ORDERS_API.md §5.5."""

from __future__ import annotations

import hashlib
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from northbeam_desktop.core.orders.hashing import (
    hash_email,
    hash_phone,
    is_sha256_hex,
    normalize_email,
    normalize_phone,
    sha256_hex,
)
from northbeam_desktop.core.orders.values import ValueProblem

JOHN = "3586de92bb3636d0885a12eff961429a32e4ebd764b96f50d85d016f9338d586"
SF_PHONE = "cb6880e416769253645cb9c6b8989154bf66a56a77fc14c81fb1019663cbb928"
LONDON_PHONE = "f0bf0228144d9fe2bdf1da2d8ca698f17bf1410ee688b075c27062e47b6f0b6d"

# (id, raw, normalized, sha256) — ORDERS_API.md §5.5, rows E1–E10.
EMAIL_VECTORS = [
    ("E1", "  John.Smith+Promo@GMAIL.com ", "johnsmith@gmail.com", JOHN),
    ("E2", "j.o.h.n.smith@gmail.com", "johnsmith@gmail.com", JOHN),
    (
        "E3",
        "Jane.Doe-shopping@Yahoo.com",
        "janedoe@yahoo.com",
        "358c42e07d578d9a029e5aa3cd34b16d0078a633a4fc0ea0dd3ea965687944eb",
    ),
    (
        "E4",
        "jane.doe+news@ymail.com",
        "janedoe+news@ymail.com",
        "a8dc474ac0fe960131ca10a7edaa8b6ff1a03051eab96baf6ab76575e3745d80",
    ),
    (
        "E5",
        "Bob.Jones+orders@Outlook.com",
        "bob.jones@outlook.com",
        "06371202edd7e7425fd68054a3a63a9c700970b79a3ce62ab5f5beec7eba90f3",
    ),
    (
        "E6",
        "Bob.Jones+orders@hotmail.com",
        "bob.jones+orders@hotmail.com",
        "b773b146b42fd05c68e7f37abeab26be21e7ac3a8fa0ef2206e94ce1e2beb65d",
    ),
    (
        "E7",
        "First.Last+tag@icloud.com",
        "first.last+tag@icloud.com",
        "43a3e45390285a074a6363410a0f7536ff24b00ab82bb2c67815828ae6d1059e",
    ),
    (
        "E8",
        "first.last@googlemail.com",
        "first.last@googlemail.com",
        "34dadd4cdd4717c7666e06bba658aa1d8695c42ac7a855cef7a9936f2fbe3b3f",
    ),
    (
        "E9",
        "Sales+EU@Example.co.uk",
        "sales+eu@example.co.uk",
        "fcde05b3056d95b35b3eff6bbb716f40348ba1f42da9ff27bc4171a7a420317b",
    ),
    (
        "E10",
        "a@b@c.com",
        "a@b@c.com",
        "a2f3157782266dc2acdf36932c96210cd4fb1908e8cc666610f3c71cfec39205",
    ),
]

# (id, raw, default region, E.164, sha256) — rows P1–P6 (P2 and P4 list several inputs).
PHONE_VECTORS = [
    ("P1", "+1 (415) 555-2671", "US", "+14155552671", SF_PHONE),
    ("P2a", "(415) 555-2671", "US", "+14155552671", SF_PHONE),
    ("P2b", "415.555.2671", "US", "+14155552671", SF_PHONE),
    ("P2c", "1-415-555-2671", "US", "+14155552671", SF_PHONE),
    ("P3", "415-555-2671 ext. 12", "US", "+14155552671", SF_PHONE),
    ("P4a", "+44 20 7946 0958", "US", "+442079460958", LONDON_PHONE),
    ("P4b", "020 7946 0958", "GB", "+442079460958", LONDON_PHONE),
    ("P4c", "0044 20 7946 0958", "US", "+442079460958", LONDON_PHONE),
    (
        "P5",
        "+49 30 1234567",
        "US",
        "+49301234567",
        "74bd805bcc47f8603082430ca056311389e38b74fcdfbc32bcb5c6a9269ff3bf",
    ),
    (
        "P6",
        "+61 2 9374 4000",
        "US",
        "+61293744000",
        "02d004954a894e38098d70a1204432ae8e2b2e7cc12b93e2bb0eb6b6ed2f3fe0",
    ),
]

# The ✗ row: what hashing without the "+" gives. It must never be what we send.
WRONG_NO_PLUS = ("14155552671", "758fbf68945f21c416814c539ab578876c8d98fb69e6da692def92cd52417fe0")


@pytest.mark.parametrize(("row", "raw", "normalized", "digest"), EMAIL_VECTORS)
def test_email_vectors(row: str, raw: str, normalized: str, digest: str) -> None:
    assert normalize_email(raw) == normalized, row
    assert hash_email(raw) == digest, row
    assert sha256_hex(normalized) == digest, row


@pytest.mark.parametrize(("row", "raw", "region", "e164", "digest"), PHONE_VECTORS)
def test_phone_vectors(row: str, raw: str, region: str, e164: str, digest: str) -> None:
    assert normalize_phone(raw, region) == e164, row
    assert hash_phone(raw, region) == digest, row
    assert sha256_hex(e164) == digest, row


def test_phone_negative_vector_shows_the_plus_matters() -> None:
    no_plus, wrong_digest = WRONG_NO_PLUS
    assert sha256_hex(no_plus) == wrong_digest
    assert hash_phone(no_plus) == SF_PHONE  # "14155552671" read as a US number gets its "+"
    assert hash_phone(no_plus) != wrong_digest
    assert hash_phone("+1 (415) 555-2671") != wrong_digest
    assert normalize_phone(no_plus).startswith("+")


def test_phone_from_number_cells() -> None:
    assert normalize_phone(4155552671) == "+14155552671"  # type: ignore[arg-type]
    assert normalize_phone(4155552671.0) == "+14155552671"  # type: ignore[arg-type]


def test_phone_default_region_is_us() -> None:
    assert normalize_phone("(415) 555-2671") == "+14155552671"
    assert hash_phone("(415) 555-2671") == SF_PHONE


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("030 1234567", "DE", "+49301234567"),
        ("0049 30 1234567", "DE", "+49301234567"),
        ("00 49 30 1234567", "US", "+49301234567"),
        ("011 44 20 7946 0958", "US", "+442079460958"),
        ("(02) 9374 4000", "AU", "+61293744000"),
        ("  +1 415 555 2671  ", "GB", "+14155552671"),
        ("\u00a0+1 415 555 2671\u200b", "US", "+14155552671"),
        ("+1 415 555 2671 x123", "US", "+14155552671"),
        ("+1 415 555 2671 extension 9", "US", "+14155552671"),
        ("415/555-2671", "US", "+14155552671"),
        ("+1 (415) 555-2671", "gb", "+14155552671"),
        ("020 7946 0958", "gb", "+442079460958"),
    ],
)
def test_phone_more_formats(raw: str, region: str, e164: str) -> None:
    assert normalize_phone(raw, region) == e164


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("", "US"),
        ("   ", "US"),
        ("12345", "US"),
        ("555-2671", "US"),
        ("hello", "US"),
        ("+1 415 555 26711234", "US"),
        ("+999 123 456 789", "US"),
        ("+1 555 555 5555", "US"),  # the right length, but no such US number
        ("415 555 2671", "XX"),  # no country code and no usable default region
        ("not a phone", "GB"),
    ],
)
def test_phone_problems(raw: str, region: str) -> None:
    with pytest.raises(ValueProblem) as info:
        normalize_phone(raw, region)
    problem = info.value
    assert problem.code == "invalid_phone"
    assert problem.message.endswith(".")
    if raw.strip():
        assert f"“{raw.strip()}”" in problem.message
        assert "+1 415 555 2671" in problem.message
    with pytest.raises(ValueProblem):
        hash_phone(raw, region)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("\tJohn@Example.com\n", "john@example.com"),
        ("\u00a0john@example.com\u3000", "john@example.com"),
        ("\u200bjohn@example.com\ufeff", "john@example.com"),
        ("JOHN.SMITH@GMAIL.COM", "johnsmith@gmail.com"),
        ("john+a+b@gmail.com", "john@gmail.com"),
        ("j.o.h.n-x@gmail.com", "john-x@gmail.com"),  # gmail has no "-" rule
        ("jane-a-b@yahoo.com", "jane@yahoo.com"),
        ("jane+x-y@yahoo.com", "jane+x@yahoo.com"),
        ("a.b+c@outlook.com", "a.b@outlook.com"),
        ("a.b-c@outlook.com", "a.b-c@outlook.com"),
        ("john+x@gmail.co.uk", "john+x@gmail.co.uk"),  # exact domain match only
        ("john+x@mail.gmail.com", "john+x@mail.gmail.com"),
        ("+tag@gmail.com", "@gmail.com"),
        ("no-at-sign", "no-at-sign"),
        ("  Two@At@Signs.COM ", "two@at@signs.com"),
        ("", ""),
        ("ÄNNE@EXAMPLE.DE", "änne@example.de"),
    ],
)
def test_email_rules(raw: str, normalized: str) -> None:
    assert normalize_email(raw) == normalized


def test_email_hash_is_sha256_of_normalized_utf8() -> None:
    raw = "ÄNNE@EXAMPLE.DE"
    assert hash_email(raw) == hashlib.sha256("änne@example.de".encode()).hexdigest()


def test_sha256_hex() -> None:
    assert sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert sha256_hex("hello") == hashlib.sha256(b"hello").hexdigest()
    assert is_sha256_hex(sha256_hex("anything"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (JOHN, True),
        ("0" * 64, True),
        (JOHN.upper(), False),  # lowercase only
        (JOHN[:-1], False),
        (JOHN + "0", False),
        (JOHN[:-1] + "g", False),
        ("0x" + JOHN[:62], False),
        (JOHN + "\n", False),
        (" " + JOHN, False),
        ("", False),
        ("5d41402abc4b2a76b9719d911017c592", False),  # MD5 length
        (12345, False),
        (None, False),
    ],
)
def test_is_sha256_hex(value, expected: bool) -> None:
    assert is_sha256_hex(value) is expected


@given(st.text())
def test_property_email_normalization_is_idempotent_and_hash_is_hex(raw: str) -> None:
    normalized = normalize_email(raw)
    assert normalize_email(normalized) == normalized
    assert normalized == normalized.strip()
    digest = hash_email(raw)
    assert is_sha256_hex(digest)
    assert digest == sha256_hex(normalized)


@given(
    local=st.text(alphabet=string.ascii_letters + string.digits + ".+-_", min_size=1, max_size=20),
    domain=st.sampled_from(["gmail.com", "yahoo.com", "ymail.com", "outlook.com", "example.org"]),
)
def test_property_email_case_and_spaces_do_not_matter(local: str, domain: str) -> None:
    email = f"{local}@{domain}"
    assert hash_email(f"  {email.upper()}\t") == hash_email(email.lower())


@given(st.text(max_size=30), st.sampled_from(["US", "GB", "DE", "AU", "FR"]))
def test_property_phone_never_fails_unexpectedly(raw: str, region: str) -> None:
    try:
        e164 = normalize_phone(raw, region)
    except ValueProblem as problem:
        assert problem.code == "invalid_phone"
    else:
        assert e164.startswith("+") and e164[1:].isdigit()
        assert normalize_phone(e164, region) == e164
        assert hash_phone(raw, region) == sha256_hex(e164)
