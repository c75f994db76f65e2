"""Speed: the readers run once per distinct value of a column on 100k-row files."""

from __future__ import annotations

import pytest

from northbeam_desktop.core.orders.values import (
    DOT_DECIMAL,
    normalize_currency,
    parse_datetime,
    parse_number,
)
from tests.core.orders.values.common import (
    MDY,
    NEW_YORK,
    assert_plain_message,
    problem,
)


def test_common_values_are_cheap() -> None:
    import time

    start = time.perf_counter()
    for i in range(20_000):
        parse_number(f"{i}.50", DOT_DECIMAL)
        parse_datetime("2026-03-08T13:45:12Z", MDY, NEW_YORK)
        parse_datetime("2026-03-08 13:45:12 -0500", MDY, NEW_YORK)
    elapsed = time.perf_counter() - start
    # About 3 µs per round on a laptop; the bound only catches an accidental slow path.
    assert elapsed < 2.0


@pytest.mark.parametrize(
    ("code", "replacement", "rate"),
    [("DEM", "EUR", "1.95583"), ("frf", "EUR", "6.55957"), ("TRL", "TRY", "1,000,000")],
)
def test_currency_withdrawn_code_is_explained_like_a_redenomination(
    code: str, replacement: str, rate: str
) -> None:
    """An old code such as DEM gets as much help as BYN: what it was, what replaced it and how
    to convert, and no one-click fix (the amounts may need converting, not relabelling)."""
    p = problem(normalize_currency, code)
    assert p.code == "unsupported_currency"
    assert_plain_message(p)
    assert rate in p.message and f"type {replacement}" in p.message
    assert p.suggestion is None
