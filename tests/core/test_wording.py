"""Durations and sizes in words (core/northbeam/wording.py), the one formatter the upload's
messages and the upload window share."""

from __future__ import annotations

import pytest

from northbeam_desktop.core.northbeam.wording import format_bytes, format_seconds, plural


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "0 seconds"),
        (0.2, "1 second"),
        (45, "45 seconds"),
        (89, "89 seconds"),
        (90, "2 minutes"),
        (125, "2 minutes"),
        (3600, "60 minutes"),
        (9000, "2.5 hours"),
        (-3, "0 seconds"),
    ],
)
def test_format_seconds(seconds: float, words: str) -> None:
    assert format_seconds(seconds) == words


@pytest.mark.parametrize(
    ("size", "words"),
    [
        (512, "512 bytes"),
        (1_500, "1.5 kB"),
        (512_000, "512 kB"),
        (3_000_000, "3 MB"),
        (1_234_567, "1.2 MB"),
        (30_000_000, "30 MB"),
    ],
)
def test_format_bytes(size: int, words: str) -> None:
    assert format_bytes(size) == words


def test_plural() -> None:
    assert plural(1, "order") == "1 order" and plural(1000, "order") == "1,000 orders"
