"""Writing the export CSVs: formulas neutralised, atomic files, never into the data directory."""

from __future__ import annotations

import csv
import errno
import os
from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from fixtures import OUTLETS, TEAM, tree_digest

from reports_gen.cli import cli
from reports_gen.fileio import WriteError
from reports_gen.metrics.export import csv_bytes, neutralise_formulas


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_formula_start_is_neutralised_and_numbers_are_not() -> None:
    frame = pd.DataFrame(
        {
            "text": ["=1+1", "+62 812", "-x", "@SUM(A1)", "\tlead", "\rcr", "plain", "", None],
            "value": ["-5", "+3", "-0.25", "1e-3", "12", "", "-", "=2", "ok"],
        }
    )
    out = neutralise_formulas(frame)
    shown = list(out["text"])
    assert shown[:8] == ["'=1+1", "'+62 812", "'-x", "'@SUM(A1)", "'\tlead", "'\rcr", "plain", ""]
    assert pd.isna(shown[8])  # undefined stays empty
    # plain numbers keep their sign; a lone '-' and '=2' are text
    assert list(out["value"]) == ["-5", "+3", "-0.25", "1e-3", "12", "", "'-", "'=2", "ok"]
    assert list(frame["text"])[0] == "=1+1"  # the input frame is not changed


def test_csv_bytes_write_neutralised_cells() -> None:
    frame = pd.DataFrame({"name": ['=HYPERLINK("http://x","y")'], "n": [1]})
    assert csv_bytes(frame) == b'name,n\n"\'=HYPERLINK(""http://x"",""y"")",1\n'


def test_names_from_the_data_reach_exports_and_downloads_neutralised(make_data, tmp_path) -> None:
    # andi's missed visit to O2 makes an alert; its sentence names the outlet, not the person
    team = TEAM.replace("name: Andi Saputra", "name: \"=cmd|' /C calc'!A0\"")
    outlets = OUTLETS.replace("O2,UD Sentosa", "O2,@SUM(1+1)")
    data = make_data({"team.yaml": team, "outlets.csv": outlets})
    result = CliRunner().invoke(cli, ["export", "--data", str(data), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    details = [r["detail"] for r in read_rows(tmp_path / "out" / "alerts.csv") if r["kind"] == "missed_call"]
    assert details == ["Planned visit to @SUM(1+1) not made"]  # starts with a word: nothing to neutralise


def test_export_refuses_the_data_directory(data_dir) -> None:
    before = tree_digest(data_dir)
    for out in (data_dir, data_dir / "exports", data_dir / "weeks" / "2026-W47"):
        result = CliRunner().invoke(cli, ["export", "--data", str(data_dir), "--out", str(out)])
        assert result.exit_code == 2, result.output
        assert (
            f"--out {out} lies inside the data directory {data_dir}: choose a folder outside it"
            in result.output
        )
    assert tree_digest(data_dir) == before


def test_export_on_a_full_disk_is_one_line_and_leaves_no_temporary(data_dir, tmp_path, monkeypatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "weekly.csv").write_text("old\n")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = CliRunner().invoke(cli, ["export", "--data", str(data_dir), "--out", str(out)])
    assert result.exit_code == 1
    # all three are written to temporary names first, then finished last to first: alerts.csv fails
    assert result.output == f"error: {out / 'alerts.csv'}: error: could not write: the disk is full\n"
    assert [p.name for p in out.iterdir()] == ["weekly.csv"]
    assert (out / "weekly.csv").read_text() == "old\n"


def test_export_that_fails_to_write_a_later_file_replaces_none(data_dir, tmp_path, monkeypatch) -> None:
    # the disk fills up while periods.csv is written: weekly.csv, written before it, stays old
    out = tmp_path / "out"
    out.mkdir()
    (out / "weekly.csv").write_text("old\n")
    real = csv_bytes
    calls = []

    def fill_on_second(frame):
        calls.append(1)
        if len(calls) == 2:
            raise WriteError(out / "periods.csv", OSError(errno.ENOSPC, "No space left on device"))
        return real(frame)

    monkeypatch.setattr("reports_gen.metrics.export.csv_bytes", fill_on_second)
    result = CliRunner().invoke(cli, ["export", "--data", str(data_dir), "--out", str(out)])
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["weekly.csv"]
    assert (out / "weekly.csv").read_text() == "old\n"


def test_export_into_a_new_folder_leaves_no_folder_on_failure(data_dir, tmp_path, monkeypatch) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = CliRunner().invoke(cli, ["export", "--data", str(data_dir), "--out", str(tmp_path / "new")])
    assert result.exit_code == 1
    assert not (tmp_path / "new").exists()
