"""Uploader benchmark against the local Northbeam stand-in (in its own process, on 127.0.0.1).

    .venv/bin/python bench/bench_upload.py [--orders 40000] [--paced-seconds 30]

(a) Paced: stand-in budget scaled down to 3 MB / 6 s, the client told the same budget. Target:
    sustained throughput ≥ 90% of the budget and zero 429s.
(b) Unpaced: no budget, 20 ms server latency, 40,000 orders. Target: ≥ 2,000 orders/s.
Client CPU per order (user+sys of this process during the upload) is reported for both.
Payloads are the real ones our engine builds from the benchmark file (bench/generate.py).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_standin(budget_mb: float, window: float, latency_ms: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    args = [
        sys.executable,
        "-m",
        "devtools.standin",
        "--port",
        str(port),
        "--quiet",
        "--no-store",
        "--budget-mb",
        str(budget_mb),
        "--window",
        str(window),
        "--latency-ms",
        str(latency_ms),
    ]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, f"http://127.0.0.1:{port}/v2"
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the stand-in did not start")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_upload(orders, base_url: str, options) -> tuple[object, float, float]:
    from northbeam_desktop.core.local.secrets import SANDBOX_TEST_CREDENTIALS
    from northbeam_desktop.core.northbeam.client import NorthbeamClient
    from northbeam_desktop.core.northbeam.ledger import Ledger
    from northbeam_desktop.core.northbeam.uploader import upload

    with tempfile.TemporaryDirectory() as folder, Ledger(Path(folder) / "ledger.sqlite") as ledger:
        client = NorthbeamClient(base_url, SANDBOX_TEST_CREDENTIALS)
        cpu0, t0 = cpu_seconds(), time.perf_counter()
        report = upload(orders, client, ledger, options)
        elapsed, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
        client.close()
    return report, elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=40_000)
    parser.add_argument("--paced-seconds", type=float, default=30.0)
    args = parser.parse_args()

    from bench.generate import ensure_files
    from northbeam_desktop.core.northbeam.planning import OutgoingOrder, UploadOptions, encode_order
    from northbeam_desktop.core.orders.document import LoadOptions, load_document

    csv_path, _ = ensure_files(args.orders, HERE / "out")
    doc = load_document(csv_path, LoadOptions(timezone="UTC"))
    orders = [OutgoingOrder(r.order_id, doc.payload(r), []) for r in doc.orders if not r.has_errors]
    mean_size = sum(len(encode_order(o.payload)) for o in orders[:2000]) / min(len(orders), 2000)

    # (a) paced under a scaled-down budget
    budget_mb, window = 3.0, 6.0
    budget = budget_mb * 1_000_000
    paced_count = int(budget / window * args.paced_seconds / mean_size)
    standin, url = start_standin(budget_mb, window, 20)
    try:
        options = UploadOptions(budget_bytes=int(budget), window_seconds=window)
        paced, paced_elapsed, paced_cpu = run_upload(orders[:paced_count], url, options)
    finally:
        standin.terminate()
        standin.wait()
    rate = paced.bytes_sent / paced_elapsed
    share = rate / (budget / window)

    # (b) no budget, 20 ms latency
    standin, url = start_standin(0, 60, 20)
    try:
        fast, fast_elapsed, fast_cpu = run_upload(orders, url, UploadOptions(budget_bytes=None))
    finally:
        standin.terminate()
        standin.wait()

    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"payloads from the engine, mean {mean_size:.0f} bytes/order."
    )
    print()
    print("| run | orders | elapsed | result | target | 429s | client CPU/order |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| (a) 3 MB / 6 s budget, 20 ms latency | {paced.accepted} | {paced_elapsed:.1f} s "
        f"| {rate / 1e6:.3f} MB/s = {share:.0%} of budget | ≥ 90%, 0 × 429 | {paced.count_429} "
        f"| {paced_cpu / max(paced.accepted, 1) * 1e6:.0f} µs |"
    )
    print(
        f"| (b) no budget, 20 ms latency | {fast.accepted} | {fast_elapsed:.1f} s "
        f"| {fast.accepted / fast_elapsed:,.0f} orders/s | ≥ 2,000 orders/s | {fast.count_429} "
        f"| {fast_cpu / max(fast.accepted, 1) * 1e6:.0f} µs |"
    )


if __name__ == "__main__":
    main()
