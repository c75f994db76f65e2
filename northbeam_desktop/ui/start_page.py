"""The page shown before a file is open: a big drop zone, "Open file…", recent files, and where
uploads will go.

The page only shows things and asks for them through signals; the main window decides what
happens (it owns recent files, the file dialog and drag and drop for the whole window).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from northbeam_desktop.core.northbeam.environments import Environment

SUPPORTED_TYPES_TEXT = "Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods) or text (.csv, .tsv, .txt)"
MAX_RECENT_SHOWN = 5
PRODUCTION_COLOR = "#c2410c"  # the same orange as the Production badge


def folder_text(folder: Path) -> str:
    """A folder as people read it: the home folder as "~" ("~/Documents/Orders")."""
    try:
        inside = folder.resolve().relative_to(Path.home().resolve())
    except (ValueError, OSError, RuntimeError):
        return str(folder)
    return "~" if not inside.parts else str(Path("~") / inside)


def environment_sentence(env: Environment, where: str) -> str:
    """One line on the start page about where uploads go; `where` is the host for Custom."""
    if env is Environment.PRODUCTION:
        return (
            f"<span style='color:{PRODUCTION_COLOR}'>Uploads go to <b>Production</b>: orders "
            "you send are used in your live attribution.</span> Switch back to Sandbox in "
            "Connection settings to rehearse."
        )
    if env is Environment.CUSTOM:
        return f"Uploads go to the custom server <b>{where}</b>."
    return (
        "Uploads go to <b>Sandbox</b>, Northbeam's test environment: nothing you send there "
        "affects your live reports, so it is safe to try. Switch to Production in Connection "
        "settings when you are ready."
    )


class DropZone(QFrame):
    """The dashed area in the middle of the start page; clicking it also opens a file."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropZone")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName("Drop zone: drop your order spreadsheet here")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._active = False
        self._apply_style()

    def set_active(self, active: bool) -> None:
        """Highlight while a file is dragged over the window."""
        if active != self._active:
            self._active = active
            self._apply_style()

    def is_active(self) -> bool:
        return self._active

    def _apply_style(self) -> None:
        # palette(...) is resolved by Qt, so the zone follows a light/dark switch while running.
        if self._active:
            look = "border: 2px solid palette(highlight); background: palette(alternate-base);"
        else:
            look = "border: 2px dashed palette(mid); background: transparent;"
        self.setStyleSheet(f"QFrame#dropZone {{ {look} border-radius: 16px; }}")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # Qt override
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class StartPage(QWidget):
    """What the window shows with no file open."""

    open_requested = Signal()
    recent_file_chosen = Signal(str)
    template_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startPage")
        self.setAccessibleName("Start page")

        self.drop_zone = DropZone()
        self.drop_zone.clicked.connect(self._on_drop_zone_clicked)

        icon = QLabel()
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        window_icon = self.windowIcon()
        if not window_icon.isNull():
            icon.setPixmap(window_icon.pixmap(QSize(72, 72)))
        icon.setAccessibleName("Northbeam Desktop")

        self.title_label = QLabel("Drop your order spreadsheet here")
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.7)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title_label.setWordWrap(True)

        types_label = QLabel(SUPPORTED_TYPES_TEXT)
        types_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        types_label.setWordWrap(True)
        types_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.open_button = QPushButton("&Open file…")
        self.open_button.setDefault(True)
        self.open_button.setAccessibleName("Open file")
        self.open_button.setMinimumHeight(int(self.open_button.sizeHint().height() * 1.3))
        self.open_button.setMinimumWidth(180)
        self.open_button.clicked.connect(self._on_open_button_clicked)

        self.template_button = QPushButton("No file yet? Download the order &template…")
        self.template_button.setFlat(True)
        self.template_button.setStyleSheet(
            "QPushButton { color: palette(link); border: none; padding: 2px 6px; }"
            "QPushButton:hover { text-decoration: underline; }"
            "QPushButton:focus { text-decoration: underline; }"
        )
        self.template_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.template_button.setAccessibleName("Download the order template")
        self.template_button.clicked.connect(self._on_template_button_clicked)

        zone_layout = QVBoxLayout(self.drop_zone)
        zone_layout.setContentsMargins(32, 32, 32, 28)
        zone_layout.setSpacing(12)
        zone_layout.addWidget(icon)
        zone_layout.addWidget(self.title_label)
        zone_layout.addWidget(types_label)
        button_row = QHBoxLayout()
        button_row.addStretch(1)
        button_row.addWidget(self.open_button)
        button_row.addStretch(1)
        zone_layout.addSpacing(6)
        zone_layout.addLayout(button_row)
        zone_layout.addWidget(self.template_button, 0, Qt.AlignmentFlag.AlignHCenter)

        recent_title = QLabel("Recent files")
        recent_font = QFont(self.font())
        recent_font.setBold(True)
        recent_title.setFont(recent_font)

        # One link button per file: a single click opens it, and Tab + Space work too.
        self.recent_box = QWidget()
        self.recent_box.setAccessibleName("Recent files")
        self.recent_layout = QVBoxLayout(self.recent_box)
        self.recent_layout.setContentsMargins(0, 0, 0, 0)
        self.recent_layout.setSpacing(0)
        self.recent_buttons: list[QCommandLinkButton] = []

        self.recent_empty_label = QLabel("Files you open will be listed here.")
        self.recent_empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.environment_label = QLabel()
        self.environment_label.setWordWrap(True)
        self.environment_label.setTextFormat(Qt.TextFormat.RichText)
        self.environment_label.setAccessibleName("Where uploads go")
        self.environment_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        column = QVBoxLayout()
        column.setSpacing(10)
        column.addStretch(1)
        column.addWidget(self.drop_zone)
        column.addSpacing(14)
        column.addWidget(recent_title)
        column.addWidget(self.recent_box)
        column.addWidget(self.recent_empty_label)
        column.addSpacing(10)
        column.addWidget(self.environment_label)
        column.addStretch(1)

        content = QWidget()
        content.setLayout(column)
        content.setMaximumWidth(720)
        content.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.addStretch(1)
        outer.addWidget(content, 6)
        outer.addStretch(1)

        self.set_recent_files([])
        self.set_environment(Environment.SANDBOX, "")

    # -- what the window tells the page --------------------------------------------------------

    def set_recent_files(self, paths: list[str]) -> None:
        """Show the newest `MAX_RECENT_SHOWN` of `paths` (the File menu lists them all)."""
        for button in self.recent_buttons:
            self.recent_layout.removeWidget(button)
            button.deleteLater()
        self.recent_buttons = []
        for path in paths[:MAX_RECENT_SHOWN]:
            p = Path(path)
            button = QCommandLinkButton(p.name, folder_text(p.parent))
            button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon))
            button.setIconSize(QSize(24, 24))
            button.setToolTip(path)
            button.setAccessibleName(f"Open recent file {p.name}")
            button.setProperty("path", path)
            button.clicked.connect(self._on_recent_button_clicked)
            self.recent_layout.addWidget(button)
            self.recent_buttons.append(button)
        self.recent_box.setVisible(bool(paths))
        self.recent_empty_label.setVisible(not paths)

    def recent_paths(self) -> list[str]:
        return [str(button.property("path")) for button in self.recent_buttons]

    def set_environment(self, env: Environment, where: str) -> None:
        self.environment_label.setText(environment_sentence(env, where))

    def set_drag_active(self, active: bool) -> None:
        self.drop_zone.set_active(active)

    # -- slots ---------------------------------------------------------------------------------

    def _on_drop_zone_clicked(self) -> None:
        self.open_requested.emit()

    def _on_open_button_clicked(self) -> None:
        self.open_requested.emit()

    def _on_template_button_clicked(self) -> None:
        self.template_requested.emit()

    def _on_recent_button_clicked(self) -> None:
        button = self.sender()
        if isinstance(button, QCommandLinkButton):
            self.recent_file_chosen.emit(str(button.property("path")))
