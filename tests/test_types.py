"""The type checker reports nothing (`mypy`, configured in pyproject.toml: strict on all of core/,
mypy's defaults elsewhere, no module skipped). CI runs it too (.ci/run); here it
also fails a plain test run, so a change that breaks the types cannot look green."""

from __future__ import annotations

import os
import tomllib
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


def test_no_module_is_skipped_and_core_is_strict() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    overrides = config.get("overrides", [])
    assert not [o["module"] for o in overrides if o.get("ignore_errors")]
    strict = next(o for o in overrides if o.get("disallow_untyped_defs"))
    packages = sorted(
        p.name
        for p in (ROOT / "northbeam_desktop" / "core").iterdir()
        if p.is_dir() and (p / "__init__.py").exists()
    )
    assert [f"northbeam_desktop.core.{name}.*" for name in packages] == sorted(strict["module"])
    loosened = [o["module"] for o in overrides if o.get("disallow_untyped_defs") is False]
    assert loosened == []
