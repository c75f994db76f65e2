"""Core engine benchmark: our whole open→map→group→coerce→validate against the raw readers, and
our per-cell validation against jsonschema / fastjsonschema on the same payloads.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/bench_core.py [--orders 40000] [--repeat 3]

Every measurement runs in a fresh subprocess so peak RSS (ru_maxrss) belongs to that step alone;
times are the best of --repeat runs. The machine is small and noisy, so the targets are ratios
measured in the same run, printed side by side with the anchors.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

STEPS = ("calamine_raw", "csv_raw", "ours_xlsx", "ours_csv", "validation", "edit")


def step(name: str, csv_path: str, xlsx_path: str) -> dict[str, float]:
    """Runs inside the child process."""
    import csv
    import resource

    # Imports come first and are not timed: a running app has its modules loaded before the user
    # opens a file, and with PYTHONDONTWRITEBYTECODE set (as on this machine) they would be
    # compiled from source on every run, timing the compiler instead of the reading. Each step
    # imports only what it uses, so peak memory stays that step's own.
    if name == "calamine_raw":
        from python_calamine import CalamineWorkbook
    elif name in ("ours_xlsx", "ours_csv"):
        from northbeam_desktop.core.orders import readers, rules  # noqa: F401  (loaded lazily)
        from northbeam_desktop.core.orders.document import LoadOptions, load_document

    result: dict[str, float] = {}
    started = time.perf_counter()
    if name == "calamine_raw":
        rows = CalamineWorkbook.from_path(xlsx_path).get_sheet_by_index(0).to_python()
        result["rows"] = len(rows)
    elif name == "csv_raw":
        with open(csv_path, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        result["rows"] = len(rows)
    elif name in ("ours_xlsx", "ours_csv"):
        doc = load_document(
            xlsx_path if name == "ours_xlsx" else csv_path, LoadOptions(timezone="UTC")
        )
        result["rows"] = len(doc.sheet.rows)
        result["orders"] = len(doc.orders)
        result["errors"] = sum(1 for r in doc.orders if r.has_errors)
    elif name == "validation":
        result.update(_validation(csv_path))
        started = time.perf_counter() - result.pop("_elapsed")
    elif name == "edit":
        result.update(_edit(csv_path))
        started = time.perf_counter() - result.pop("_elapsed")
    result["seconds"] = time.perf_counter() - started
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _fixed_schema() -> dict:
    """The official Order schema with its quirks fixed, as the local stand-in enforces it."""
    from devtools.standin import SPEC_PATH, build_order_schema

    schema = build_order_schema(json.loads(SPEC_PATH.read_text(encoding="utf-8")))
    _drop_custom_keywords(schema)
    return schema


def _drop_custom_keywords(node: object) -> None:
    # fastjsonschema rejects keywords it does not know (the spec's `message`, `xml`).
    if isinstance(node, dict):
        for key in ("message", "xml", "examples"):
            node.pop(key, None)
        for value in node.values():
            _drop_custom_keywords(value)
    elif isinstance(node, list):
        for value in node:
            _drop_custom_keywords(value)


def _validation(csv_path: str) -> dict[str, float]:
    import fastjsonschema
    import jsonschema

    from northbeam_desktop.core.orders.document import LoadOptions, load_document

    doc = load_document(csv_path, LoadOptions(timezone="UTC"))
    checker = doc.checker
    t0 = time.perf_counter()
    for record in doc.orders:
        checker.check(record)
    ours = time.perf_counter() - t0
    payloads = doc.payloads(doc.orders)
    batches = [payloads[i : i + 1000] for i in range(0, len(payloads), 1000)]
    schema = _fixed_schema()
    validator = jsonschema.Draft202012Validator(schema)
    t0 = time.perf_counter()
    for batch in batches:
        for _ in validator.iter_errors(batch):
            pass
    js = time.perf_counter() - t0
    fast = fastjsonschema.compile(schema)
    t0 = time.perf_counter()
    for batch in batches:
        fast(batch)
    fjs = time.perf_counter() - t0
    return {
        "ours_validate": ours,
        "jsonschema": js,
        "fastjsonschema": fjs,
        "orders": len(doc.orders),
        "_elapsed": ours,
    }


def _edit(csv_path: str) -> dict[str, float]:
    from northbeam_desktop.core.orders.document import LoadOptions, load_document

    doc = load_document(csv_path, LoadOptions(timezone="UTC"))
    column = doc.sheet.headers.index("products_price")
    middle = len(doc.sheet.rows) // 2
    timings = []
    for i in range(200):
        t0 = time.perf_counter()
        doc.set_cell(middle + i, column, f"{10 + i}.50")
        timings.append(time.perf_counter() - t0)
    timings.sort()
    return {
        "edit_median_ms": timings[len(timings) // 2] * 1000,
        "edit_p95_ms": timings[int(len(timings) * 0.95)] * 1000,
        "_elapsed": sum(timings),
    }


def run_child(name: str, csv_path: Path, xlsx_path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", name, str(csv_path), str(xlsx_path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=40_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(step(*args.child)))
        return
    from bench.generate import ensure_files

    csv_path, xlsx_path = ensure_files(args.orders, HERE / "out")
    best: dict[str, dict[str, float]] = {}
    for _ in range(args.repeat):
        for name in STEPS:  # interleaved, so noise hits every step alike
            result = run_child(name, csv_path, xlsx_path)
            if name not in best or result["seconds"] < best[name]["seconds"]:
                best[name] = result
    cal, raw_csv = best["calamine_raw"], best["csv_raw"]
    ours_x, ours_c, val, edit = (
        best["ours_xlsx"],
        best["ours_csv"],
        best["validation"],
        best["edit"],
    )
    lines = [
        f"Machine: {platform.processor() or platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {_cpus()} CPUs; {int(ours_x['orders'])} orders, "
        f"{int(ours_x['rows'])} rows × 24 columns; best of {args.repeat}.",
        "",
        "| measurement | ours | anchor | ratio | target |",
        "|---|---|---|---|---|",
        f"| xlsx open→validate vs raw calamine read | {ours_x['seconds']:.2f} s | {cal['seconds']:.2f} s "
        f"| {ours_x['seconds'] / cal['seconds']:.2f}× | ≤ 1.5× |",
        f"| csv open→validate vs raw csv.reader | {ours_c['seconds']:.2f} s | {raw_csv['seconds']:.2f} s "
        f"| {ours_c['seconds'] / raw_csv['seconds']:.2f}× | ≤ 4× |",
        f"| per-cell validation vs jsonschema (1000-order batches) | {val['ours_validate']:.2f} s "
        f"| {val['jsonschema']:.2f} s | {val['jsonschema'] / val['ours_validate']:.1f}× faster | ≥ 20× |",
        f"| per-cell validation vs fastjsonschema | {val['ours_validate']:.2f} s "
        f"| {val['fastjsonschema']:.2f} s | {val['fastjsonschema'] / val['ours_validate']:.2f}× "
        f"(>1 = ours faster) | ≥ 1× |",
        f"| peak RSS, xlsx open→validate vs raw calamine read | {ours_x['peak_rss_mb']:.0f} MB "
        f"| {cal['peak_rss_mb']:.0f} MB | {ours_x['peak_rss_mb'] / cal['peak_rss_mb']:.2f}× | ≤ 1.5× |",
        f"| revalidate one edited order (median / p95 of 200) | {edit['edit_median_ms']:.3f} ms / "
        f"{edit['edit_p95_ms']:.3f} ms | — | — | ≤ 1 ms |",
    ]
    print("\n".join(lines))


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


if __name__ == "__main__":
    main()
