"""Save benchmark: writing edits into the user's own 100,000-row workbook, against openpyxl.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/bench_save.py [--orders 40000] [--repeat 3]

The workbook is bench/generate.py's (40,000 orders = 95,801 rows × 24 columns). Each step runs
in a fresh subprocess that first reads the workbook as the app does (not timed), then times one
save. Steps:

- `openpyxl_write` (the anchor): a plain openpyxl write of the same header and rows into a new
  workbook (`Workbook()`, `append`, `save`) — what writing this much data costs in the library
  everyone uses, keeping nothing of the original;
- `openpyxl_roundtrip`: openpyxl loads the original, sets the edited cells, saves — the usual
  way to keep a workbook's formatting, for comparison;
- `ours_few`: our save with 10 cells edited (the common case: a few fixes);
- `ours_column`: our save with one column edited on every row (a fill-down or replace-all);
- `ours_deleted`: our save with 1,000 rows deleted and 10 cells edited.

Peak memory is the step's own: the peak-RSS counter is reset after reading (Linux
`/proc/self/clear_refs`), so "peak" is the highest RSS while saving; "base" is the RSS the read
workbook held before the save started.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

STEPS = ("openpyxl_write", "openpyxl_roundtrip", "ours_few", "ours_column", "ours_deleted")


def _status(field: str) -> float:
    """A /proc/self/status figure in MB (0 where there is none)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def step(name: str, xlsx_path: str, work: str) -> dict[str, Any]:
    """Runs inside the child process."""
    import resource

    import openpyxl

    from northbeam_desktop.core.files.save import save_sheet
    from northbeam_desktop.core.orders.readers import read_file

    folder = Path(work)
    source = folder / "source.xlsx"
    shutil.copyfile(xlsx_path, source)
    sheet = read_file(source)
    target = folder / f"{name}.xlsx"
    width = len(sheet.headers)
    few = [(i * (len(sheet.rows) // 10), i % width) for i in range(10)]
    currency = sheet.headers.index("currency")

    base = _status("VmRSS")
    reset = _reset_peak()
    started = time.perf_counter()
    if name == "openpyxl_write":
        book = openpyxl.Workbook()
        ws = book.active
        ws.append(sheet.headers)
        for row in sheet.rows:
            ws.append(row)
        book.save(target)
    elif name == "openpyxl_roundtrip":
        book = openpyxl.load_workbook(source)
        ws = book[sheet.sheet]
        for index, col in few:
            ws.cell(row=sheet.row_numbers[index], column=col + 1).value = "edited"
        book.save(target)
    else:
        if name == "ours_column":
            for row in sheet.rows:
                row[currency] = "EUR"
        else:
            for index, col in few:
                sheet.rows[index][col] = "edited"
        if name == "ours_deleted":
            doomed = set(range(5, len(sheet.rows), max(len(sheet.rows) // 1000, 1)))
            sheet.rows = [r for i, r in enumerate(sheet.rows) if i not in doomed]
            sheet.row_numbers = [n for i, n in enumerate(sheet.row_numbers) if i not in doomed]
        save_sheet(sheet, target)
    seconds = time.perf_counter() - started
    peak = _status("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "seconds": seconds,
        "base_mb": base,
        "peak_mb": peak,
        "rows": len(sheet.rows),
        "mb_written": target.stat().st_size / 1e6,
    }


def run_step(name: str, xlsx_path: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-save-") as work:
        out = subprocess.run(
            [sys.executable, __file__, "--step", name, str(xlsx_path), work],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=40_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--step", nargs=3, metavar=("NAME", "XLSX", "WORK"))
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(*args.step)))
        return

    from bench.generate import ensure_files

    _csv, xlsx = ensure_files(args.orders, HERE / "out")
    best: dict[str, dict[str, Any]] = {}
    for _ in range(args.repeat):
        for name in STEPS:  # interleaved, so load from neighbours hits every step alike
            result = run_step(name, xlsx)
            if name not in best or result["seconds"] < best[name]["seconds"]:
                best[name] = result
    anchor = best["openpyxl_write"]
    lines = [
        f"Machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}; {int(anchor['rows']):,} rows × 24 columns "
        f"({xlsx.stat().st_size / 1e6:.1f} MB); best of {args.repeat}.",
        "",
        "| step | time | vs anchor | peak RSS while saving (base) | written |",
        "|---|---|---|---|---|",
    ]
    for name in STEPS:
        r = best[name]
        lines.append(
            f"| {name} | {r['seconds']:.2f} s | {r['seconds'] / anchor['seconds']:.2f}× "
            f"| {r['peak_mb']:.0f} MB ({r['base_mb']:.0f} MB) | {r['mb_written']:.1f} MB |"
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
