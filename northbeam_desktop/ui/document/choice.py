"""A question with buttons worded for the answer ("Replace Original", "Save As…", "Cancel").

Callers use `choice.ask_choice(...)` through the module, so tests can replace it in one place
rather than drive a modal loop.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QMessageBox, QWidget


def ask_choice(
    parent: QWidget | None,
    title: str,
    text: str,
    choices: Sequence[tuple[str, str]],
    *,
    default: str,
    escape: str,
    informative: str = "",
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
) -> str:
    """A message box with buttons of our own wording; returns the chosen key.

    `choices` are (key, button text) in display order; `escape` is what Esc or closing the box
    means. Tests replace this function rather than driving a modal loop.
    """
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    if informative:
        box.setInformativeText(informative)
    keys: dict[int, str] = {}
    for key, label in choices:
        role = (
            QMessageBox.ButtonRole.RejectRole
            if key == escape
            else QMessageBox.ButtonRole.AcceptRole
        )
        button = box.addButton(label, role)
        keys[id(button)] = key
        if key == default:
            box.setDefaultButton(button)
        if key == escape:
            box.setEscapeButton(button)
    box.exec()
    clicked = box.clickedButton()
    return keys.get(id(clicked), escape) if clicked is not None else escape
