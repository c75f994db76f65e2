"""Status icons and tints for the order table, drawn with QPainter so they look the same on every
platform and need no image files.

Every state has its own colour **and** its own shape, so nobody has to tell red from green:

- ready: a green circle with a check mark
- warning: an amber triangle with “!”
- error: a red circle with a cross
- uploaded: a blue circle with an upward arrow
- upload failed: a red square with “!”

Cell backgrounds are translucent tints laid over the view's own base colour, so the same tint
reads as a soft pink on a light palette and a dim maroon on a dark one, and text keeps the
palette's contrast either way.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QIcon,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import QApplication


class StatusKind(StrEnum):
    """What the status column (and a problem cell) can show."""

    VALID = "valid"
    WARNING = "warning"
    ERROR = "error"
    UPLOADED = "uploaded"
    FAILED = "failed"
    NOTE = "note"  # a value changed for you: not a problem
    SKIPPED = "skipped"  # cancelled in the shop: not sent unless the user asks


_SHAPE_COLOURS = {
    StatusKind.VALID: QColor(46, 157, 91),
    StatusKind.WARNING: QColor(230, 162, 0),
    StatusKind.ERROR: QColor(214, 64, 64),
    StatusKind.UPLOADED: QColor(47, 123, 216),
    StatusKind.FAILED: QColor(200, 40, 40),
    StatusKind.NOTE: QColor(96, 125, 160),
    StatusKind.SKIPPED: QColor(130, 130, 130),
}

# Translucent tints: alpha keeps them soft on white and visible on near-black.
_TINTS = {
    StatusKind.ERROR: QColor(229, 57, 53, 60),
    StatusKind.WARNING: QColor(255, 179, 0, 70),
    StatusKind.FAILED: QColor(229, 57, 53, 60),
    StatusKind.UPLOADED: QColor(47, 123, 216, 40),
    StatusKind.VALID: QColor(0, 0, 0, 0),
    StatusKind.NOTE: QColor(0, 0, 0, 0),
    StatusKind.SKIPPED: QColor(128, 128, 128, 40),
}

# Text colours of the status column, readable on each palette.
_TEXT_LIGHT = {
    StatusKind.VALID: QColor(27, 110, 60),
    StatusKind.WARNING: QColor(140, 90, 0),
    StatusKind.ERROR: QColor(176, 32, 32),
    StatusKind.UPLOADED: QColor(30, 90, 170),
    StatusKind.FAILED: QColor(176, 32, 32),
    StatusKind.NOTE: QColor(60, 85, 120),
    StatusKind.SKIPPED: QColor(95, 95, 95),
}
_TEXT_DARK = {
    StatusKind.VALID: QColor(120, 214, 150),
    StatusKind.WARNING: QColor(255, 205, 90),
    StatusKind.ERROR: QColor(255, 138, 128),
    StatusKind.UPLOADED: QColor(130, 180, 255),
    StatusKind.FAILED: QColor(255, 138, 128),
    StatusKind.NOTE: QColor(160, 190, 230),
    StatusKind.SKIPPED: QColor(180, 180, 180),
}


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the palette's base (the table background) is dark."""
    if palette is None:
        app = QApplication.instance()
        palette = app.palette() if isinstance(app, QApplication) else QPalette()
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def tint(kind: StatusKind | str) -> QBrush:
    """The background brush of a cell in this state (transparent for ready cells)."""
    return _tint_brush(StatusKind(kind))


@cache
def _tint_brush(kind: StatusKind) -> QBrush:
    return QBrush(_TINTS[kind])


def text_colour(kind: StatusKind | str, dark: bool) -> QColor:
    """The status column's text colour for this state on a light or dark palette."""
    table = _TEXT_DARK if dark else _TEXT_LIGHT
    return QColor(table[StatusKind(kind)])


def status_icon(kind: StatusKind | str) -> QIcon:
    """The icon of a state, drawn once at 16, 24 and 32 px (crisp on high-DPI screens)."""
    return _icon(StatusKind(kind))


@cache
def _icon(kind: StatusKind) -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32, 48):
        icon.addPixmap(_draw(kind, size))
    return icon


def _draw(kind: StatusKind, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = _SHAPE_COLOURS[kind]
    s = float(size)
    margin = s * 0.06
    box = QRectF(margin, margin, s - 2 * margin, s - 2 * margin)
    white = QPen(QColor(255, 255, 255), max(1.6, s * 0.13))
    white.setCapStyle(Qt.PenCapStyle.RoundCap)
    white.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)

    if kind is StatusKind.WARNING:
        triangle = QPolygonF(
            [
                QPointF(s / 2, margin),
                QPointF(s - margin, s - margin * 1.5),
                QPointF(margin, s - margin * 1.5),
            ]
        )
        path = QPainterPath()
        path.addPolygon(triangle)
        path.closeSubpath()
        outline = QPen(colour, max(1.0, s * 0.08))
        outline.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(outline)
        painter.drawPath(path)
        dark = QPen(QColor(40, 30, 0), max(1.6, s * 0.12))
        dark.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(dark)
        painter.drawLine(QPointF(s / 2, s * 0.38), QPointF(s / 2, s * 0.62))
        painter.drawPoint(QPointF(s / 2, s * 0.78))
    elif kind is StatusKind.FAILED:
        painter.drawRoundedRect(box, s * 0.18, s * 0.18)
        painter.setPen(white)
        painter.drawLine(QPointF(s / 2, s * 0.24), QPointF(s / 2, s * 0.56))
        painter.drawPoint(QPointF(s / 2, s * 0.76))
    else:
        painter.drawEllipse(box)
        painter.setPen(white)
        if kind is StatusKind.VALID:
            painter.drawPolyline(
                QPolygonF(
                    [
                        QPointF(s * 0.28, s * 0.52),
                        QPointF(s * 0.44, s * 0.68),
                        QPointF(s * 0.72, s * 0.36),
                    ]
                )
            )
        elif kind is StatusKind.ERROR:
            painter.drawLine(QPointF(s * 0.33, s * 0.33), QPointF(s * 0.67, s * 0.67))
            painter.drawLine(QPointF(s * 0.67, s * 0.33), QPointF(s * 0.33, s * 0.67))
        elif kind is StatusKind.NOTE:  # an "i"
            painter.drawPoint(QPointF(s / 2, s * 0.28))
            painter.drawLine(QPointF(s / 2, s * 0.45), QPointF(s / 2, s * 0.72))
        elif kind is StatusKind.SKIPPED:  # a bar: held back
            painter.drawLine(QPointF(s * 0.3, s / 2), QPointF(s * 0.7, s / 2))
        else:  # uploaded: an upward arrow
            painter.drawLine(QPointF(s / 2, s * 0.72), QPointF(s / 2, s * 0.28))
            painter.drawPolyline(
                QPolygonF(
                    [
                        QPointF(s * 0.32, s * 0.46),
                        QPointF(s / 2, s * 0.28),
                        QPointF(s * 0.68, s * 0.46),
                    ]
                )
            )
    painter.end()
    return pixmap
