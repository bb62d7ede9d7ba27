"""`new-week` writes the whole week or nothing, and says why in one line."""

from __future__ import annotations

import errno
import os

from click.testing import CliRunner
from fixtures import tree_digest

from reports_gen.cli import cli


def test_a_full_disk_leaves_no_half_week(data_dir, monkeypatch):
    before = tree_digest(data_dir)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = CliRunner().invoke(cli, ["new-week", "2026-W48", "--data", str(data_dir)])
    assert result.exit_code == 1
    calls = data_dir / "weeks" / "2026-W48" / "calls.csv"
    assert result.output == f"error: {calls}: error: could not write: the disk is full\n"
    assert not (data_dir / "weeks" / "2026-W48").exists()  # no folder, no truncated calls.csv
    assert tree_digest(data_dir) == before


def test_a_failure_after_some_files_removes_them_too(data_dir, monkeypatch):
    # the third fsync (calls.csv, its folder, then sales.csv) fails: calls.csv is taken back too
    real = os.fsync
    count = []

    def third_fails(fd: int) -> None:
        count.append(fd)
        if len(count) == 3:
            raise OSError(errno.EROFS, "Read-only file system")
        real(fd)

    monkeypatch.setattr(os, "fsync", third_fails)
    result = CliRunner().invoke(cli, ["new-week", "2026-W48", "--data", str(data_dir)])
    assert result.exit_code == 1
    sales = data_dir / "weeks" / "2026-W48" / "sales.csv"
    assert result.output == f"error: {sales}: error: could not write: the file system is read-only\n"
    assert not (data_dir / "weeks" / "2026-W48").exists()


def test_a_rerun_after_a_failure_creates_the_week(data_dir, monkeypatch):
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert CliRunner().invoke(cli, ["new-week", "2026-W48", "--data", str(data_dir)]).exit_code == 1
    monkeypatch.undo()
    result = CliRunner().invoke(cli, ["new-week", "2026-W48", "--data", str(data_dir)])
    assert result.exit_code == 0, result.output
    header = (data_dir / "weeks" / "2026-W48" / "calls.csv").read_text().splitlines()[0]
    assert header == "date,rep_id,outlet_id,planned,visited,order_value,units,no_order_reason,notes"
