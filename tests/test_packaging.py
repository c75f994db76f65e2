"""The installer scripts in packaging/ agree with build.spec and the package.

No network, no Qt: build.spec and main_window.py are read as text / syntax trees, never run.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import stat
import subprocess
import sys
import uuid
from pathlib import Path, PureWindowsPath

import pytest

import northbeam_desktop
from tests.tools import shellcheck_path

ROOT = Path(__file__).resolve().parents[1]
ISS = ROOT / "packaging" / "windows" / "northbeam-desktop.iss"
MAKE_DMG = ROOT / "packaging" / "macos" / "make_dmg.sh"
BUILD_SPEC = ROOT / "build.spec"
MAIN_WINDOW = ROOT / "northbeam_desktop" / "ui" / "main_window.py"


# --- reading the files ------------------------------------------------------------------------


def _spec_tree() -> ast.Module:
    return ast.parse(BUILD_SPEC.read_text(encoding="utf-8"), filename=str(BUILD_SPEC))


def _spec_constant(name: str) -> str:
    for node in _spec_tree().body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
            and isinstance(node.value, ast.Constant)
        ):
            return node.value.value
    raise AssertionError(f'build.spec has no `{name} = "..."`')


def _spec_exe_names() -> dict[bool, str]:
    """{console: program name} for every `_exe(<name>, console=<bool>)` call in build.spec."""
    name = _spec_constant("NAME")
    found: dict[bool, str] = {}
    for node in ast.walk(_spec_tree()):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "_exe"
            and node.args
        ):
            continue
        console = next(kw.value.value for kw in node.keywords if kw.arg == "console")
        arg = node.args[0]
        if isinstance(arg, ast.Name) and arg.id == "NAME":
            found[console] = name
        elif isinstance(arg, ast.JoinedStr):  # f"{NAME}-cli"
            found[console] = "".join(
                name if isinstance(part, ast.FormattedValue) else part.value for part in arg.values
            )
        elif isinstance(arg, ast.Constant):
            found[console] = arg.value
    return found


def _iss_text() -> str:
    return ISS.read_text(encoding="utf-8")


def _iss_lines() -> list[str]:
    """Script lines without comments (';' lines) and blank lines."""
    return [
        line.strip()
        for line in _iss_text().splitlines()
        if line.strip() and not line.strip().startswith(";")
    ]


def _iss_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for line in _iss_lines():
        match = re.fullmatch(r"\[(\w+)\]", line)
        if match:
            current = match.group(1)
            sections.setdefault(current, [])
        elif current and not line.startswith("#"):
            sections[current].append(line)
    return sections


def _iss_setup() -> dict[str, str]:
    setup: dict[str, str] = {}
    for line in _iss_sections()["Setup"]:
        key, _, value = line.partition("=")
        setup[key.strip()] = value.strip()
    return setup


def _iss_defines() -> dict[str, list[str]]:
    """Every `#define Name "literal"` in the script (a name can be defined more than once)."""
    defines: dict[str, list[str]] = {}
    for match in re.finditer(r'^\s*#define\s+(\w+)\s+"([^"]*)"\s*$', _iss_text(), re.M):
        defines.setdefault(match.group(1), []).append(match.group(2))
    return defines


def _iss_define(name: str) -> str:
    values = _iss_defines().get(name)
    assert values, f'no #define {name} "..." in {ISS.name}'
    assert len(values) == 1, f"#define {name} has several literal values: {values}"
    return values[0]


def _entries(section: str) -> list[dict[str, str]]:
    """Parse `Name: "value"; Other: value` lines of an Inno Setup section."""
    entries = []
    for line in _iss_sections().get(section, []):
        entry = {}
        for part in re.findall(r'(\w+):\s*("(?:[^"]|"")*"|[^;]*)', line):
            key, value = part
            value = value.strip()
            if value.startswith('"') and value.endswith('"'):
                value = value[1:-1].replace('""', '"')
            entry[key] = value
        entries.append(entry)
    return entries


def _expand(value: str) -> str:
    """Replace {#Name} with the literal #define value."""
    return re.sub(r"\{#(\w+)\}", lambda m: _iss_define(m.group(1)), value)


def _from_iss_dir(relative: str) -> Path:
    return (ISS.parent / Path(*PureWindowsPath(relative).parts)).resolve()


# --- Inno Setup script ------------------------------------------------------------------------


def test_iss_is_per_user() -> None:
    setup = _iss_setup()
    assert setup["PrivilegesRequired"] == "lowest"
    # per-user: {autopf} is %LOCALAPPDATA%\Programs when Setup runs without admin rights
    assert setup["DefaultDirName"].startswith(("{autopf}\\", "{localappdata}\\Programs\\"))
    assert setup["DefaultDirName"].endswith("\\{#AppName}")
    assert _iss_define("AppName") == northbeam_desktop.APP_NAME
    # nothing that needs admin rights: no HKLM keys, no common folders
    assert "HKLM" not in _iss_text()
    assert "{commonpf}" not in _iss_text()
    assert "{commondesktop}" not in _iss_text()


def test_iss_app_id_is_a_stable_guid() -> None:
    app_id = _iss_setup()["AppId"]
    # "{{" is Inno Setup's escape for a literal "{"
    match = re.fullmatch(r"\{\{([0-9A-Fa-f-]{36})\}", app_id)
    assert match, f"AppId is not {{{{GUID}}: {app_id}"
    guid = match.group(1)
    assert str(uuid.UUID(guid)).upper() == guid.upper()
    # never a preprocessor value that could change between builds
    assert "{#" not in app_id


def test_iss_icons_exist_relative_to_the_script() -> None:
    setup = _iss_setup()
    icon = _from_iss_dir(setup["SetupIconFile"])
    assert icon.is_file(), icon
    assert icon == (ROOT / "resources" / "icon.ico").resolve()
    assert setup["UninstallDisplayIcon"] == "{app}\\{#AppExeName}"


def test_iss_launches_the_windowed_exe_that_build_spec_makes() -> None:
    exes = _spec_exe_names()
    assert _iss_define("AppExeName") == f"{exes[False]}.exe"  # console=False: the windowed app
    assert _iss_define("CliExeName") == f"{exes[True]}.exe"
    run = _entries("Run")
    assert [_expand(entry["Filename"]) for entry in run] == [f"{{app}}\\{exes[False]}.exe"]
    assert "postinstall" in run[0]["Flags"] and "skipifsilent" in run[0]["Flags"]
    assert all(
        _expand(icon["Filename"]) == f"{{app}}\\{exes[False]}.exe" for icon in _entries("Icons")
    )


def test_iss_default_source_dir_is_build_spec_output() -> None:
    collect_name = _spec_constant("NAME")  # COLLECT(name=NAME) -> dist/<NAME>
    assert _from_iss_dir(_iss_define("SourceDir")) == (ROOT / "dist" / collect_name).resolve()
    output = _from_iss_dir(_iss_define("OutputDir"))
    assert output.is_relative_to(ROOT), output
    files = _entries("Files")
    assert len(files) == 1
    assert files[0]["Source"] == "{#SourceDir}\\*"
    assert "recursesubdirs" in files[0]["Flags"]
    # an upgrade must not leave the previous version's bundled libraries behind
    assert {"Type": "filesandordirs", "Name": "{app}\\_internal"} in _entries("InstallDelete")


def test_iss_version_is_passed_in_or_read_from_the_built_exe() -> None:
    """Design: the .iss holds no version number of its own.

    AppVersion comes from /DAppVersion=..., or else from the ProductVersion that build.spec
    writes into the exe, which is northbeam_desktop.__version__. So there is nothing to bump here.
    """
    text = _iss_text()
    assert "AppVersion" not in _iss_defines(), "no literal default version in the .iss"
    assert re.search(
        r"#ifndef AppVersion\s+#define AppVersion Trim\(GetStringFileInfo\(AddBackslash\(SourceDir\)"
        r' \+ AppExeName, "ProductVersion"\)\)',
        text,
    )
    assert re.search(r'#if AppVersion == ""\s+#error', text)
    # ...and build.spec really puts __version__ there
    spec = BUILD_SPEC.read_text(encoding="utf-8")
    assert 'StringStruct("ProductVersion", __version__)' in spec
    assert "from northbeam_desktop import APP_NAME, __version__" in spec
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", northbeam_desktop.__version__)

    setup = _iss_setup()
    assert setup["AppVersion"] == "{#AppVersion}"
    assert setup["OutputBaseFilename"] == "northbeam-desktop-{#AppVersion}-windows-x86_64-setup"
    assert setup["OutputDir"] == "{#OutputDir}"


def test_iss_closes_the_running_app_and_uses_the_modern_wizard() -> None:
    setup = _iss_setup()
    assert setup["CloseApplications"] in {"yes", "force"}
    assert setup["WizardStyle"] == "modern"
    assert setup["ArchitecturesInstallIn64BitMode"] == "x64compatible"
    assert [entry["Name"] for entry in _entries("Languages")] == ["english"]
    desktop = [task for task in _entries("Tasks") if task["Name"] == "desktopicon"]
    assert desktop and "unchecked" in desktop[0]["Flags"]


def test_iss_keeps_user_data_on_uninstall() -> None:
    assert "UninstallDelete" not in _iss_sections()
    for entry in _entries("InstallDelete"):
        assert entry["Name"].startswith("{app}\\"), entry
    # the data folder is outside the install folder: %LOCALAPPDATA%\northbeam-desktop
    assert "does NOT delete" in _iss_text()


def test_iss_only_offers_open_with_for_types_the_app_reads() -> None:
    tree = ast.parse(MAIN_WINDOW.read_text(encoding="utf-8"))
    supported = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "SUPPORTED_SUFFIXES" for t in node.targets)
    )
    registry = _entries("Registry")
    assert registry
    assert all(entry["Root"] == "HKA" for entry in registry)
    open_with = {
        match.group(1)
        for entry in registry
        if (match := re.fullmatch(r"Software\\Classes\\(\.\w+)\\OpenWithProgids", entry["Subkey"]))
    }
    assert {".xlsx", ".csv"} <= open_with <= set(supported)
    # never the default program for a type: no writes to a .ext key's own default value
    for entry in registry:
        if re.fullmatch(r"Software\\Classes\\\.\w+", entry["Subkey"]):
            raise AssertionError(f"would take over a file type: {entry}")
        if entry["Subkey"].endswith("OpenWithProgids"):
            assert entry["Flags"] == "uninsdeletevalue"


# --- macOS disk image script ------------------------------------------------------------------


def test_make_dmg_is_executable_in_git() -> None:
    relative = MAKE_DMG.relative_to(ROOT).as_posix()
    git = shutil.which("git")
    listed = ""
    if git and (ROOT / ".git").exists():
        listed = subprocess.run(
            [git, "ls-files", "--stage", "--", relative],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    if listed:
        assert listed.split()[0] == "100755", listed
    elif sys.platform == "win32":
        pytest.skip("not tracked by git here and Windows has no executable bit")
    else:
        assert MAKE_DMG.stat().st_mode & stat.S_IXUSR


def test_make_dmg_is_strict_bash() -> None:
    lines = MAKE_DMG.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#!/usr/bin/env bash"
    code = [line for line in lines[1:] if line.strip() and not line.startswith("#")]
    assert code[0] == "set -euo pipefail"
    text = "\n".join(lines)
    assert "hdiutil create" in text
    assert "-format UDZO" in text or "-format ULFO" in text
    assert "CFBundleShortVersionString" in text
    assert 'ln -s /Applications "$staging/Applications"' in text


SHELL_SCRIPTS = sorted(
    [
        MAKE_DMG,
        ROOT / "packaging" / "linux" / "install.sh",
        *(ROOT / ".ci").iterdir(),
    ]
)


@pytest.mark.parametrize(
    "script", SHELL_SCRIPTS, ids=lambda path: path.relative_to(ROOT).as_posix()
)
def test_shell_scripts_pass_shellcheck(script: Path) -> None:
    result = subprocess.run(
        [shellcheck_path(), "--shell=bash", "--severity=style", str(script)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


INFO_PLIST = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
\t<key>CFBundleName</key>
\t<string>Northbeam Desktop</string>
\t<key>CFBundleShortVersionString</key>
\t<string>{version}</string>
</dict>
</plist>
"""

# Stand-ins for the macOS tools, so the script's own logic runs on any machine with bash.
STUBS = {
    "hdiutil": """#!/usr/bin/env bash
set -eu
printf '%s\\n' "$*" >> "$STUB_LOG"
if [[ $1 == create ]]; then
    src=""; out="${@: -1}"
    while [[ $# -gt 0 ]]; do
        if [[ $1 == -srcfolder ]]; then src=$2; fi
        shift
    done
    ls -A "$src" >> "$STUB_LOG"
    [[ -L "$src/Applications" ]] && readlink "$src/Applications" >> "$STUB_LOG"
    printf 'dmg' > "$out"
fi
""",
    "ditto": """#!/usr/bin/env bash
cp -R "$1" "$2"
""",
    # PlistBuddy's absolute path does not exist off macOS; the script then asks `defaults`.
    "defaults": """#!/usr/bin/env bash
sed -n '/CFBundleShortVersionString/{n;s/.*<string>\\(.*\\)<\\/string>.*/\\1/p;}' "$2.plist"
""",
}


@pytest.mark.skipif(sys.platform == "win32", reason="needs bash")
def test_make_dmg_runs_from_another_folder(tmp_path: Path) -> None:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash not installed")
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    for name, body in STUBS.items():
        path = stubs / name
        path.write_text(body, encoding="utf-8")
        path.chmod(0o755)
    app = tmp_path / "build" / "Northbeam Desktop.app"
    (app / "Contents" / "MacOS").mkdir(parents=True)
    (app / "Contents" / "Info.plist").write_text(
        INFO_PLIST.format(version=northbeam_desktop.__version__), encoding="utf-8"
    )
    (app / "Contents" / "MacOS" / "northbeam-desktop").write_text("", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    log = tmp_path / "hdiutil.log"
    env = {
        **os.environ,
        "PATH": f"{stubs}{os.pathsep}{os.environ.get('PATH', '')}",
        "STUB_LOG": str(log),
        "TMPDIR": str(tmp_path),
    }

    result = subprocess.run(
        [bash, str(MAKE_DMG), "../build/Northbeam Desktop.app", "out/Northbeam.dmg"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    dmg = elsewhere / "out" / "Northbeam.dmg"
    assert dmg.read_text() == "dmg"
    assert result.stdout.strip() == str(dmg)
    calls = log.read_text(encoding="utf-8")
    assert f"-volname Northbeam Desktop {northbeam_desktop.__version__} " in calls
    lines = calls.splitlines()
    # the image holds the app and an Applications link to /Applications, nothing else
    staged = lines[1:4]
    assert sorted(staged) == ["/Applications", "Applications", "Northbeam Desktop.app"], calls
    assert f"verify {dmg}" in calls
    assert not list(tmp_path.glob("make_dmg.*")), "the staging folder was not removed"


@pytest.mark.skipif(sys.platform == "win32", reason="needs bash")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "usage:"),
        (
            ["missing/Northbeam Desktop.app", "x.dmg"],
            "app not found: missing/Northbeam Desktop.app",
        ),
        (["Northbeam Desktop", "x.dmg"], "must end in .app"),
    ],
)
def test_make_dmg_says_what_is_wrong(tmp_path: Path, args: list[str], message: str) -> None:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash not installed")
    result = subprocess.run(
        [bash, str(MAKE_DMG), *args], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert message in result.stderr
