"""Make the screenshots in this folder from the real app, offscreen, with realistic data.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_screenshots.py

writes, next to this script, each at the main window's size (1280 × 720, a small laptop screen,
which the offscreen platform is told it has, so dialogs fit themselves to it as they would there):

* start.png — the empty start window, with a few recent files;
* sheet_picker.png — "Choose a Sheet" for a workbook with several sheets;
* time_zone.png — the question asked once for files whose times don't say their zone;
* table_errors.png — a month of orders with problems: marked cells, the problems panel, the
  JSON that will be sent;
* edit_cell.png — typing a correction into a marked cell;
* set_value.png — one value for the three rows of an order (Edit → Set Value for Selected Cells);
* quick_fix_preview.png — the preview of "Use USD for all 13": every cell it changes;
* quick_fix_undo.png — after that quick fix, with Edit → Undo ready;
* payload.png — "What will be sent" for one order that is ready;
* mapping.png — the column mapping dialog on a Shopify export;
* shopify_export.png — a Shopify export in Shopify's own layout (our own orders): “This looks like
  a Shopify orders export”, the cancelled order held back, notes after the problems;
* send_cancelled.png — the Upload menu with Send Cancelled Orders;
* settings.png — Connection settings;
* production_switch.png — the question asked when Production is chosen in Connection settings;
* settings_production.png — Connection settings with Production chosen;
* settings_no_keyring.png — Connection settings on a computer without a password store, after
  Test connection;
* no_problems.png — a file with nothing left to fix: "All 46 orders ready → Upload";
* upload_confirm.png — the deliberate Production confirmation, with orders new / changed /
  unchanged from the upload ledger;
* upload_confirm_sandbox.png — the Sandbox confirmation page;
* upload_progress.png — an upload in progress, rows turning green behind the dialog;
* upload_done.png — the finished upload with one order Northbeam rejected, marked on its cell;
* rejected.png — the rejected order under the "Failed upload" filter, with Northbeam's reason.

Every picture is saved with at most 256 colours (chosen from the picture itself, so the tints
and icons keep their exact colours), which keeps each file near 100 kB.

Dialogs are drawn over the window where the app would show them, each with a title bar (the
offscreen platform has no window manager to draw one). Every file the app writes goes to a
temporary folder, which is also the home folder while the script runs; nothing is sent anywhere
but to a local stand-in for Northbeam on 127.0.0.1 (Production is only confirmed, never sent).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HOME = Path(tempfile.mkdtemp(prefix="nb-screens-"))
_SCREEN = HOME / "screen.json"  # the offscreen platform's screen: 1280 × 720 at 96 dpi
_SCREEN.write_text(
    '{"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1280, "height": 720,'
    ' "logicalDpi": 96, "logicalBase": 96, "dpr": 1}]}',
    encoding="utf-8",
)
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={_SCREEN}")
os.environ["NORTHBEAM_DESKTOP_HOME"] = str(HOME / ".northbeam")
os.environ["HOME"] = str(HOME)  # recent files show as ~/Documents/Orders
for _name in ("NORTHBEAM_API_KEY", "NORTHBEAM_CLIENT_ID"):
    os.environ.pop(_name, None)
OUT = Path(__file__).resolve().parent
sys.path.insert(0, str(OUT.parents[1]))

import csv  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
from collections import Counter  # noqa: E402

import keyring  # noqa: E402
import keyring.backend  # noqa: E402
from PySide6.QtCore import (  # noqa: E402
    QEventLoop,
    QItemSelection,
    QItemSelectionModel,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPixmap, qRgb  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QWidget,
)

WINDOW_SIZE = QSize(1280, 720)
TITLE_BAR = 30
KEY = "nbk_live_3c9d1f7e2a5b4c6d8e0f1a2b3c4d5e6f"
CLIENT = "3f1c2a9e-6b7d-4e8f-9a0b-1c2d3e4f5a6b"


# ---- waiting and drawing -----------------------------------------------------------------------


def wait(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    app = QApplication.instance()
    assert app is not None
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def settle(ms: int = 250) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def with_title_bar(widget: QWidget, title: str | None = None) -> QPixmap:
    """The widget as the user sees it on a desktop: a plain title bar above its contents."""
    content = widget.grab()
    ratio = content.devicePixelRatio()
    width, height = round(content.width() / ratio), round(content.height() / ratio)
    image = QPixmap(QSize(width, height + TITLE_BAR) * ratio)
    image.setDevicePixelRatio(ratio)
    image.fill(QColor("#d9dbe0"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont(widget.font())
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#30343b"))
    text = title if title is not None else widget.windowTitle()
    text = text.replace("[*]", "*" if widget.isWindowModified() else "")
    painter.drawText(QRect(0, 0, width, TITLE_BAR), Qt.AlignmentFlag.AlignCenter, text)
    for n, colour in enumerate(("#ff5f57", "#febc2e", "#28c840")):
        painter.setBrush(QColor(colour))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QPoint(18 + 20 * n, TITLE_BAR // 2), 6, 6)
    painter.drawPixmap(0, TITLE_BAR, content)
    painter.end()
    return image


SHADOW = ((18, 10), (12, 16), (7, 26), (3, 40))  # (spread, alpha) from the outside in
MENU_SHADOW = ((6, 14), (3, 30))


def _draw_floating(
    image: QPixmap,
    top: QPixmap,
    x: int,
    y: int,
    radius: int = 14,
    shadow: tuple[tuple[int, int], ...] = SHADOW,
) -> None:
    """Paint `top` onto `image` at (x, y) with a soft shadow and a thin outline."""
    ratio = top.devicePixelRatio()
    tw, th = round(top.width() / ratio), round(top.height() / ratio)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    for spread, alpha in shadow:
        painter.setBrush(QColor(0, 0, 0, alpha))
        painter.drawRoundedRect(
            x - spread, y - spread + 6, tw + 2 * spread, th + 2 * spread, radius, radius
        )
    painter.drawPixmap(x, y, top)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QColor(0, 0, 0, 70))
    painter.drawRect(x, y, tw - 1, th - 1)
    painter.end()


def overlay(base: QPixmap, dialog: QWidget, *, offset_y: int = 0) -> QPixmap:
    """A copy of `base` with `dialog` (and its title bar) over it, centred, with a shadow."""
    image = QPixmap(base)
    top = with_title_bar(dialog)
    ratio = image.devicePixelRatio()
    bw, bh = round(image.width() / ratio), round(image.height() / ratio)
    tw, th = round(top.width() / ratio), round(top.height() / ratio)
    x, y = (bw - tw) // 2, max(TITLE_BAR + 8, (bh - th) // 2 + offset_y)
    _draw_floating(image, top, x, y)
    return image


def composite(window: QWidget, dialog: QWidget, *, offset_y: int = 0) -> QPixmap:
    """The window with `dialog` over it, centred, with a soft shadow."""
    return overlay(with_title_bar(window), dialog, offset_y=offset_y)


def with_menu(window: QMainWindow, menu: QMenu) -> QPixmap:
    """The window with one of its menu bar's menus open (the menu is closed again after)."""
    bar = window.menuBar()
    menu.popup(bar.mapToGlobal(bar.actionGeometry(menu.menuAction()).bottomLeft()))
    settle()
    image = with_title_bar(window)
    where = window.mapFromGlobal(menu.pos())
    _draw_floating(
        image, menu.grab(), where.x(), where.y() + TITLE_BAR, radius=4, shadow=MENU_SHADOW
    )
    menu.hide()
    return image


def reduce_colours(image: QImage) -> QImage:
    """The picture with at most 256 colours: the most frequent ones (backgrounds, tints, text)
    plus the rarer ones that differ clearly from those (icons, badges), so nothing changes
    colour; the rest become their nearest neighbour. A third of the size of a full-colour PNG."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = bytes(image.constBits())
    counts = Counter(data[i : i + 4] for i in range(0, len(data), 4))
    ranked = [(c[2], c[1], c[0]) for c, _ in counts.most_common()]  # bytes are B, G, R, A
    chosen = ranked[:160]
    for limit in (96, 64, 40, 24, 12):
        for rgb in ranked[160:]:
            if len(chosen) >= 256:
                break
            r, g, b = rgb
            if all((r - x) ** 2 + (g - y) ** 2 + (b - z) ** 2 > limit**2 for x, y, z in chosen):
                chosen.append(rgb)
    table = [qRgb(*rgb) for rgb in chosen]
    return image.convertToFormat(
        QImage.Format.Format_Indexed8, table, Qt.ImageConversionFlag.ThresholdDither
    )


def save(image: QPixmap, name: str) -> None:
    path = OUT / name
    if not reduce_colours(image.toImage()).save(str(path), "PNG", 0):  # 0: smallest file
        raise RuntimeError(f"could not write {path}")
    size = path.stat().st_size // 1000
    print(f"wrote {path.relative_to(OUT.parents[1])} ({image.width()}×{image.height()}, {size} kB)")


class _MemoryKeyring(keyring.backend.KeyringBackend):
    """The OS password store, played in memory (nothing touches this computer's keyring)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


# ---- the data ----------------------------------------------------------------------------------


def reorder_columns(source: Path, target: Path, front: list[str]) -> None:
    """Copy a CSV with the `front` columns first (what a shop's export might put first), so the
    picture shows the Status column and the marked cells side by side."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    order = [header.index(name) for name in front]
    order += [i for i in range(len(header)) if i not in order]
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([[row[i] for i in order] for row in rows])
    source.unlink()


def wholesale_workbook(source: Path, target: Path) -> None:
    """A workbook whose orders are on its second sheet, after a summary (for the sheet picker)."""
    import openpyxl

    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[:121]
    workbook = openpyxl.Workbook()
    summary = workbook.active
    summary.title = "Summary"
    summary.append(["Q1 wholesale orders"])
    summary.append([])
    summary.append(["Month", "Orders", "Revenue"])
    for month, orders, revenue in (("January", 41, 6120.5), ("February", 38, 5890.0)):
        summary.append([month, orders, revenue])
    orders_sheet = workbook.create_sheet("Orders")
    for row in rows:
        orders_sheet.append(row)
    returns = workbook.create_sheet("Returns")
    returns.append(["order_id", "returned_at", "reason"])
    returns.append(["NB-100004", "2026-02-09", "Wrong size"])
    workbook.save(target)


def clean_orders(source: Path, target: Path, count: int) -> None:
    """The first `count` orders of `source` that have no problem at all (a file that is done)."""
    from northbeam_desktop.core.orders.document import LoadOptions, load_document

    doc = load_document(source, LoadOptions(timezone="America/New_York"))
    keep = sorted(
        r for record in [o for o in doc.orders if not o.issues][:count] for r in record.row_indices
    )
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([rows[0], *(rows[r + 1] for r in keep)])


def demo_files() -> dict[str, Path]:
    """A month of orders with problems, a Shopify export, and two older files."""
    from tests.core import orderfiles, realshapes
    from tests.ui.fixtures_document import big_orders_csv

    folder = HOME / "Documents" / "Orders"
    folder.mkdir(parents=True)
    scratch = HOME / "scratch"
    scratch.mkdir()
    march = big_orders_csv(scratch, 1200)
    front = ["order_id", "time_of_purchase", "customer_email", "currency", "purchase_total", "tax"]
    reorder_columns(march, folder / "march-orders.csv", front)
    shopify = orderfiles.shopify_export(scratch, defects=True)
    shutil.move(shopify, folder / "shopify-orders-export.csv")
    april = big_orders_csv(scratch, 1400, seed=11)
    shutil.move(april, folder / "april-orders.csv")
    wholesale_workbook(folder / "april-orders.csv", folder / "Q1 wholesale.xlsx")
    clean_orders(big_orders_csv(scratch, 80, seed=5), folder / "may-orders.csv", 46)
    real_shape = realshapes.shopify_real_shape(scratch)  # Shopify's own layout, our orders
    shutil.move(real_shape, folder / "orders_export_1.csv")
    return {
        "shopify_real": folder / "orders_export_1.csv",
        "may": folder / "may-orders.csv",
        "march": folder / "march-orders.csv",
        "shopify": folder / "shopify-orders-export.csv",
        "april": folder / "april-orders.csv",
        "wholesale": folder / "Q1 wholesale.xlsx",
    }


# ---- the screenshots ---------------------------------------------------------------------------


def main() -> int:
    from devtools.standin import StandinServer
    from northbeam_desktop.core.local.secrets import Credentials, save_credentials
    from northbeam_desktop.core.local.settings import Preferences, SessionCredentials
    from northbeam_desktop.core.northbeam import environments
    from northbeam_desktop.core.northbeam.environments import PRODUCTION_BASE_URL, Environment
    from northbeam_desktop.core.northbeam.ledger import Ledger, payload_hash
    from northbeam_desktop.core.northbeam.planning import UploadOptions
    from northbeam_desktop.ui.app import create_application
    from northbeam_desktop.ui.dialogs import settings as settings_dialog_module
    from northbeam_desktop.ui.dialogs.mapping import MappingDialog
    from northbeam_desktop.ui.dialogs.settings import SettingsDialog
    from northbeam_desktop.ui.dialogs.upload import dialog as upload_dialog_module
    from northbeam_desktop.ui.document import view as document_view_module
    from northbeam_desktop.ui.document.loader import SheetPickerDialog
    from northbeam_desktop.ui.document.proxy import FilterMode
    from northbeam_desktop.ui.document.quick_fix_preview import QuickFixPreviewDialog
    from northbeam_desktop.ui.main_window import MainWindow

    app, _args = create_application([])
    memory_keyring = _MemoryKeyring()
    keyring.set_keyring(memory_keyring)  # a password store that lives in this process
    save_credentials(Environment.SANDBOX, Credentials(KEY, CLIENT))
    files = demo_files()
    save_credentials(Environment.PRODUCTION, Credentials(KEY, CLIENT))
    credentials = SessionCredentials()
    prefs = Preferences(timezone="America/New_York", phone_country="US")
    window = MainWindow(preferences=prefs, session_credentials=credentials)
    session = window.session
    assert session is not None
    window.resize(WINDOW_SIZE)
    window.show()
    for path in (files["wholesale"], files["april"], files["shopify"], files["march"]):
        window.recent_files.add(path)
    window.refresh_recent_files()
    settle()

    # 1. The start window.
    save(with_title_bar(window), "start.png")

    # 1b. A workbook with several sheets: which one holds the orders? (The picture is taken,
    # then the question is cancelled, as the user could.)
    def picture_sheet_picker(parent: QWidget | None, sheets: object, default: str | None) -> None:
        names = list(sheets)  # type: ignore[call-overload]
        picker = SheetPickerDialog(names, default, parent)
        picker.list.setCurrentRow(names.index("Orders"))
        picker.show()
        settle()
        save(composite(window, picker, offset_y=-200), "sheet_picker.png")
        picker.reject()
        picker.deleteLater()
        return None

    cancelled: list[bool] = []
    session.loader.cancelled.connect(lambda: cancelled.append(True))
    real_chooser = session.loader.sheet_chooser
    session.loader.sheet_chooser = picture_sheet_picker
    window.open_file(files["wholesale"])
    wait(lambda: bool(cancelled))
    session.loader.sheet_chooser = real_chooser

    # 2. A file with problems. Its times say no zone: the app asks once (pictured).
    from northbeam_desktop.ui.dialogs import timezone as timezone_module

    real_choose_zone = timezone_module.choose_zone

    def picture_zone(
        parent: QWidget | None,
        file_name: str,
        default: str,
        example: str | None = None,
        **_: object,
    ) -> str:
        dialog = timezone_module.TimeZoneDialog(file_name, default, example, parent=parent)
        dialog.show()
        settle()
        save(composite(window, dialog, offset_y=-120), "time_zone.png")
        dialog.reject()
        dialog.deleteLater()
        return default

    timezone_module.choose_zone = picture_zone  # type: ignore[assignment]
    opened: list[object] = []
    session.document_opened.connect(opened.append)
    window.open_file(files["march"])
    wait(lambda: bool(opened))
    timezone_module.choose_zone = real_choose_zone
    view = session.view
    assert view is not None
    doc = view.document
    target = next(i for i in doc.all_issues() if i.code == "ambiguous_currency")
    panel = view.issues_panel
    group = panel.select_group("ambiguous_currency", target.col_index)
    assert group is not None
    panel.tree.expand(panel.groups_model.index(panel.groups_model.groups.index(group), 0))
    view.focus_cell(target.row_index, target.col_index)
    view.table.horizontalScrollBar().setValue(0)  # keep the Status column in the picture
    wait(view.payload_view.showing_errors)
    settle()
    save(with_title_bar(window), "table_errors.png")

    # 2b. Fixing: typing into one cell, one value for an order's rows, a quick fix, and undo.
    # (The status bar's "Opened …" message would have timed out by then.)
    window.statusBar().clearMessage()
    headers = doc.sheet.headers
    rows = doc.sheet.rows
    email_col = headers.index("customer_email")
    total_col = headers.index("purchase_total")
    bad_email = next(
        r
        for r in doc.orders
        if len(r.row_indices) == 1 and any(i.code == "invalid_email" for i in r.issues)
    )
    panel.tree.collapseAll()
    panel.select_group("invalid_email", email_col)
    view.focus_cell(bad_email.row_indices[0], email_col)
    view.table.horizontalScrollBar().setValue(0)
    view.table.edit(view.table.currentIndex())
    settle()
    editor = next(e for e in view.table.viewport().findChildren(QLineEdit) if e.isVisible())
    editor.setText(str(rows[bad_email.row_indices[0]][email_col]) + ".com")
    settle()
    save(with_title_bar(window), "edit_cell.png")
    view.commit_pending_edit()

    # The order total of one order, on each of its rows: select them and set one value.
    no_total = next(
        r
        for r in doc.orders
        if len(r.row_indices) > 1 and any(i.code == "not_a_number" for i in r.issues)
    )

    def number(row: int, header: str) -> float:
        text = rows[row][headers.index(header)]
        return float(text) if text else 0.0

    first = no_total.row_indices[0]
    items = sum(
        number(r, "products_price") * number(r, "products_quantity") for r in no_total.row_indices
    )
    total = items + number(first, "tax") + number(first, "shipping_cost")
    total -= number(first, "discount_amount")
    total_text = f"{total:.2f}"
    view.table.scrollToTop()
    top = view.proxy.index(view.proxy.proxy_row(no_total.row_indices[0]), total_col + 1)
    bottom = view.proxy.index(view.proxy.proxy_row(no_total.row_indices[-1]), total_col + 1)
    view.table.selectionModel().setCurrentIndex(top, QItemSelectionModel.SelectionFlag.NoUpdate)
    view.table.selectionModel().select(
        QItemSelection(top, bottom), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    panel.select_group("not_a_number", total_col)
    settle()

    class _PicturedInput(QInputDialog):
        """QInputDialog.getText as the app calls it, pictured before it answers."""

        @staticmethod
        def getText(parent: QWidget, title: str, label: str, *_args: object) -> tuple[str, bool]:
            dialog = QInputDialog(parent)
            dialog.setWindowTitle(title)
            dialog.setLabelText(label)
            dialog.setTextValue(total_text)
            dialog.resize(440, dialog.sizeHint().height())
            dialog.show()
            settle()
            save(composite(window, dialog, offset_y=-60), "set_value.png")
            dialog.reject()
            dialog.deleteLater()
            return total_text, True

    document_view_module.QInputDialog = _PicturedInput  # type: ignore[misc]
    view.named_actions["set_value"].trigger()
    document_view_module.QInputDialog = QInputDialog  # type: ignore[misc]
    assert not no_total.has_errors, "the order total should now be accepted"

    # The quick fix for the ambiguous "$", then the Edit menu with its Undo.
    currency_group = panel.select_group("ambiguous_currency", target.col_index)
    assert currency_group is not None and currency_group.fix_label

    def picture_preview(parent: QWidget | None, fixer: object, fix: object) -> bool:
        preview = QuickFixPreviewDialog(fixer, fix, parent)  # type: ignore[arg-type]
        preview.show()
        settle()
        save(composite(window, preview), "quick_fix_preview.png")
        preview.accept()
        preview.deleteLater()
        return True

    panel.confirm_fix = picture_preview
    panel.fix_button.click()
    panel.select_group("invalid_email", email_col)
    view.focus_cell(target.row_index, target.col_index)
    view.table.scrollToTop()
    view.table.horizontalScrollBar().setValue(0)
    settle()
    save(with_menu(window, window.edit_menu), "quick_fix_undo.png")

    # What will be sent for an order that is ready: two products and a discount code.
    ready = next(
        r
        for r in doc.orders
        if not r.issues
        and len(r.row_indices) == 2
        and rows[r.row_indices[0]][headers.index("discount_codes")]
    )
    side = view.findChild(QSplitter, "SideSplitter")
    assert side is not None
    main_sizes, side_sizes = view.splitter.sizes(), side.sizes()
    view.splitter.setSizes([760, 620])
    side.setSizes([230, 560])
    panel.tree.setCurrentIndex(panel.groups_model.index(-1, 0))
    view.focus_cell(ready.row_indices[0], headers.index("order_id"))
    view.table.horizontalScrollBar().setValue(0)
    wait(lambda: view.payload_view.record is ready and not view.payload_view.showing_errors())
    settle()
    save(with_title_bar(window), "payload.png")
    view.splitter.setSizes(main_sizes)
    side.setSizes(side_sizes)
    view.undo_stack.setIndex(0)  # back to the file as it is on disk: nothing to save
    assert not session.is_modified

    # 3. Column mapping on a Shopify export.
    opened.clear()
    window.open_file(files["shopify"])
    wait(lambda: bool(opened))
    shopify_view = session.view
    assert shopify_view is not None
    mapping = MappingDialog.for_document(shopify_view.document, window)
    mapping.show()
    settle()
    save(composite(window, mapping), "mapping.png")
    mapping.reject()

    # 3b. A Shopify export as Shopify writes it: what kind of file it is, a cancelled order
    # held back, the notes after the problems; then Upload → Send Cancelled Orders.
    opened.clear()
    window.open_file(files["shopify_real"])
    wait(lambda: bool(opened))
    real_view = session.view
    assert real_view is not None
    panel = real_view.issues_panel
    cancelled = next(g for g in panel.groups_model.groups if g.code == "order_cancelled")
    panel.select_group(cancelled.code, cancelled.col_index)
    record = next(r for r in real_view.document.orders if r.cancelled)
    real_view.table.setCurrentIndex(
        real_view.proxy.mapFromSource(real_view.model.index(record.row_indices[0], 0))
    )
    panel.select_group(cancelled.code, cancelled.col_index)
    settle(400)
    save(with_title_bar(window), "shopify_export.png")
    save(with_menu(window, window.upload_menu), "send_cancelled.png")

    # 4. Connection settings (over the March file).
    opened.clear()
    window.open_file(files["march"])
    wait(lambda: bool(opened))
    settings = SettingsDialog(window.preferences, window.session_credentials, parent=window)
    settings.show()
    settle()
    save(composite(window, settings), "settings.png")
    settings.reject()

    # 4b. Choosing Production: the question first, then the Production key.
    settings = SettingsDialog(window.preferences, window.session_credentials, parent=window)
    settings.show()
    settle()

    class _PicturedBox(QMessageBox):
        """QMessageBox.warning as the settings dialog calls it, pictured, answered Yes."""

        @staticmethod
        def warning(parent: QWidget, title: str, text: str, *args: object) -> object:
            box = QMessageBox(QMessageBox.Icon.Warning, title, text, args[0], parent)  # type: ignore[arg-type]
            box.setDefaultButton(args[1])  # type: ignore[arg-type]
            box.show()
            settle()
            save(overlay(composite(window, settings), box, offset_y=-40), "production_switch.png")
            box.reject()
            box.deleteLater()
            return QMessageBox.StandardButton.Yes

    settings_dialog_module.QMessageBox = _PicturedBox  # type: ignore[misc]
    settings.environment_box.production_radio.click()
    settings_dialog_module.QMessageBox = QMessageBox  # type: ignore[misc]
    settle()
    save(composite(window, settings), "settings_production.png")
    settings.reject()

    # 4c. A computer without a password store.
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    settings = SettingsDialog(window.preferences, SessionCredentials(), parent=window)
    settings.show()
    settle()
    # Test connection against a local stand-in playing Sandbox (named as the real one).
    with StandinServer(api_key=KEY, client_id=CLIENT) as checker:
        real_endpoint = settings_dialog_module.resolve_endpoint
        settings_dialog_module.resolve_endpoint = lambda *_a: checker.base_url  # type: ignore[assignment]
        settings.credentials.api_key_edit.setText(KEY)
        settings.credentials.client_id_edit.setText(CLIENT)
        settings.credentials.check_button.click()
        wait(settings.credentials.check_button.isEnabled)
        settings_dialog_module.resolve_endpoint = real_endpoint  # type: ignore[assignment]
    checked = re.sub(r"127\.0\.0\.1:\d+", "Sandbox", settings.credentials.check_label.text())
    settings.credentials.check_label.setText(checked)
    settle()
    save(composite(window, settings), "settings_no_keyring.png")
    settings.reject()
    keyring.set_keyring(memory_keyring)

    # 4d. A file with nothing left to fix.
    opened.clear()
    window.open_file(files["may"])
    wait(lambda: bool(opened))
    window.statusBar().clearMessage()
    settle()
    save(with_title_bar(window), "no_problems.png")
    opened.clear()
    window.open_file(files["march"])
    wait(lambda: bool(opened))

    # 5. The Production confirmation, with what the ledger knows.
    view = session.view
    assert view is not None
    doc = view.document
    valid = doc.valid_orders
    with Ledger() as ledger:
        same = [(r.order_id, payload_hash(doc.payload(r))) for r in valid[:700]]
        changed = [(r.order_id, "0" * 64) for r in valid[700:820]]
        ledger.settle(PRODUCTION_BASE_URL, CLIENT, accepted=same + changed)
    window.set_preferences(Preferences(Environment.PRODUCTION, timezone="America/New_York"))
    dialogs: list[object] = []
    session.upload_started.connect(dialogs.append)
    window.upload_action.trigger()
    wait(lambda: bool(dialogs) and dialogs[-1].stage == "confirm")
    confirm = dialogs[-1]
    confirm.confirm_page.confirm_edit.setText("UPLOAD")
    settle()
    save(composite(window, confirm, offset_y=-40), "upload_confirm.png")
    confirm.reject()
    wait(lambda: session.upload_dialog is None)

    # 6–7. Uploading to Sandbox (played by the stand-in), one order rejected.
    window.set_preferences(Preferences(Environment.SANDBOX, timezone="America/New_York"))
    with StandinServer(
        api_key=KEY, client_id=CLIENT, budget_bytes=None, latency_seconds=0.35
    ) as server:
        real_resolve = environments.resolve_endpoint

        def to_standin(env: Environment | str, custom_url: str | None = None) -> str:
            if Environment(env) is Environment.SANDBOX:
                return server.base_url
            return real_resolve(env, custom_url)

        upload_dialog_module.resolve_endpoint = to_standin  # type: ignore[assignment]
        rejected = valid[3]
        envelope = {
            "status": "400",
            "response": json.dumps(
                [
                    {
                        "order_id": rejected.order_id,
                        "message": "Input should be greater than 0",
                        "json_path": "$[0].products[0].price",
                    }
                ]
            ),
        }
        server.fail_next(1, status=400, body=json.dumps(envelope))
        view.table.scrollToTop()
        window.upload_action.trigger()
        wait(lambda: dialogs[-1].stage == "confirm")
        upload = dialogs[-1]
        # The stand-in plays Sandbox; the page names the host Sandbox really has.
        upload.confirm_page.destination_label.setText(
            upload.confirm_page.destination_label.text().replace(
                upload.target.host, "api-uat.northbeam.io"
            )
        )
        settle()
        save(composite(window, upload, offset_y=-40), "upload_confirm_sandbox.png")
        # One request at a time, so the first batch is the one Northbeam answers with a 400.
        upload.options = UploadOptions(max_orders_per_batch=40, max_in_flight=1)
        upload.confirm_page.upload_button.click()
        wait(
            lambda: (
                upload.progress_page.progress_bar.value()
                >= upload.progress_page.progress_bar.maximum() * 0.4
            )
        )
        upload.progress_page.detail_label.setText("")
        # Show where Northbeam's answers are arriving: rows above turned Uploaded, below wait.
        frontier = next(r for r in doc.orders if r.upload_status is None and not r.has_errors)
        row = max(frontier.row_indices[0] - 7, 0)
        view.table.scrollTo(
            view.proxy.index(view.proxy.proxy_row(row), 0), view.table.ScrollHint.PositionAtTop
        )
        save(composite(window, upload, offset_y=120), "upload_progress.png")  # grab paints now
        wait(lambda: upload.stage == "done", 120)
        view.table.scrollToTop()  # the rejected order is near the top of the file
        view.table.horizontalScrollBar().setValue(0)
        settle(400)
        save(composite(window, upload, offset_y=60), "upload_done.png")
        # Click the rejected order, close, and show only the orders Northbeam did not accept.
        item = upload.done_page.failed_list.topLevelItem(0)
        upload.done_page.failed_list.itemClicked.emit(item, 0)
        upload.accept()
        wait(lambda: session.upload_dialog is None)
        view.set_filter(FilterMode.FAILED)
        rejected_group = next(
            g for g in view.issues_panel.groups_model.groups if g.code == "server_rejected"
        )
        view.issues_panel.select_group(rejected_group.code, rejected_group.col_index)
        if rejected_group.col_index is not None:
            view.focus_cell(rejected.row_indices[0], rejected_group.col_index)
        settle(400)
        save(with_title_bar(window), "rejected.png")
        upload_dialog_module.resolve_endpoint = real_resolve  # type: ignore[assignment]

    view.undo_stack.setClean()
    window.close()
    app.processEvents()
    shutil.rmtree(HOME, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
