"""Issue codes, their titles and severities (core/orders/issues.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from northbeam_desktop.core.orders.document import load_document
from northbeam_desktop.core.orders.issues import TITLES, Issue, IssueCode, Severity, issue_title
from northbeam_desktop.core.orders.values import ValueProblem
from tests.core import orderfiles
from tests.core.orders.rulecases import opts


def test_every_code_has_a_title() -> None:
    assert set(TITLES) == set(IssueCode)


@pytest.mark.parametrize("code", list(IssueCode))
def test_every_title_reads_as_words(code: IssueCode) -> None:
    title = issue_title(code, label="Tax", values="“x”")
    assert title and title[0].isupper()
    assert not re.search(r"[{}_]|\(\)", title), title
    assert "Tax" in title or "{label}" not in TITLES[code]
    assert issue_title(code, label="Tax") == issue_title(code, label="Tax", values="").strip()


def test_a_title_without_values_drops_the_brackets() -> None:
    assert issue_title("not_a_number", label="Tax", values="“x”") == "Tax is not a number (“x”)"
    assert issue_title("not_a_number", label="Tax") == "Tax is not a number"
    assert issue_title(IssueCode.AMBIGUOUS_CURRENCY, label="Currency") == ("Currency is ambiguous")


def test_an_unknown_code_has_no_title_and_fails_loudly() -> None:
    with pytest.raises(ValueError):
        issue_title("no_such_code", label="Tax")


def test_codes_compare_equal_to_their_text() -> None:
    assert IssueCode.REQUIRED == "required"
    issue = Issue(IssueCode.REQUIRED, Severity.ERROR, "Tax is empty.", "tax")
    assert issue.code == "required" and issue.to_json()["code"] == "required"


def test_a_value_problem_only_takes_known_codes() -> None:
    assert ValueProblem("not_a_number", "…").code is IssueCode.NOT_A_NUMBER
    with pytest.raises(ValueError):
        ValueProblem("made_up", "…")


def test_json_report_shape_is_serializable(tmp_path: Path) -> None:
    doc = load_document(orderfiles.template_defects(tmp_path), opts())
    text = json.dumps([i.to_json() for i in doc.all_issues()])
    assert '"severity": "error"' in text


def test_every_severity_has_a_meaning_and_an_order_status() -> None:
    from northbeam_desktop.core.orders.records import STATUS_OF, OrderStatus, status_of

    assert set(STATUS_OF) == set(Severity)
    ranks = [severity.rank for severity in Severity]
    assert len(set(ranks)) == len(ranks)
    assert Severity.ERROR.blocks_upload and not Severity.WARNING.blocks_upload
    warning = Issue(IssueCode.ZIP_MISSING, Severity.WARNING, "…", "customer_shipping_address.zip")
    error = Issue(IssueCode.REQUIRED, Severity.ERROR, "…", "tax")
    assert status_of([]) is OrderStatus.VALID
    assert status_of([warning]) is OrderStatus.WARNING
    assert status_of([warning, error]) is OrderStatus.ERROR and error.is_error
