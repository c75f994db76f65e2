"""packaging/linux/install.sh: the Linux tarball's menu entry, icons and command, added and
removed for one user, on a stand-in of the app folder (the real bundle is checked by
`.ci/frozen-self-check`)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from northbeam_desktop.ui.app import ICON_SIZES

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "packaging" / "linux" / "install.sh"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a bash script for Linux")


def _app_folder(parent: Path) -> Path:
    """What the tarball unpacks to: the two programs, the icons under _internal, install.sh."""
    app = parent / "northbeam-desktop"
    (app / "_internal" / "resources").mkdir(parents=True)
    for name in ("northbeam-desktop", "northbeam-desktop-cli"):
        program = app / name
        program.write_text(f'#!/bin/sh\necho {name} "$@"\n', encoding="utf-8")
        program.chmod(program.stat().st_mode | stat.S_IXUSR)
    for size in ICON_SIZES:
        shutil.copy2(ROOT / "resources" / f"icon-{size}.png", app / "_internal" / "resources")
    shutil.copy2(SCRIPT, app / "install.sh")
    return app


def _run(app: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ["PATH"], "HOME": str(home)}  # no XDG_DATA_HOME: the default
    return subprocess.run(
        ["bash", str(app / "install.sh"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_install_adds_a_menu_entry_icons_and_a_command_then_uninstall_removes_them(
    tmp_path: Path,
) -> None:
    app = _app_folder(tmp_path / "My Apps")  # a space in the path, as in real home folders
    home = tmp_path / "home"
    home.mkdir()

    result = _run(app, home)
    assert result.returncode == 0, result.stderr
    assert f"it runs from {app}" in result.stdout

    share = home / ".local" / "share"
    entry = (share / "applications" / "northbeam-desktop.desktop").read_text(encoding="utf-8")
    lines = entry.splitlines()
    assert lines[0] == "[Desktop Entry]"
    assert f'Exec="{app}/northbeam-desktop" %f' in lines
    assert f"TryExec={app}/northbeam-desktop" in lines
    assert "Icon=northbeam-desktop" in lines and "StartupWMClass=northbeam-desktop" in lines
    mime = next(line for line in lines if line.startswith("MimeType="))
    assert "text/csv;" in mime and "spreadsheetml.sheet;" in mime
    for size in ICON_SIZES:
        icon = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "northbeam-desktop.png"
        assert icon.read_bytes() == (ROOT / "resources" / f"icon-{size}.png").read_bytes()
    command = home / ".local" / "bin" / "northbeam-desktop"
    assert command.resolve() == (app / "northbeam-desktop-cli").resolve()
    ran = subprocess.run([str(command), "--version"], capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == "northbeam-desktop-cli --version"

    assert _run(app, home).returncode == 0  # running it twice is harmless

    removed = _run(app, home, "--uninstall")
    assert removed.returncode == 0, removed.stderr
    assert not (share / "applications" / "northbeam-desktop.desktop").exists()
    assert not list((share / "icons").rglob("northbeam-desktop.png"))
    assert not command.exists() and not command.is_symlink()
    assert "settings, upload history and logs are still" in removed.stdout


def test_install_refuses_a_folder_without_the_app(tmp_path: Path) -> None:
    lonely = tmp_path / "Downloads"
    lonely.mkdir()
    shutil.copy2(SCRIPT, lonely / "install.sh")
    result = _run(lonely, tmp_path)
    assert result.returncode == 1
    assert "run the install.sh that is inside the unpacked app folder" in result.stderr
    assert not (tmp_path / ".local").exists()


def test_install_refuses_a_path_the_menu_entry_cannot_quote(tmp_path: Path) -> None:
    app = _app_folder(tmp_path / "price$list")
    result = _run(app, tmp_path)
    assert result.returncode == 1
    assert "move the folder elsewhere" in result.stderr
    assert not (tmp_path / ".local" / "share" / "applications").exists()


def test_install_leaves_a_command_it_did_not_make(tmp_path: Path) -> None:
    app = _app_folder(tmp_path / "apps")
    mine = tmp_path / ".local" / "bin" / "northbeam-desktop"
    mine.parent.mkdir(parents=True)
    mine.write_text("#!/bin/sh\necho mine\n", encoding="utf-8")
    result = _run(app, tmp_path)
    assert result.returncode == 0
    assert "is not ours; the command was not linked" in result.stdout
    assert mine.read_text(encoding="utf-8") == "#!/bin/sh\necho mine\n"
    _run(app, tmp_path, "--uninstall")
    assert mine.exists()


def test_unknown_option_is_one_line_and_exit_1(tmp_path: Path) -> None:
    app = _app_folder(tmp_path / "apps")
    result = _run(app, tmp_path, "--everywhere")
    assert result.returncode == 1
    assert result.stderr == (
        "install.sh: unknown option: --everywhere (use --uninstall, or nothing to install)\n"
    )
