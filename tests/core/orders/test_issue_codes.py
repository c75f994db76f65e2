"""Every IssueCode is raised by at least one test case.

Each family's test module lists its cases in `CASES` (`IssueCase`s, run there at their cells);
codes a file can never raise are raised on one value in `VALUE_CASES`. This test only gathers
them, so a new code without a case fails here, whichever tests are run."""

from __future__ import annotations

import importlib
import pkgutil

import tests.core.orders as package
from northbeam_desktop.core.orders.issues import IssueCode
from northbeam_desktop.core.orders.rules import FAMILIES


def gathered() -> dict[IssueCode, list[str]]:
    found: dict[IssueCode, list[str]] = {}
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if not info.name.rpartition(".")[2].startswith("test_"):
            continue
        module = importlib.import_module(info.name)
        for case in getattr(module, "CASES", ()):
            found.setdefault(case.code, []).append(info.name)
        for code, *_rest in getattr(module, "VALUE_CASES", ()):
            found.setdefault(code, []).append(info.name)
    return found


def test_every_issue_code_has_a_case() -> None:
    missing = sorted(set(IssueCode) - set(gathered()))
    assert missing == [], f"no test case raises {missing}"


def test_each_family_has_a_case_for_every_code_it_owns() -> None:
    found = gathered()
    for family in FAMILIES:
        for code in family.CODES:
            assert code in found, (family.NAME, code)
        module = f"tests.core.orders.test_rules_{family.__name__.rpartition('.')[2]}"
        importlib.import_module(module)  # every family has its test module
