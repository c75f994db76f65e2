"""Guard against PySide6 builds that drop references to None/True/False on Python < 3.12.

PySide6 6.12.0 on Python 3.11 releases a reference to None on every void C++ call and to True on
every signal emit; after a few thousand calls the app dies with "Fatal Python error:
none_dealloc". pyproject.toml pins a release without the bug (6.11.3); this test fails loudly if
a future pin brings it back on an interpreter where these objects are not immortal.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QLabel


class _Emitter(QObject):
    fired = Signal(int)


def test_void_calls_and_emits_keep_singleton_refcounts(qtbot) -> None:
    combo = QComboBox()
    combo.addItem("x")
    label = QLabel()
    qtbot.addWidget(combo)
    qtbot.addWidget(label)
    emitter = _Emitter()
    emitter.fired.connect(lambda _value: None)
    before = {
        name: sys.getrefcount(obj)
        for name, obj in (("None", None), ("True", True), ("False", False))
    }
    for _ in range(2000):
        combo.setCurrentIndex(0)
        label.setText("a")
        label.setEnabled(True)
        label.setVisible(False)
        emitter.fired.emit(1)
    after = {
        name: sys.getrefcount(obj)
        for name, obj in (("None", None), ("True", True), ("False", False))
    }
    for name in before:
        # Immortal objects (3.12+) report a huge constant; mortal ones must not shrink.
        assert after[name] >= before[name] - 50, f"PySide6 leaks references to {name}"
