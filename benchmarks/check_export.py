"""Time `reports-gen check` and `reports-gen export` on a data directory, each a fresh process.

    python benchmarks/check_export.py DATA_DIR [--repeat 3]

Prints, per command and run: wall seconds, CPU seconds (user + system) and peak memory (the
process's maximum resident set), then the best wall time of each command. Cold runs only: no
cache is involved in either command. Linux and macOS (os.wait4).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(args: list[str]) -> tuple[float, float, float]:
    """Run a command; return its wall seconds, CPU seconds and peak memory in MB."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(args)}")
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * scale / 2**20


def main() -> None:
    """Measure check and export on the data directory given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    tool = [sys.executable, "-m", "reports_gen", "--data", str(options.data)]
    with tempfile.TemporaryDirectory() as out:
        commands = {"check": [*tool, "check"], "export": [*tool, "export", "--out", out]}
        best: dict[str, float] = {}
        for name, args in commands.items():
            for _ in range(options.repeat):
                wall, cpu, peak = run(args)
                best[name] = min(best.get(name, wall), wall)
                print(f"{name:<7} {wall:6.2f} s wall  {cpu:6.2f} s CPU  {peak:7.0f} MB peak", flush=True)
    print("best: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in best.items()))


if __name__ == "__main__":
    main()
