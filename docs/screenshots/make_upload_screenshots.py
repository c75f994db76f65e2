"""Make the Upload dialog's screenshots for the docs (offscreen, against the local stand-in).

    QT_QPA_PLATFORM=offscreen python docs/screenshots/make_upload_screenshots.py

writes upload_confirm.png (the Production confirmation, with orders new / changed / unchanged
from a pre-filled ledger), upload_progress.png (mid-upload, 3,000 orders, 200 ms latency) and
upload_done.png (the summary with one order Northbeam rejected) next to this script. Nothing is
sent anywhere but 127.0.0.1; every file the app writes goes to a temporary folder.
"""

from __future__ import annotations

import csv
import ctypes
import datetime as dt
import json
import os
import random
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

if sys.version_info < (3, 12):
    # PySide6 6.12 leaves out the reference counting of None/True/False (immortal from Python
    # 3.12 on); on 3.11 every void call and every emit() wears them down until the process
    # aborts ("deallocating None"). Making them practically immortal here avoids that.
    for _singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(_singleton)).value += 1 << 40

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HOME = tempfile.mkdtemp(prefix="nb-screens-")
os.environ["NORTHBEAM_DESKTOP_HOME"] = HOME
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from northbeam_desktop.core.engine import LoadOptions, load_document  # noqa: E402
from northbeam_desktop.core.environments import PRODUCTION_BASE_URL, Environment  # noqa: E402
from northbeam_desktop.core.ledger import Ledger, payload_hash  # noqa: E402
from northbeam_desktop.core.secrets import Credentials  # noqa: E402
from northbeam_desktop.core.uploader import UploadOptions  # noqa: E402
from northbeam_desktop.standin import StandinServer  # noqa: E402
from northbeam_desktop.ui.upload_dialog import UploadDialog  # noqa: E402

OUT = Path(__file__).resolve().parent
KEY = "nbk_demo_0f9e8d7c6b5a49382716"
CLIENT = "3f1c2a9e-6b7d-4e8f-9a0b-1c2d3e4f5a6b"
HEADER = [
    "order_id",
    "customer_id",
    "time_of_purchase",
    "customer_email",
    "currency",
    "purchase_total",
    "tax",
    "shipping_cost",
    "products_id",
    "products_name",
    "products_quantity",
    "products_price",
    "customer_shipping_address_zip",
    "customer_shipping_address_country_code",
]


def write_orders(path: Path, count: int, bad: int = 0) -> Path:
    rng = random.Random(3)
    start = dt.datetime(2026, 3, 1, 9, 0)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(count):
            price = rng.choice((12.5, 19.99, 24.0, 45.0, 89.9))
            qty = rng.choice((1, 1, 2))
            tax = round(price * qty * 0.08, 2)
            when = start + dt.timedelta(minutes=11 * n)
            writer.writerow(
                [
                    str(10000 + n),
                    f"C-{rng.randrange(count)}",
                    when.strftime("%Y-%m-%dT%H:%M:%S-05:00"),
                    f"shopper{n}@example.com",
                    "$" if n < bad else "USD",
                    f"{price * qty + tax + 5:.2f}",
                    f"{tax:.2f}",
                    "5.00",
                    f"SKU-{rng.randrange(40):03d}",
                    "Canvas tote",
                    str(qty),
                    f"{price:.2f}",
                    rng.choice(("02134", "94110", "10001")),
                    "USA",
                ]
            )
    return path


def wait(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    app = QApplication.instance()
    deadline = dt.datetime.now() + dt.timedelta(seconds=timeout)
    while not condition():
        if dt.datetime.now() > deadline:
            raise TimeoutError("the dialog did not get there in time")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def settle(ms: int = 150) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def confirm_screenshot(folder: Path) -> None:
    doc = load_document(write_orders(folder / "march.csv", 2400, bad=12), LoadOptions("UTC"))
    ledger = Ledger(folder / "ledger.sqlite3")
    valid = doc.valid_orders
    accepted = [(r.order_id, payload_hash(doc.payload(r))) for r in valid[:1900]]
    changed = [(r.order_id, "0" * 64) for r in valid[1900:2150]]
    ledger.settle(PRODUCTION_BASE_URL, CLIENT, accepted=accepted + changed)
    dialog = UploadDialog(
        doc,
        doc.orders,
        environment=Environment.PRODUCTION,
        base_url=PRODUCTION_BASE_URL,
        credentials=Credentials(KEY, CLIENT),
        ledger=ledger,
    )
    dialog.resize(620, 300)
    dialog.show()
    wait(lambda: dialog.stage == "confirm")
    dialog.confirm_edit.setText("UPLOAD")
    settle()
    dialog.grab().save(str(OUT / "upload_confirm.png"))
    dialog.reject()
    ledger.close()


def upload_screenshots(folder: Path) -> None:
    doc = load_document(write_orders(folder / "april.csv", 3000), LoadOptions("UTC"))
    ledger = Ledger(folder / "ledger-sandbox.sqlite3")
    with StandinServer(
        api_key=KEY, client_id=CLIENT, budget_bytes=None, latency_seconds=0.2
    ) as server:
        envelope = {
            "status": "400",
            "response": json.dumps(
                [
                    {
                        "order_id": doc.orders[0].order_id,
                        "message": "Input should be greater than 0",
                        "json_path": "$[0].products[0].price",
                    }
                ]
            ),
        }
        server.fail_next(1, status=400, body=json.dumps(envelope))
        dialog = UploadDialog(
            doc,
            doc.valid_orders,
            environment=Environment.SANDBOX,
            base_url=server.base_url,
            credentials=Credentials(KEY, CLIENT),
            ledger=ledger,
            options=UploadOptions(max_orders_per_batch=200, max_in_flight=2),
        )
        dialog.resize(620, 300)
        dialog.show()
        wait(lambda: dialog.stage == "confirm")
        dialog.upload_button.click()
        wait(lambda: dialog.progress_bar.value() >= 1200)
        dialog.grab().save(str(OUT / "upload_progress.png"))
        wait(lambda: dialog.stage == "done")
        settle()
        dialog.grab().save(str(OUT / "upload_done.png"))
        dialog.accept()
    ledger.close()


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Northbeam Desktop")
    with tempfile.TemporaryDirectory() as tmp:
        confirm_screenshot(Path(tmp))
        upload_screenshots(Path(tmp))
    print(f"Screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
