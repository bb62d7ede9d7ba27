"""kill -9 at random moments of `import`: data/ is never left half-imported, nothing stays behind.

After each kill the next command (`check` or `import`) finishes or rolls back the import
through its journal: data/ is then byte for byte either as before or as after a complete
import, and no staging, journal or temporary file is left.
"""

from __future__ import annotations

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
# Sales of three weeks: 2026-W47 exists (rows appended), W48 and W49 are new folders.
EXPORT = (
    "Tanggal;Sales;Kode Toko;Nilai;Qty;Kanal\n"
    "18/11/2026;andi;O1;Rp 100.000;1;WA\n"
    "24/11/2026;citra;O4;Rp 200.000;2;telepon\n"
    "25/11/2026;budi;O3;Rp 300.000;3;online\n"
    "01/12/2026;andi;O2;Rp 400.000;4;wa\n"
)
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


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict, float]:
    """The data before and after a complete import, and how long the import takes."""
    base = tmp_path_factory.mktemp("reference")
    data = write_data(base / "data", {})
    (base / "export.csv").write_text(EXPORT, encoding="utf-8")
    before = snapshot(data)
    started = time.monotonic()
    code, out, err = finish(base, "import", "export.csv", "--kind", "sales")
    took = time.monotonic() - started
    assert code == 0, out + err
    after = snapshot(data)
    assert set(after) - set(before) >= {"weeks/2026-W48", "weeks/2026-W49/sales.csv"}
    return before, after, took


@pytest.mark.parametrize("seed", SEEDS)
def test_kill_during_import_then_recover(tmp_path: Path, states, seed: int) -> None:
    before, after, took = states
    rng = random.Random(seed)
    data = write_data(tmp_path / "data", {})
    (tmp_path / "export.csv").write_text(EXPORT, encoding="utf-8")
    process = command(tmp_path, "import", "export.csv", "--kind", "sales")
    time.sleep(rng.uniform(0.3, 1.05) * took)  # most of the time goes into starting Python
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
