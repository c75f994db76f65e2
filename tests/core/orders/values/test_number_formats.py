"""A column's decimal separator decided from all its values (infer_number_format)."""

from __future__ import annotations

from northbeam_desktop.core.orders.values import (
    DOT_DECIMAL,
    NumberFormat,
    infer_number_format,
    parse_number,
)


def test_infer_number_format_dot_evidence() -> None:
    fmt = infer_number_format(["12.50", "3", "1,234.50"])
    assert fmt.decimal == "." and not fmt.ambiguous
    assert "“12.50”" in fmt.evidence


def test_infer_number_format_comma_evidence() -> None:
    for values in (["12,50", "3"], ["12,5"], ["1.234,50"], ["1.234.567"], ["0,123"]):
        fmt = infer_number_format(values)
        assert fmt.decimal == ",", values
        assert not fmt.ambiguous
        assert f"“{values[0]}”" in fmt.evidence


def test_infer_number_format_decided_by_grouping() -> None:
    fmt = infer_number_format(["1,234,567"])
    assert fmt == NumberFormat(
        ".",
        ambiguous=False,
        evidence="Values like “1,234,567” use commas for thousands, so the point is the decimal separator.",
    )
    fmt = infer_number_format(["1.234", "1.234.567"])
    assert fmt.decimal == "," and not fmt.ambiguous
    assert "like “1.234.567”, use points for thousands" in fmt.evidence


def test_infer_number_format_ambiguous_resolved_by_other_values() -> None:
    fmt = infer_number_format(["1.234", "12,50"])
    assert fmt == NumberFormat(
        ",",
        ambiguous=False,
        evidence="Values like “1.234” could be one thousand two hundred thirty-four or one point two three "
        "four; read as 1234 because other values in this column, like “12,50”, use a comma for "
        "decimals.",
    )
    fmt = infer_number_format(["1,234", "$12.50"])
    assert fmt.decimal == "." and not fmt.ambiguous
    assert "read as 1234" in fmt.evidence and "“$12.50”" in fmt.evidence


def test_infer_number_format_only_ambiguous_values() -> None:
    fmt = infer_number_format(["1,234", "2,500"])
    assert fmt.decimal == "." and fmt.ambiguous
    assert "“1,234”" in fmt.evidence
    assert "change the decimal separator" in fmt.evidence
    fmt = infer_number_format(["1.234"])
    assert fmt.decimal == "." and fmt.ambiguous
    assert "read as 1.234" in fmt.evidence


def test_infer_number_format_conflict_majority_wins() -> None:
    fmt = infer_number_format(["12,50", "13,50", "14.50"])
    assert fmt.decimal == "," and fmt.ambiguous
    assert "mixes" in fmt.evidence
    fmt = infer_number_format(["12,50", "13.50", "14.50"])
    assert fmt.decimal == "." and fmt.ambiguous
    fmt = infer_number_format(["12,50", "14.50"])  # a tie goes to the point
    assert fmt.decimal == "." and fmt.ambiguous
    assert "equally common" in fmt.evidence
    fmt = infer_number_format(["1.234.567", "12.50", "13.50"])
    assert fmt.decimal == "." and fmt.ambiguous
    assert "“1.234.567” uses points for thousands but “12.50” uses a point" in fmt.evidence


def test_infer_number_format_neutral_values() -> None:
    assert infer_number_format([]) == DOT_DECIMAL
    assert infer_number_format([1, 2.5, None, True, "12", "", "abc"]) == DOT_DECIMAL
    # Numeric cells do not count as evidence either way.
    assert infer_number_format([1234.5, "12,50"]).decimal == ","


def test_infer_number_format_decides_per_column_not_per_digit() -> None:
    # Each value read with the column's decision, not its own guess.
    values = ["1.234", "1.234,50", "99"]
    fmt = infer_number_format(values)
    assert [parse_number(v, fmt) for v in values] == [1234, 1234.5, 99]


def test_infer_number_format_accepts_generators_and_duplicates() -> None:
    fmt = infer_number_format(v for v in ["12,50"] * 1000)
    assert fmt.decimal == ","
