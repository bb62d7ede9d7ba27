"""kill -9 at random moments of `import`: data/ is never left half-imported, nothing stays behind.

After each kill the next command (`check` or `import`) finishes or rolls back the import
through its journal: data/ is then byte for byte either as before or as after a complete
import, and no staging, journal or temporary file is left.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fixtures import ROOT, write_data

SEEDS = range(8)
# Sales of many weeks: 2026-W47 exists (a row appended), the 2025 weeks are new folders, so the
# writing phase (a journal, then one staged file and one rename per week) takes a while.
EXPORT = "Tanggal;Sales;Kode Toko;Nilai;Qty;Kanal\n18/11/2026;andi;O1;Rp 100.000;1;WA\n" + "".join(
    f"{day:%d/%m/%Y};citra;O4;Rp {200 + n}.000;2;telepon\n"
    for n, day in enumerate(dt.date(2025, 1, 7) + dt.timedelta(weeks=w) for w in range(20))
)
JOURNAL = ".import-journal.json"
LEFTOVERS = (".*.importing*", ".import-journal*", "*.tmp")


def snapshot(data: Path) -> dict[str, bytes]:
    """Every file under data/ (folders too, as empty entries), by relative path."""
    return {
        p.relative_to(data).as_posix(): (p.read_bytes() if p.is_file() else b"<dir>")
        for p in sorted(data.rglob("*"))
    }


def command(cwd: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "reports_gen", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(cwd: Path, *args: str) -> tuple[int, str, str]:
    process = command(cwd, *args)
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def wait_for_journal(process: subprocess.Popen, data: Path) -> float:
    """Poll until the import's journal appears (or the process ends); return when, from now."""
    started = time.monotonic()
    while process.poll() is None and not (data / JOURNAL).exists():
        time.sleep(0.0005)
    return time.monotonic() - started


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict, float, float]:
    """The data before and after a complete import, how long it takes, and how long it writes."""
    base = tmp_path_factory.mktemp("reference")
    data = write_data(base / "data", {})
    (base / "export.csv").write_text(EXPORT, encoding="utf-8")
    before = snapshot(data)
    started = time.monotonic()
    process = command(base, "import", "export.csv", "--kind", "sales")
    wait_for_journal(process, data)
    writing = time.monotonic()
    out, err = process.communicate(timeout=120)
    ended = time.monotonic()
    assert process.returncode == 0, out + err
    after = snapshot(data)
    assert {"weeks/2025-W02/sales.csv", "weeks/2025-W21/sales.csv"} <= set(after) - set(before)
    return before, after, ended - started, ended - writing


@pytest.mark.parametrize("seed", SEEDS)
def test_kill_during_import_then_recover(tmp_path: Path, states, seed: int) -> None:
    before, after, took, writing = states
    rng = random.Random(seed)
    data = write_data(tmp_path / "data", {})
    (tmp_path / "export.csv").write_text(EXPORT, encoding="utf-8")
    process = command(tmp_path, "import", "export.csv", "--kind", "sales")
    if seed % 3 == 0:  # any moment of the run
        time.sleep(rng.uniform(0.2, 1.0) * took)
    else:  # while it writes: staging, or renaming
        wait_for_journal(process, data)
        time.sleep(rng.uniform(0.0, 1.0) * writing)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    # Even seeds recover with `check`, odd ones with the next `import`
    next_command = ("check",) if seed % 2 == 0 else ("import", "export.csv", "--kind", "sales")
    code, out, err = finish(tmp_path, *next_command)
    assert "Traceback" not in err
    notes = [line for line in err.splitlines() if "interrupted import" in line]
    assert len(notes) <= 1
    assert all(line.startswith("note: an interrupted import was ") for line in notes)
    state = snapshot(data)
    if next_command[0] == "import":
        assert code == 0, out + err
        assert state == after
    else:
        assert state in (before, after)
    for pattern in LEFTOVERS:
        assert not list(data.rglob(pattern)), pattern
    shutil.rmtree(tmp_path / "data")
