"""The documents a newcomer or a user reads first: README.md starts with the two commands, and
every picture and link in README.md, docs/ and packaging/ points at a file that exists."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "packaging").glob("*.md")),
]
# [text](target) and ![alt](target); the target ends at whitespace or ")".
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _local_targets(document: Path) -> list[str]:
    targets = []
    for target in LINK.findall(document.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # web addresses and anchors inside the page
        targets.append(unquote(target.split("#", 1)[0]))
    return targets


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_every_local_link_and_picture_exists(document: Path) -> None:
    targets = _local_targets(document)
    missing = [target for target in targets if not (document.parent / target).exists()]
    assert missing == []


def test_the_user_guide_shows_the_whole_flow_in_pictures() -> None:
    pictures = _local_targets(ROOT / "docs" / "USER_GUIDE.md")
    assert len([p for p in pictures if p.endswith(".png")]) >= 12
    for step in ("start", "table_errors", "edit_cell", "payload", "upload_done", "settings"):
        assert f"screenshots/{step}.png" in pictures


def test_readme_starts_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line.strip() for line in lines[:15] if line.startswith("    ")]
    assert len(commands) == 2
    start, tests = commands
    assert start.startswith("python3 -m venv .venv") and start.endswith(
        ".venv/bin/northbeam-desktop"
    )
    assert "pip install -e '.[test]'" in tests and tests.endswith("python -m pytest -q")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install --quiet -e '.[test,build]'" in ci
    assert ".venv/bin/python -m pytest -q" in ci


def test_readme_has_separate_sections_for_users_and_developers() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    users, developers = text.index("\n## For users\n"), text.index("\n## For developers\n")
    assert users < developers
    for topic in ("### Download and install", "### Where settings and logs live", "### Uninstall"):
        assert users < text.index(topic) < developers
    assert developers < text.index("### Building the installers")
