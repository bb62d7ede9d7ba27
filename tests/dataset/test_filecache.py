"""The per-file read cache: a rebuild reads again only the files that changed, with the same result.

The small data set is fixtures.BASE_FILES: outlets.csv, targets.yaml and week 2026-W47's four
CSV files are the files the cache keeps (config.yaml and team.yaml are read on every build).
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
from pathlib import Path

import pandas as pd
import pytest
from fixtures import CALLS_W47, write_data

from reports_gen.dataset.dataset import check_data
from reports_gen.dataset.filecache import CsvPiece, ReadCache, file_digests
from reports_gen.errors import DataError
from reports_gen.fileio import WriteError
from reports_gen.metrics.report import Report, cached_report, compute_report

C47 = "weeks/2026-W47/calls.csv"
KEPT = 6  # outlets.csv, targets.yaml and the four files of 2026-W47


def assert_same(one: object, other: object, where: str = "report") -> None:
    """Assert two results hold the same values: frames column by column with their types."""
    if isinstance(one, pd.DataFrame):
        pd.testing.assert_frame_equal(other, one, check_exact=True, obj=where)
    elif isinstance(one, pd.Series):
        pd.testing.assert_series_equal(other, one, check_exact=True, obj=where)
    elif dataclasses.is_dataclass(one) and not isinstance(one, type):
        assert type(other) is type(one), where
        for field in dataclasses.fields(one):
            assert_same(getattr(one, field.name), getattr(other, field.name), f"{where}.{field.name}")
    else:
        assert other == one, where


def assert_same_report(one: Report, other: Report) -> None:
    """Assert two reports hold the same dataset, metrics (those worked out when asked too) and alerts."""
    assert_same(one.dataset, other.dataset, "dataset")
    assert_same(one.metrics, other.metrics, "metrics")
    assert_same(one.metrics.all_periods, other.metrics.all_periods, "metrics.all_periods")
    assert_same(one.metrics.targets.effective, other.metrics.targets.effective, "targets.effective")
    assert_same(one.alerts, other.alerts, "alerts")
    assert other.tr.language == one.tr.language


def revenue(report: Report, scope: str, ident: str, week: str = "2026-W47") -> float:
    """Return a week's revenue of a scope from the report's weekly metrics."""
    weekly = report.metrics.weekly
    row = weekly[(weekly["week"] == week) & (weekly["scope"] == scope) & (weekly["id"] == ident)]
    assert len(row) == 1
    return float(row["revenue"].iloc[0])


def read_cache(folder: Path, data: Path, digests: bool = True) -> ReadCache:
    """Return a cache as cached_report makes one (the files' digests given) or without digests."""
    return ReadCache(folder, data, b"code", file_digests(data) if digests else None)


def test_one_changed_row_reads_one_file_and_gives_the_report_of_a_cold_read(tmp_path: Path) -> None:
    data = write_data(tmp_path / "data", {})
    folder = tmp_path / "cache"
    first = compute_report(data, cache=read_cache(folder, data))
    # W47 revenue: calls 500,000 + 250,000 + 300,000 and a WhatsApp sale of 100,000 = 1,150,000.
    assert revenue(first, "company", "") == 1_150_000
    changed = CALLS_W47.replace("andi,O1,yes,yes,500000,5", "andi,O1,yes,yes,700000,7")
    assert changed != CALLS_W47
    (data / C47).write_text(changed, encoding="utf-8")
    cache = read_cache(folder, data)
    warm = compute_report(data, cache=cache)
    assert (cache.hits, cache.misses) == (KEPT - 1, 1)  # only calls.csv read again
    cold = compute_report(data)
    assert_same_report(cold, warm)
    # The row now orders 700,000: company 1,150,000 + 200,000; andi 500,000 + 250,000 + 200,000.
    assert revenue(warm, "company", "") == 1_350_000
    assert revenue(warm, "person", "andi") == 950_000
    assert sorted(os.listdir(folder)) == sorted(f"{key}.pickle" for key in cache.used)
    assert len(cache.used) == KEPT  # the entry of the old calls.csv was deleted


def test_a_new_week_reads_only_its_files(tmp_path: Path) -> None:
    data = write_data(tmp_path / "data", {})
    folder = tmp_path / "cache"
    compute_report(data, cache=read_cache(folder, data))
    # 2026-W48 is Mon 2026-11-23 .. Sun 2026-11-29; dewi (marketing) has no call to log.
    week = (
        "date,rep_id,outlet_id,planned,visited,order_value,units,no_order_reason,notes\n"
        "2026-11-23,andi,O1,yes,yes,400000,4,,\n"
        "2026-11-24,budi,O3,yes,yes,150000,1,,\n"
        "2026-11-25,citra,O4,yes,no,0,0,Tutup,\n"
    )
    write_data(data, {"weeks/2026-W48/calls.csv": week})
    cache = read_cache(folder, data)
    warm = compute_report(data, cache=cache)
    assert (cache.hits, cache.misses) == (KEPT, 1)
    assert_same_report(compute_report(data), warm)
    assert revenue(warm, "company", "", "2026-W48") == 550_000  # 400,000 + 150,000
    assert len(list(folder.iterdir())) == KEPT + 1


def test_a_week_taken_away_leaves_no_entry_behind(tmp_path: Path) -> None:
    data = write_data(tmp_path / "data", {"weeks/2026-W48/calls.csv": CALLS_W47.split("\n")[0] + "\n"})
    folder = tmp_path / "cache"
    check_data(data, read_cache(folder, data))
    assert len(list(folder.iterdir())) == KEPT + 1
    shutil.rmtree(data / "weeks" / "2026-W48")
    cache = read_cache(folder, data)
    check_data(data, cache)
    assert (cache.hits, cache.misses) == (KEPT, 0)
    assert len(list(folder.iterdir())) == KEPT  # pruned: never more entries than files read


@pytest.mark.parametrize("digests", [True, False], ids=["digests given", "files hashed"])
@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not a pickle",
        pickle.dumps("a string"),
        pickle.dumps(("reports-gen read cache 1", "another key", None, [])),
    ],
    ids=["empty", "garbage", "foreign object", "another key"],
)
def test_a_damaged_entry_is_read_again(tmp_path: Path, damage: bytes, digests: bool) -> None:
    data = write_data(tmp_path / "data", {})
    folder = tmp_path / "cache"
    plain = check_data(data)
    check_data(data, read_cache(folder, data))
    for entry in folder.iterdir():
        entry.write_bytes(damage)
    cache = read_cache(folder, data, digests)
    again = check_data(data, cache)
    assert (cache.hits, cache.misses) == (0, KEPT)
    assert again.problems == plain.problems == []
    pd.testing.assert_frame_equal(again.dataset.calls, plain.dataset.calls)
    cache = read_cache(folder, data, digests)
    check_data(data, cache)
    assert (cache.hits, cache.misses) == (KEPT, 0)  # the entries were written again, whole


@pytest.mark.parametrize(
    "spoil",
    [
        lambda piece: setattr(piece, "line", piece.line[1:]),  # a row's line lost
        lambda piece: setattr(piece, "line", list(piece.line)),
        lambda piece: piece.columns.pop("notes"),
        lambda piece: piece.columns.update(notes=(piece.columns["notes"][0] + 7, piece.columns["notes"][1])),
    ],
    ids=["short lines", "lines as a list", "a column lost", "codes past the values"],
)
def test_an_entry_that_does_not_hold_together_is_read_again(tmp_path: Path, spoil) -> None:
    data = write_data(tmp_path / "data", {})
    folder = tmp_path / "cache"
    check_data(data, read_cache(folder, data))
    for entry in folder.iterdir():
        tag, key, value, kept = pickle.loads(entry.read_bytes())
        if isinstance(value, CsvPiece) and "notes" in value.header:
            spoil(value)
            entry.write_bytes(pickle.dumps((tag, key, value, kept)))
    cache = read_cache(folder, data)
    result = check_data(data, cache)
    # calls.csv, activities.csv and prospects.csv have a notes column (sales.csv too): read again
    assert (cache.hits, cache.misses) == (KEPT - 4, 4)
    assert result.problems == [] and result.dataset.calls["order_value"].sum() == 1_050_000  # 500k+250k+300k


def test_an_entry_of_another_file_is_not_taken_for_it(tmp_path: Path) -> None:
    data = write_data(tmp_path / "data", {})
    folder = tmp_path / "cache"
    first = read_cache(folder, data)
    check_data(data, first)
    entries = sorted(folder.iterdir())
    for entry, other in zip(entries, [*entries[1:], entries[0]], strict=True):
        other_bytes = other.read_bytes()
        entry.with_suffix(".swap").write_bytes(other_bytes)
    for entry in entries:
        entry.with_suffix(".swap").replace(entry)
    cache = read_cache(folder, data)
    result = check_data(data, cache)
    assert (cache.hits, cache.misses) == (0, KEPT)
    assert result.problems == [] and len(result.dataset.calls) == 5  # CALLS_W47 has five rows


def test_broken_files_give_the_same_problems_from_the_cache_even_when_the_data_moved(tmp_path: Path) -> None:
    calls = CALLS_W47.replace("2026-11-16,andi,O1,yes,yes,500000,5,,", "2026-11-16,andi,O1,yes,yes,500000,5,")
    targets = "targets:\n  - {period: 2026-13, scope: company, metric: revenue, value: 1}\n"
    data = write_data(tmp_path / "data", {C47: calls, "targets.yaml": targets})
    folder = tmp_path / "cache"
    plain = check_data(data)
    where = [(Path(p.path).relative_to(data).as_posix(), p.line, p.code) for p in plain.errors]
    # Line 2 has 8 fields for 9 columns; 2026-13 is no month. Both files are read and kept.
    assert where == [("targets.yaml", 2, "targets.invalid-period"), (C47, 2, "csv.field-count")]
    assert check_data(data, read_cache(folder, data)).problems == plain.problems
    moved = data.rename(tmp_path / "moved")
    cache = read_cache(folder, moved)
    again = check_data(moved, cache)
    assert (cache.hits, cache.misses) == (KEPT, 0)
    assert again.problems == check_data(moved).problems
    assert [(p.path, p.line, p.code) for p in again.errors] == [
        (str(moved / "targets.yaml"), 2, "targets.invalid-period"),
        (str(moved / C47), 2, "csv.field-count"),
    ]


def test_targets_are_read_again_when_team_yaml_changes(tmp_path: Path) -> None:
    data = write_data(tmp_path / "data", {})
    folder = tmp_path / "cache"
    check_data(data, read_cache(folder, data))
    team = (data / "team.yaml").read_text(encoding="utf-8").replace("andi", "ani")  # east's manager too
    (data / "team.yaml").write_text(team, encoding="utf-8")
    cache = read_cache(folder, data)
    result = check_data(data, cache)
    assert cache.misses == 1  # targets.yaml, whose scope person:andi is no longer in team.yaml
    assert result.problems == check_data(data).problems
    assert any(p.code == "targets.unknown-person" and p.line == 2 for p in result.errors)


def test_cached_report_rebuilds_from_the_file_cache(tmp_path: Path) -> None:
    data = write_data(tmp_path / "data", {})
    work = tmp_path / "work"
    cached_report(data, work)
    (data / C47).write_text(CALLS_W47.replace("citra,O4,yes,yes,300000", "citra,O4,yes,yes,310000"))
    report = cached_report(data, work)
    assert_same_report(compute_report(data), report)
    assert revenue(report, "person", "citra") == 410_000  # call 310,000 + WhatsApp sale 100,000
    assert len(list((work / "files").iterdir())) == KEPT
    assert len(list(work.glob("report-*.pickle"))) == 1


def test_strict_still_refuses_warnings_read_from_the_cache(tmp_path: Path) -> None:
    data = write_data(tmp_path / "data", {"outlet.csv": "x"})  # a misspelt, unread file: a warning
    work = tmp_path / "work"
    cached_report(data, work)
    (data / C47).write_text(CALLS_W47 + "\n")  # changed bytes, same rows: no report reused
    with pytest.raises(DataError) as caught:
        cached_report(data, work, strict=True)
    assert [p.code for p in caught.value.problems] == ["data.stray-file"]


def test_a_cache_folder_that_cannot_be_written_stops_with_a_clean_error(tmp_path: Path) -> None:
    data = write_data(tmp_path / "data", {})
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    with pytest.raises(WriteError) as caught:
        check_data(data, read_cache(blocked, data))
    assert str(blocked) in str(caught.value)
