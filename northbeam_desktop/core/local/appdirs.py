"""Where the app keeps its files: data (the upload ledger), config, logs and cache.

One switch, the `NORTHBEAM_DESKTOP_HOME` environment variable, points every one of them at a
single folder. Tests, portable installs and support sessions use it so nothing is written to the
user's real profile; without it the platform's usual places are used (via platformdirs).

The folders are private to the user (0700 where the OS has modes): the data folder holds the
upload record and the recovery journals, which name customers' orders.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from northbeam_desktop.core.local.locks import private_folder

APP_DIR_NAME = "northbeam-desktop"
HOME_ENV_VAR = "NORTHBEAM_DESKTOP_HOME"


@dataclass(frozen=True, slots=True)
class AppDirs:
    data: Path
    config: Path
    log: Path
    cache: Path

    def all(self) -> tuple[Path, ...]:
        return (self.data, self.config, self.log, self.cache)


def app_dirs(*, create: bool = True) -> AppDirs:
    """The app's folders, created on demand and private to this user.

    Read on every call (not cached) so a test that sets `NORTHBEAM_DESKTOP_HOME` with
    monkeypatch is honoured without reloading modules.
    """
    home = os.environ.get(HOME_ENV_VAR, "").strip()
    if home:
        root = Path(home).expanduser()
        dirs = AppDirs(
            data=root / "data",
            config=root / "config",
            log=root / "logs",
            cache=root / "cache",
        )
    else:
        dirs = AppDirs(
            data=Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False)),
            config=Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False)),
            log=Path(platformdirs.user_log_dir(APP_DIR_NAME, appauthor=False)),
            cache=Path(platformdirs.user_cache_dir(APP_DIR_NAME, appauthor=False)),
        )
    if create:
        for path in dirs.all():
            private_folder(path)
    return dirs
