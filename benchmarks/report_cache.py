"""Time the report step of a build (cached_report) cold and after small changes to the data.

    python benchmarks/report_cache.py DATA_DIR [--repeat 3]

Copies DATA_DIR to a temporary folder with its latest week held back, then times
`cached_report` (what `build` and `serve` call) in a fresh process per run, with a cache
folder kept between runs:

- cold: an empty cache folder;
- nothing changed: the same data again (the computed report is reused);
- one row changed: one order value of the middle week's calls.csv raised (again each run);
- a week added: the held-back week put back (taken out again, untimed, before each run);
- no file cache: `compute_report`, which reads every file (what a rebuild did before the
  per-file cache), on the data of the one-row case.

Prints, per run: wall seconds and CPU seconds of cached_report (or compute_report), and the
peak memory (maximum resident set) of the process; then the lowest of each over the case's
runs. The machine's other load shows in wall time more than in CPU time. Linux and macOS
(os.wait4).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import change_one_row  # noqa: E402 - the same one-row change as the build table

CASES = ("cold", "nothing changed", "one row changed", "a week added", "no file cache")


def step(data: Path, cache: Path, case: str) -> None:
    """Run one case in this process and print its seconds as JSON (the --step mode)."""
    from reports_gen.metrics.report import cached_report, compute_report

    start, cpu = time.perf_counter(), time.process_time()
    if case == "no file cache":
        compute_report(data)
    else:
        cached_report(data, cache)
    files = cache / "files"
    print(
        json.dumps(
            {
                "wall": time.perf_counter() - start,
                "cpu": time.process_time() - cpu,
                "entries": len(list(files.glob("*.pickle"))) if files.is_dir() else 0,
            }
        )
    )


def run(data: Path, cache: Path, case: str) -> dict[str, float]:
    """Run a case in a fresh process; return its seconds, entries and peak memory in MB."""
    args = [sys.executable, __file__, str(data), "--cache", str(cache), "--step", case]
    process = subprocess.Popen(args, stdout=subprocess.PIPE)
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {case}")
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return {**json.loads(out), "peak": usage.ru_maxrss * scale / 2**20}


def measure(source: Path, repeat: int) -> None:
    """Print a line per run and the best of each case."""
    best: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data, cache, held = Path(tmp) / "data", Path(tmp) / "cache", Path(tmp) / "held"
        shutil.copytree(source, data)
        weeks = sorted(p for p in (data / "weeks").iterdir() if p.is_dir())
        latest, middle = weeks[-1], weeks[len(weeks) // 2]
        shutil.move(latest, held)
        for case in CASES:
            for _ in range(repeat):
                if case == "cold":
                    shutil.rmtree(cache, ignore_errors=True)
                elif case == "one row changed":
                    change_one_row(middle / "calls.csv")
                elif case == "a week added":
                    if latest.exists():
                        shutil.move(latest, held)
                        run(data, cache, "nothing changed")  # the build without it, untimed
                    shutil.move(held, latest)
                result = run(data, cache, case)
                print(
                    f"{case:<16} {result['wall']:6.2f} s wall {result['cpu']:6.2f} s CPU "
                    f"{result['peak']:6.0f} MB peak  {result['entries']:4.0f} cache entries",
                    flush=True,
                )
                best[case] = {k: min(v, best.get(case, result)[k]) for k, v in result.items()}
    print(f"\nbest of {repeat}     wall      CPU     peak (each the lowest of the case's runs)")
    for case, result in best.items():
        print(f"{case:<16} {result['wall']:6.2f} s {result['cpu']:6.2f} s {result['peak']:5.0f} MB")


def main() -> None:
    """Measure the report step on the data directory given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--step", choices=CASES, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.step:
        step(options.data, options.cache, options.step)
    else:
        measure(options.data, options.repeat)


if __name__ == "__main__":
    main()
