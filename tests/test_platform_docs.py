"""docs/PLATFORMS.md says what core/orders/platforms.py does (it is written from it)."""

from __future__ import annotations

from pathlib import Path

from northbeam_desktop.core.orders.fields import FIELDS_BY_KEY
from northbeam_desktop.core.orders.platform_docs import render
from northbeam_desktop.core.orders.platforms import PLATFORMS

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "PLATFORMS.md"


def test_the_platforms_page_is_up_to_date() -> None:
    assert PAGE.read_text(encoding="utf-8") == render(), (
        "docs/PLATFORMS.md differs from core/orders/platforms.py: write it again with "
        "`python -m northbeam_desktop.core.orders.platform_docs > docs/PLATFORMS.md`"
    )


def test_every_platform_column_derivation_and_limit_is_on_the_page() -> None:
    text = render()
    for platform in PLATFORMS:
        section = text.split(f"## {platform.name}: {platform.export}\n", 1)[1].split("\n## ")[0]
        for key, columns in platform.columns.items():
            row = next(
                line
                for line in section.splitlines()
                if line.startswith(f"| {FIELDS_BY_KEY[key].label} |")
            )
            assert all(f"“{column}”" in row for column in columns), (platform.key, key)
        for derived in platform.derived:
            assert derived.explanation in section, (platform.key, derived.field_key)
        for needs in platform.missing.values():
            assert needs in section, platform.key


def test_the_guides_link_the_platforms_page() -> None:
    for document in ("README.md", "docs/USER_GUIDE.md"):
        assert "PLATFORMS.md" in (ROOT / document).read_text(encoding="utf-8"), document
