"""Command-line benchmark on the file users bring most: a 40,000-order Shopify export (~30 MB,
79 columns, continuation rows; see bench/generate_shopify.py).

    .venv/bin/python bench/bench_cli.py [--orders 40000] [--repeat 5] [--phases]

1. The whole process a user runs, `northbeam-desktop validate FILE --format json > /dev/null`,
   against a whole process that only loads the same file with a bare `csv.reader`; best of
   --repeat, the two interleaved so the machine's noise hits both alike. Wall and CPU time.
2. Writing the JSON report of the same export with genuine problems planted (`--defects`,
   100,000+ issues), in-process, the document loaded beforehand; beside it the indented
   pure-Python `json.dump` the command used before.
3. With --phases: where the CPU time of one validate goes, step by step, in-process through the
   command's entry point (the steps are wrapped with timers from outside; nothing in the engine
   is changed for it).

Our package is compiled to bytecode first: an installed app ships it compiled, and this machine
sets PYTHONDONTWRITEBYTECODE, so an uncompiled run would time the compiler on every start.
"""

from __future__ import annotations

import argparse
import compileall
import io
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

CSV_READER = (
    "import csv, sys\n"
    "with open(sys.argv[1], newline='', encoding='utf-8') as handle:\n"
    "    rows = list(csv.reader(handle))\n"
)


def _command() -> list[str]:
    script = Path(sys.executable).parent / "northbeam-desktop"
    return [str(script)] if script.exists() else [sys.executable, "-m", "northbeam_desktop"]


def timed_process(args: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one child process, its output thrown away."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def whole_process(path: Path, repeat: int) -> dict[str, tuple[float, float]]:
    ours = [*_command(), "validate", str(path), "--format", "json", "--timezone", "UTC"]
    anchor = [sys.executable, "-c", CSV_READER, str(path)]
    check = subprocess.run(ours, capture_output=True, text=True)
    if check.returncode not in (0, 1):
        raise SystemExit(f"validate failed: {check.stderr}")
    best: dict[str, tuple[float, float]] = {}
    for _ in range(repeat):
        for name, args in (("csv.reader", anchor), ("validate", ours)):
            wall, cpu = timed_process(args)
            old = best.get(name)
            best[name] = (min(wall, old[0]), min(cpu, old[1])) if old else (wall, cpu)
    return best


def report_writing(path: Path, repeat: int) -> dict[str, float]:
    """Seconds to write the JSON report of `path` (loaded once), ours against `json.dump`."""
    from northbeam_desktop.cli.validate_json import write_json_report
    from northbeam_desktop.core.orders.document import LoadOptions, load_document

    doc = load_document(path, LoadOptions(timezone="UTC"))
    issues = doc.all_issues()
    ours = old = float("inf")
    size = 0
    for _ in range(repeat):
        with open(os.devnull, "w", encoding="utf-8") as sink:
            started = time.perf_counter()
            write_json_report(doc, str(path), issues, sink)
            ours = min(ours, time.perf_counter() - started)
        with open(os.devnull, "w", encoding="utf-8") as sink:
            started = time.perf_counter()
            report = {"file": str(path), "issues": [issue.to_json() for issue in issues]}
            json.dump(report, sink, ensure_ascii=False, indent=2)
            old = min(old, time.perf_counter() - started)
    buffer = io.StringIO()
    write_json_report(doc, str(path), issues, buffer)
    size = len(buffer.getvalue().encode("utf-8"))
    json.loads(buffer.getvalue())  # still one valid JSON document
    converted = sum(1 for issue in issues if issue.code == "value_converted")
    return {
        "issues": len(issues),
        "genuine": len(issues) - converted,
        "ours": ours,
        "json.dump": old,
        "bytes": size,
    }


def phases(path: Path) -> list[tuple[str, float, int]]:
    """(step, CPU seconds, calls) of one `validate --format json`, run in-process through the
    command's own entry point with its output thrown away; the steps are wrapped with timers
    from outside (run in a child process of its own, so it starts from a fresh interpreter)."""
    from northbeam_desktop.cli import main as command
    from northbeam_desktop.cli import validate_json
    from northbeam_desktop.core.orders import document, readers, rules

    spent: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    clock = time.process_time  # CPU time: waiting for a busy core is not our cost

    def wrap(owner: Any, name: str, label: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = clock()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] += clock() - started
                calls[label] += 1

        setattr(owner, name, timed)

    wrap(readers, "read_file", "read the file (readers.read_file)")
    wrap(document, "auto_map", "map the columns (mapping.auto_map)")
    wrap(document.OrderDocument, "_build_columns", "understand the columns (_build_columns)")
    wrap(document.OrderDocument, "_check_mapping", "required fields (_check_mapping)")
    wrap(document.OrderDocument, "_group", "group rows into orders (_group)")
    wrap(rules.OrderChecker, "consistent_orders", "rows agree (OrderChecker.consistent_orders)")
    wrap(rules.OrderChecker, "prescreen", "column-wise prescreen (OrderChecker.prescreen)")
    wrap(document.OrderDocument, "_recheck", "careful per-order check (_recheck)")
    wrap(command, "load_for_cli", "open the file as a document (load_for_cli, all of the above)")
    wrap(document.OrderDocument, "all_issues", "collect the issues (all_issues)")
    wrap(validate_json, "write_json_report", "write the JSON report (write_json_report)")
    stdout = sys.stdout
    started = clock()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        sys.stdout = sink
        try:
            command.main(["validate", str(path), "--format", "json", "--timezone", "UTC"])
        finally:
            sys.stdout = stdout
    total = clock() - started
    result = [(label, spent[label], calls[label]) for label in spent]
    result.append(("total validate (imports excluded)", total, 1))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=40_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--phases", action="store_true")
    parser.add_argument("--child-phases", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_phases:
        print(json.dumps(phases(args.child_phases)))
        return
    from bench.generate_shopify import ensure_file

    compileall.compile_dir(str(ROOT / "northbeam_desktop"), quiet=1)
    clean = ensure_file(args.orders, HERE / "out")
    defects = ensure_file(args.orders, HERE / "out", defects=True)
    rows = sum(1 for _ in clean.open(encoding="utf-8")) - 1
    print(
        f"Machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; "
        f"{clean.name}: {args.orders:,} orders, {rows:,} lines × 79 columns, "
        f"{clean.stat().st_size / 1e6:.1f} MB; best of {args.repeat}.\n"
    )
    best = whole_process(clean, args.repeat)
    ours, anchor = best["validate"], best["csv.reader"]
    print("| whole process | ours (validate --format json) | csv.reader load | ratio | target |")
    print("|---|---|---|---|---|")
    print(f"| wall | {ours[0]:.2f} s | {anchor[0]:.2f} s | {ours[0] / anchor[0]:.2f}× | ≤ 4× |")
    print(f"| CPU | {ours[1]:.2f} s | {anchor[1]:.2f} s | {ours[1] / anchor[1]:.2f}× | |")
    written = report_writing(defects, args.repeat)
    print(
        f"\nReport of {defects.name}: {written['issues']:,} issues "
        f"({written['genuine']:,} genuine problems, the rest values changed for you), "
        f"{written['bytes'] / 1e6:.1f} MB of JSON — ours {written['ours']:.2f} s, "
        f"indented json.dump {written['json.dump']:.2f} s "
        f"({written['json.dump'] / written['ours']:.1f}× slower); target < 1 s."
    )
    if args.phases:
        for path in (clean, defects):
            print(f"\nPhases of one validate of {path.name} (in-process):")
            print("| step | CPU ms | calls |")
            print("|---|---|---|")
            child = subprocess.run(
                [sys.executable, __file__, "--child-phases", str(path)],
                check=True,
                capture_output=True,
                text=True,
            )
            for label, seconds, count in json.loads(child.stdout.strip().splitlines()[-1]):
                print(f"| {label} | {seconds * 1000:,.0f} | {count:,} |")


if __name__ == "__main__":
    main()
