"""Shared test setup: Qt runs offscreen, keyring is an in-memory backend, app dirs are temporary."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
