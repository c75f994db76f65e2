"""The type checker reports nothing (`mypy`, configured in pyproject.toml: strict on core/orders,
core/northbeam and core/local, mypy's defaults elsewhere). CI runs it too (.ci/run); here it
also fails a plain test run, so a change that breaks the types cannot look green."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_reports_no_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    api = pytest.importorskip("mypy.api")
    monkeypatch.chdir(ROOT)
    cache = os.environ.get("MYPY_CACHE_DIR", str(ROOT / ".mypy_cache"))
    out, err, status = api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", cache]
    )
    assert status == 0, out + err
    assert out.startswith("Success"), out
