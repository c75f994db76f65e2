"""`validate --format json`: the report scripts read.

The keys `file`, `sheet`, `rows`, `orders`, `valid_orders` and `issues` (each issue as
`Issue.to_json()` gives it) are a contract. Besides them: `platform` (key, name and the sentence
a person reads), `mapping` (field → its column or what it is made from, and why),
`missing_required` (fields no column holds, with what the file would need), `counts` (problems
per level, every level present), `orders_by_level` (orders per most serious level),
`ready_orders` (orders that can be sent) and `held_back_orders` (cancelled in the shop, not sent
unless `--include-cancelled`).

Reports of real files can hold hundreds of thousands of issues, so the issues are written by
C-level string encoding, one issue per line, rather than by the pure-Python indented encoder
(which took ~13 s for 433k issues); the result is the same JSON, still readable line by line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring  # the C encoder of one JSON string
from typing import TYPE_CHECKING, Any, TextIO

from northbeam_desktop.cli.validate_facts import (
    count_levels,
    mapped_fields,
    missing_fields,
    platform_facts,
)
from northbeam_desktop.core.orders.issues import Issue, Severity

if TYPE_CHECKING:
    from northbeam_desktop.core.orders.document import OrderDocument

# Issues joined per write: bounds the memory of the text being written for huge reports.
_ISSUES_PER_WRITE = 20_000


def report_head(doc: OrderDocument, file: str, issues: list[Issue]) -> dict[str, Any]:
    """Every key of the report but `issues`, contract keys first."""
    counts = count_levels(doc, issues)
    platform = platform_facts(doc.mapping)
    mapping: dict[str, dict[str, Any]] = {}
    for item in mapped_fields(doc.mapping):
        entry: dict[str, Any] = {"label": item.label}
        if item.column is not None:
            entry["column"] = item.column
        else:
            entry["derived"] = item.derived
        entry["reason"] = item.reason
        mapping[item.key] = entry
    return {
        "file": file,
        "sheet": doc.sheet.sheet,
        "rows": counts.rows,
        "orders": counts.total_orders,
        "valid_orders": counts.ready,
        "platform": {"key": platform.key, "name": platform.name, "sentence": platform.sentence},
        "mapping": mapping,
        "missing_required": [
            {
                "field": item.key,
                "label": item.label,
                "needs": item.needs,
                "candidates": list(item.candidates),
            }
            for item in missing_fields(doc)
        ],
        "counts": {level.value: count for level, count in counts.issues.items()},
        "orders_by_level": {level.value: count for level, count in counts.orders.items()},
        "ready_orders": counts.ready,
        "held_back_orders": counts.held_back,
    }


def write_json_report(doc: OrderDocument, file: str, issues: list[Issue], out: TextIO) -> None:
    head = json.dumps(report_head(doc, file, issues), ensure_ascii=False, indent=2)
    out.write(head[: -len("\n}")])  # reopened to add the issues as the last key
    if not issues:
        out.write(',\n  "issues": []\n}\n')
        return
    out.write(',\n  "issues": [\n    ')
    line = issue_line_encoder()
    for start in range(0, len(issues), _ISSUES_PER_WRITE):
        if start:
            out.write(",\n    ")
        out.write(",\n    ".join(map(line, issues[start : start + _ISSUES_PER_WRITE])))
    out.write("\n  ]\n}\n")


def issue_line_encoder() -> Callable[[Issue], str]:
    """A function writing one issue as one line of JSON: exactly `Issue.to_json()` (a test
    checks it), each string escaped by the C encoder. Columns, fields and codes repeat across
    thousands of issues, so each is escaped once."""
    text = encode_basestring
    severity = {level: text(level.value) for level in Severity}
    known: dict[str | None, str] = {None: "null"}

    def escaped(value: str | None) -> str:
        result = known.get(value)
        if result is None:
            result = known[value] = text(str(value))
        return result

    def line(issue: Issue) -> str:
        row = issue.row
        order_id = issue.order_id
        return (
            f'{{"row": {"null" if row is None else int(row)}, '
            f'"column": {escaped(issue.column)}, "field": {escaped(issue.field)}, '
            f'"order_id": {"null" if order_id is None else text(order_id)}, '
            f'"severity": {severity[issue.severity]}, "code": {escaped(issue.code)}, '
            f'"message": {text(issue.message)}}}'
        )

    return line
