"""The badge in the toolbar that always shows where uploads go."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton, QWidget

from northbeam_desktop.core.northbeam.environments import (
    EndpointError,
    Environment,
    describe_endpoint,
    resolve_endpoint,
)


class EnvironmentBadge(QToolButton):
    """Where uploads go, always in view: calm for Sandbox, unmistakable for Production.

    Clicking it opens Connection settings. Colours are explicit (not from the palette) so the
    badge looks the same in light and dark mode; the text says the same as the colour.
    """

    STYLES: ClassVar[dict[Environment, tuple[str, str, str, str]]] = {
        Environment.SANDBOX: ("#dbeafe", "#1e3a8a", "#93c5fd", "normal"),
        Environment.PRODUCTION: ("#c2410c", "#ffffff", "#7c2d12", "bold"),
        Environment.CUSTOM: ("#ede9fe", "#4c1d95", "#c4b5fd", "normal"),
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.environment = Environment.SANDBOX
        self.set_environment(Environment.SANDBOX, "")

    def set_environment(self, env: Environment, custom_url: str) -> None:
        self.environment = env
        try:
            url = resolve_endpoint(env, custom_url)
        except EndpointError:
            url = ""
        if env is Environment.SANDBOX:
            text = "Sandbox — test only"
        elif env is Environment.PRODUCTION:
            text = "PRODUCTION — live data"
        else:
            text = f"Custom — {describe_endpoint(url)}" if url else "Custom — no URL set"
        background, foreground, border, weight = self.STYLES[env]
        self.setText(text)
        self.setStyleSheet(
            "QToolButton {"
            f" background: {background}; color: {foreground}; border: 1px solid {border};"
            f" border-radius: 10px; padding: 2px 10px; font-weight: {weight};"
            " }"
            "QToolButton:focus { outline: none; border: 2px solid palette(highlight); }"
        )
        where = url or "a custom URL that is not set yet"
        self.setToolTip(f"Orders are uploaded to {where}.\nClick to change Connection settings.")
        self.setAccessibleName(f"Upload destination: {text}")
        self.setAccessibleDescription("Opens Connection settings")
