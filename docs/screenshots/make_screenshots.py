"""Make the screenshots in this folder from the real app, offscreen, with realistic data.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_screenshots.py

writes, next to this script, each at the main window's size (1400 × 850):

* start.png — the empty start window, with a few recent files;
* table_errors.png — a month of orders with problems: marked cells, the problems panel, the
  JSON that will be sent;
* mapping.png — the column mapping dialog on a Shopify export;
* settings.png — Connection settings;
* upload_confirm.png — the deliberate Production confirmation, with orders new / changed /
  unchanged from the upload ledger;
* upload_progress.png — an upload in progress, rows turning green behind the dialog;
* upload_done.png — the finished upload with one order Northbeam rejected, marked on its cell.

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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HOME = Path(tempfile.mkdtemp(prefix="nb-screens-"))
os.environ["NORTHBEAM_DESKTOP_HOME"] = str(HOME / ".northbeam")
os.environ["HOME"] = str(HOME)  # recent files show as ~/Documents/Orders
for _name in ("NORTHBEAM_API_KEY", "NORTHBEAM_CLIENT_ID"):
    os.environ.pop(_name, None)
OUT = Path(__file__).resolve().parent
sys.path.insert(0, str(OUT.parents[1]))

import csv  # noqa: E402
import json  # noqa: E402

import keyring  # noqa: E402
import keyring.backend  # noqa: E402
from PySide6.QtCore import QEventLoop, QPoint, QRect, QSize, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

WINDOW_SIZE = QSize(1400, 850)
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


def composite(window: QWidget, dialog: QWidget, *, offset_y: int = 0) -> QPixmap:
    """The window with `dialog` over it, centred, with a soft shadow."""
    base = with_title_bar(window)
    top = with_title_bar(dialog)
    ratio = base.devicePixelRatio()
    bw, bh = round(base.width() / ratio), round(base.height() / ratio)
    tw, th = round(top.width() / ratio), round(top.height() / ratio)
    x, y = (bw - tw) // 2, max(TITLE_BAR + 8, (bh - th) // 2 + offset_y)
    painter = QPainter(base)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    for spread, alpha in ((18, 10), (12, 16), (7, 26), (3, 40)):
        painter.setBrush(QColor(0, 0, 0, alpha))
        painter.drawRoundedRect(
            x - spread, y - spread + 6, tw + 2 * spread, th + 2 * spread, 14, 14
        )
    painter.drawPixmap(x, y, top)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QColor(0, 0, 0, 70))
    painter.drawRect(x, y, tw - 1, th - 1)
    painter.end()
    return base


def save(image: QPixmap, name: str) -> None:
    path = OUT / name
    if not image.save(str(path)):
        raise RuntimeError(f"could not write {path}")
    print(f"wrote {path.relative_to(OUT.parents[1])} ({image.width()}×{image.height()})")


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


def demo_files() -> dict[str, Path]:
    """A month of orders with problems, a Shopify export, and two older files."""
    from tests.core import orderfiles
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
    (folder / "Q1 wholesale.xlsx").write_bytes(b"")  # only listed as a recent file
    return {
        "march": folder / "march-orders.csv",
        "shopify": folder / "shopify-orders-export.csv",
        "april": folder / "april-orders.csv",
        "wholesale": folder / "Q1 wholesale.xlsx",
    }


# ---- the screenshots ---------------------------------------------------------------------------


def main() -> int:
    from northbeam_desktop.core import environments
    from northbeam_desktop.core.environments import PRODUCTION_BASE_URL, Environment
    from northbeam_desktop.core.ledger import Ledger, payload_hash
    from northbeam_desktop.core.secrets import Credentials, save_credentials
    from northbeam_desktop.core.settings import Preferences, SessionCredentials
    from northbeam_desktop.core.uploader import UploadOptions
    from northbeam_desktop.standin import StandinServer
    from northbeam_desktop.ui import upload_dialog as upload_dialog_module
    from northbeam_desktop.ui.app import create_application
    from northbeam_desktop.ui.main_window import MainWindow
    from northbeam_desktop.ui.mapping_dialog import MappingDialog
    from northbeam_desktop.ui.settings_dialog import SettingsDialog

    app, _args = create_application([])
    keyring.set_keyring(_MemoryKeyring())  # a password store that lives in this process
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

    # 2. A file with problems.
    opened: list[object] = []
    session.document_opened.connect(opened.append)
    window.open_file(files["march"])
    wait(lambda: bool(opened))
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

    # 3. Column mapping on a Shopify export.
    opened.clear()
    window.open_file(files["shopify"])
    wait(lambda: bool(opened))
    shopify_view = session.view
    assert shopify_view is not None
    mapping = MappingDialog.for_document(shopify_view.document, window)
    mapping.resize(980, 760)
    mapping.show()
    settle()
    save(composite(window, mapping), "mapping.png")
    mapping.reject()

    # 4. Connection settings (over the March file).
    opened.clear()
    window.open_file(files["march"])
    wait(lambda: bool(opened))
    settings = SettingsDialog(window.preferences, window.session_credentials, parent=window)
    settings.show()
    settle()
    save(composite(window, settings), "settings.png")
    settings.reject()

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
    confirm.confirm_edit.setText("UPLOAD")
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
        # One request at a time, so the first batch is the one Northbeam answers with a 400.
        upload.options = UploadOptions(max_orders_per_batch=40, max_in_flight=1)
        upload.upload_button.click()
        wait(lambda: upload.progress_bar.value() >= upload.progress_bar.maximum() * 0.4)
        upload.detail_label.setText("")
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
        upload.accept()
        upload_dialog_module.resolve_endpoint = real_resolve  # type: ignore[assignment]

    view.undo_stack.setClean()
    window.close()
    app.processEvents()
    shutil.rmtree(HOME, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
