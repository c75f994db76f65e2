"""The GitHub workflows: every bash step passes shellcheck, and the release build covers what the
product promises (Windows and both Mac processors, a frozen self-check on each, installers made
from the scripts in packaging/, signing only with secrets).

The workflow schema and zizmor's security audit run in `.ci/run`; this file checks what they
cannot: the shell code inside `run:` blocks (actionlint's main job, whose binary PyPI does not
ship) and that the workflows agree with the repository.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from northbeam_desktop import __version__
from tests.tools import shellcheck_path

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
EXPRESSION = re.compile(r"\$\{\{.*?\}\}")


def _load(name: str) -> dict[str, Any]:
    return YAML(typ="safe").load((WORKFLOWS / name).read_text(encoding="utf-8"))


def _bash_steps() -> list[tuple[str, str]]:
    """(label, script) for every step that runs in bash: explicit `shell: bash`, or the default
    shell of a job or step that cannot be on Windows."""
    found = []
    for path in sorted(WORKFLOWS.glob("*.yml")):
        workflow = _load(path.name)
        for job_name, job in workflow["jobs"].items():
            for number, step in enumerate(job.get("steps", []), start=1):
                if "run" not in step:
                    continue
                shell = step.get("shell")
                condition = str(step.get("if", ""))
                windows_default = "Windows" in condition and "!=" not in condition
                runner = str(job.get("runs-on", ""))
                if shell == "bash" or (shell is None and not windows_default):
                    if shell is None and "windows" in runner and "matrix" not in runner:
                        continue
                    label = f"{path.name} {job_name} #{number} {step.get('name', '')}"
                    found.append((label, step["run"]))
    return found


BASH_STEPS = _bash_steps()


def test_the_workflows_have_bash_steps_to_check() -> None:
    assert len(BASH_STEPS) >= 10


@pytest.mark.parametrize(("label", "script"), BASH_STEPS, ids=[s[0] for s in BASH_STEPS])
def test_bash_steps_pass_shellcheck(label: str, script: str) -> None:
    shellcheck = shellcheck_path()
    # GitHub substitutes ${{ … }} before bash sees the script; a plain word stands in for it.
    body = EXPRESSION.sub("GITHUB_EXPRESSION", script)
    result = subprocess.run(
        [shellcheck, "--shell=bash", "--severity=style", "-"],
        input=f"set -eo pipefail\n{body}",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"{label}\n{result.stdout}"


def test_release_builds_windows_and_both_mac_processors() -> None:
    build = _load("release.yml")["jobs"]["build"]
    targets = {entry["name"]: entry["os"] for entry in build["strategy"]["matrix"]["include"]}
    assert set(targets) == {"linux-x86_64", "windows-x86_64", "macos-arm64", "macos-x86_64"}
    assert targets["macos-x86_64"].endswith("-intel")  # GitHub's Intel Mac runners
    assert build["needs"] == "tests"


def test_release_checks_the_frozen_and_the_installed_app() -> None:
    steps = _load("release.yml")["jobs"]["build"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "pyinstaller --noconfirm --clean build.spec" in runs
    assert runs.count("--self-check") >= 3  # frozen, from the disk image, once installed
    assert "/VERYSILENT" in runs and "unins000.exe" in runs


def test_release_uses_the_packaging_scripts_that_exist() -> None:
    runs = "\n".join(step.get("run", "") for step in _load("release.yml")["jobs"]["build"]["steps"])
    for script in re.findall(r"packaging[/\\][\w./\\-]+\.(?:sh|iss|ps1)", runs):
        assert (ROOT / script.replace("\\", "/")).is_file(), script


def test_signing_steps_run_only_with_their_secrets_and_say_so_otherwise() -> None:
    steps = _load("release.yml")["jobs"]["build"]["steps"]
    signing = [
        s for s in steps if "sign" in s.get("name", "").lower() and "secret" not in s["name"]
    ]
    assert len(signing) >= 3
    for step in signing:
        assert "!= ''" in step["if"], step["name"]
    warnings = [s for s in steps if s.get("name", "").startswith("Signing secrets")]
    assert {("Windows" in s["if"], "== ''" in s["if"]) for s in warnings} == {
        (True, True),
        (False, True),
    }
    assert all("::warning::" in s["run"] and "NOT" in s["run"] for s in warnings)


def test_every_action_is_pinned_to_a_commit() -> None:
    for path in WORKFLOWS.glob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = re.search(r"uses:\s*(\S+)", line)
            if match and not match.group(1).startswith("./"):
                assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", match.group(1)), line


def test_the_tests_workflow_runs_the_readme_test_command_on_three_systems() -> None:
    tests = _load("tests.yml")
    assert "workflow_call" in tests["on"]
    job = tests["jobs"]["test"]
    assert job["strategy"]["matrix"]["os"] == ["ubuntu-latest", "windows-latest", "macos-latest"]
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python -m pytest -q" in runs and "python -m pytest -q" in readme


def test_workflows_build_with_the_python_the_package_declares() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for name in ("tests.yml", "release.yml"):
        version = _load(name)["env"]["PYTHON_VERSION"]
        assert f'requires-python = ">={version}"' in pyproject
    assert __version__  # the release takes its version from the package
