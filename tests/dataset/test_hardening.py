"""Data that used to pass wrongly or flood the output: years out of range, ids YAML reads as
numbers, huge headers, hidden week folders. Every expected problem is written out literally."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from fixtures import CALLS_W47, OUTLETS, TEAM

from reports_gen.dataset.dataset import MAX_PER_FILE, check_data
from reports_gen.errors import Problem

C = "weeks/2026-W47/calls.csv"
CALL_HEADER = "date,rep_id,outlet_id,planned,visited,order_value,units,no_order_reason,notes"
YEAR_HINT = "a typing mistake in the year?"
EXPECTED = "expected columns: outlet_id,name,type,area,rep_id,visits_per_week,lat,lon"
DATE_HINT = "write dates as YYYY-MM-DD, e.g. 2026-11-23; `reports-gen import` converts other formats"
ID_HINT = "ids use letters, digits, '-' and '_' (up to 64), starting with a letter or digit"


def swap(text: str, old: str, new: str) -> str:
    """Replace the one occurrence of `old` (fail loudly if the base data changed)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def problems(root: Path) -> list[tuple]:
    """Return every problem as (path relative to root, line, col, level, message, hint)."""
    rows = [
        (Path(os.path.relpath(p.path, root)).as_posix(), p.line, p.col, p.level, p.message, p.hint)
        for p in check_data(root).problems
    ]
    return sorted(rows, key=lambda r: (r[0], r[1] or 0, r[2] or 0, r[4]))


def errors(root: Path) -> list[tuple]:
    return [p for p in problems(root) if p[3] == "error"]


def E(path: str, line: int | None, col: int | None, message: str, hint: str = "") -> tuple:  # noqa: N802
    return (path, line, col, "error", message, hint)


# -- years outside 2000..2099 -------------------------------------------------------------------


def test_a_date_past_pandas_range_is_a_located_error(make_data) -> None:
    # 2611 would wrap around in nanoseconds and vanish from every figure; line 2, column 1
    calls = swap(CALLS_W47, "2026-11-16,andi,O1,", "2611-06-09,andi,O1,")
    assert errors(make_data({C: calls})) == [
        E(C, 2, 1, "'2611-06-09' is outside the years 2000..2099", YEAR_HINT)
    ]


def test_year_zero_is_a_located_error_not_a_traceback(make_data) -> None:
    calls = swap(CALLS_W47, "2026-11-16,andi,O1,", "0000-01-01,andi,O1,")
    assert errors(make_data({C: calls})) == [
        E(C, 2, 1, "'0000-01-01' is outside the years 2000..2099", YEAR_HINT)
    ]


def test_the_last_and_first_years_are_accepted_in_rows(make_data) -> None:
    # 2099-W53 does not exist; 2099-12-28 is in 2099-W53? No: 2099 has 52 ISO weeks, the
    # Monday of 2099-W52 is 2099-12-21, so 2099-12-23 lies in it.
    week = "weeks/2099-W52/calls.csv"
    calls = CALL_HEADER + "\n2099-12-23,andi,O1,yes,yes,100,1,,\n"
    result = check_data(make_data({week: calls}))
    assert [p for p in result.problems if p.level == "error"] == []


def test_a_week_folder_in_2300_is_refused_by_its_name(make_data) -> None:
    # before: its own Monday was reported as "outside the week" (nanosecond wrap-around)
    assert errors(make_data({"weeks/2300-W02/calls.csv": CALL_HEADER + "\n"})) == [
        E("weeks/2300-W02", None, None, "invalid ISO week '2300-W02': the year must be 2000..2099")
    ]


def test_a_holiday_out_of_range_is_a_located_error(make_data) -> None:
    config = "holidays:\n  extra: [2026-12-24, 2300-01-01]\n"
    # line 2, the second item of the flow list starts at column 23 ('  extra: [2026-12-24, ' is 22)
    assert errors(make_data({"config.yaml": config})) == [
        E("config.yaml", 2, 23, "2300-01-01 is outside the years 2000..2099", "a typing mistake?")
    ]


def test_a_malformed_date_keeps_its_message(make_data) -> None:
    calls = swap(CALLS_W47, "2026-11-16,andi,O1,", "16/11/2026,andi,O1,")
    assert errors(make_data({C: calls})) == [E(C, 2, 1, "'16/11/2026' is not an ISO date", DATE_HINT)]


def test_as_of_out_of_range_is_a_usage_error(data_dir) -> None:
    from click.testing import CliRunner

    from reports_gen.cli import cli

    result = CliRunner().invoke(cli, ["export", "--data", str(data_dir), "--as-of", "2300-01-01"])
    assert result.exit_code == 2
    assert "Invalid value for --as-of: 2300-01-01 is outside the years 2000..2099" in result.output


# -- ids are text, as written -------------------------------------------------------------------


def test_numeric_looking_ids_are_read_as_written(make_data) -> None:
    # YAML 1.1 reads 0123 as the octal 83, 1e3 as 1000.0, no as False, 2026-01-01 as a date:
    # each is the id as typed, so outlets.csv can name them.
    team = (
        "teams:\n"
        "  - {id: 0123, name: Octal, manager: 1e3}\n"
        "people:\n"
        "  - {id: 1e3, name: Seribu, role: sales, team: 0123}\n"
        "  - {id: no, name: Norway, role: sales, team: 0123}\n"
        "  - {id: 2026-01-01, name: Tanggal, role: marketing, team: 0123}\n"
    )
    outlets = "outlet_id,name,type,area,rep_id,visits_per_week\nO1,Toko,store,A,1e3,1\nO2,Toko,store,A,no,1\n"
    calls = CALL_HEADER + "\n2026-11-16,1e3,O1,yes,yes,100,1,,\n2026-11-16,no,O2,yes,yes,100,1,,\n"
    activities = "date,person_id,type,planned,done,outlet_id,prospect_id,outcome,notes\n"
    activities += "2026-11-16,2026-01-01,demo,yes,yes,,,,\n"
    result = check_data(
        make_data(
            {
                "team.yaml": team,
                "outlets.csv": outlets,
                C: calls,
                "weeks/2026-W47/sales.csv": None,
                "weeks/2026-W47/activities.csv": activities,
                "weeks/2026-W47/prospects.csv": None,
                "targets.yaml": None,
            }
        )
    )
    assert [p for p in result.problems if p.level == "error"] == []
    org = result.dataset.org
    assert [t.id for t in org.teams] == ["0123"]
    assert org.teams[0].manager == "1e3"
    assert [(p.id, p.team) for p in org.people] == [("1e3", "0123"), ("no", "0123"), ("2026-01-01", "0123")]


def test_an_unknown_numeric_reference_is_named_as_written(make_data) -> None:
    team = swap(TEAM, "team: east}", "team: 0099}")  # andi's team: 0099 was 99 before (not octal)
    assert errors(make_data({"team.yaml": team})) == [
        # line 5 is andi's; '  - {id: andi, name: Andi Saputra, role: sales, team: ' is 54 characters
        E("team.yaml", 5, 55, "unknown team '0099'", "define it under teams:")
    ]


def test_an_id_that_is_not_an_id_as_written_is_still_invalid(make_data) -> None:
    team = swap(TEAM, "{id: dewi,", "{id: 12.50,")
    result = [p for p in errors(make_data({"team.yaml": team})) if p[4].startswith("invalid id")]
    # line 8 is dewi's; the id value starts at column 10 ('  - {id: ' is 9 characters)
    assert result == [E("team.yaml", 8, 10, "invalid id '12.50'", ID_HINT)]


def test_a_list_where_a_reference_goes_is_an_error_not_a_traceback(make_data) -> None:
    # andi's team and east's manager written as YAML collections: each is named as Python shows it
    team = swap(TEAM, "team: east}", "team: [east]}")
    team = swap(team, "manager: andi}", "manager: {who: andi}}")
    assert errors(make_data({"team.yaml": team})) == [
        # line 2 is east's; '  - {id: east, name: East, manager: ' is 36 characters
        E(
            "team.yaml",
            2,
            37,
            "unknown person \"{'who': 'andi'}\"",
            "the manager must be listed under people:",
        ),
        # line 5 is andi's; '  - {id: andi, name: Andi Saputra, role: sales, team: ' is 54 characters
        E("team.yaml", 5, 55, "unknown team \"['east']\"", "define it under teams:"),
    ]


# -- bounded output -----------------------------------------------------------------------------


def test_ten_thousand_unknown_columns_print_eleven_lines(make_data) -> None:
    header = OUTLETS.splitlines()[0] + "," + ",".join(f"x{i}" for i in range(10_000))
    found = problems(make_data({"outlets.csv": header + "\n"}))
    mine = [p for p in found if p[0] == "outlets.csv"]
    # 10 located columns, then one line counting the other 9,990
    assert len(mine) == 11
    # the SPEC header is 47 characters and a comma: x0 starts at column 49
    assert ("outlets.csv", 1, 49, "error", "unknown column 'x0'", EXPECTED) in mine
    # x1..x9 follow three characters apart ('x0,'): x9 at 49 + 9 * 3 = 76; x10 is only counted
    assert ("outlets.csv", 1, 76, "error", "unknown column 'x9'", EXPECTED) in mine
    assert not any(p[4] == "unknown column 'x10'" for p in mine)
    # counted at the first column not shown, x10: 49 + 10 * 3 = 79
    assert ("outlets.csv", 1, 79, "error", "... and 9990 more unknown columns", "") in mine


def test_a_million_unknown_columns_are_quick(make_data) -> None:
    header = OUTLETS.splitlines()[0] + ",x" * 1_000_000
    root = make_data({"outlets.csv": header + "\n"})
    started = time.perf_counter()
    found = [p for p in problems(root) if p[0] == "outlets.csv"]
    elapsed = time.perf_counter() - started
    # every 'x' is an unknown column: 10 shown, 999,990 counted
    assert (
        sorted(p[4] for p in found) == ["... and 999990 more unknown columns"] + ["unknown column 'x'"] * 10
    )
    assert elapsed < 10  # 43 s before


def test_duplicate_columns_are_capped_too(make_data) -> None:
    header = OUTLETS.splitlines()[0] + ",name" * 25
    found = [p for p in problems(make_data({"outlets.csv": header + "\n"})) if p[0] == "outlets.csv"]
    assert [p[4] for p in found].count("duplicate column 'name'") == 10
    # the first duplicate 'name' is at column 49, each next one 5 further: the 11th at 99
    assert ("outlets.csv", 1, 99, "error", "... and 15 more duplicate columns", "") in found


def test_every_file_is_capped_whatever_the_rules(make_data) -> None:
    # 300 targets each wrong in its own way (a different unknown metric): each rule of
    # targets.yaml reports every entry, so the per-file cap is what bounds the output.
    targets = "targets:\n" + "".join(
        f"  - {{period: 2026-11, scope: company, metric: m{i}, value: 1}}\n" for i in range(300)
    )
    found = [p for p in problems(make_data({"targets.yaml": targets})) if p[0] == "targets.yaml"]
    assert len(found) == MAX_PER_FILE + 1 == 201
    # the first entry dropped is the 201st, on line 202 (line 1 is 'targets:')
    # at its metric: '  - {period: 2026-11, scope: company, metric: ' is 46 characters
    assert ("targets.yaml", 202, 47, "error", "... and 100 more problems in this file", "") in found


def test_cap_keeps_warnings_as_warnings() -> None:
    from reports_gen.dataset.dataset import cap_per_file

    many = [Problem.warning("a.csv", "data.no-weeks", i) for i in range(1, MAX_PER_FILE + 4)]
    capped = cap_per_file(many)
    # 203 warnings, 200 kept: the 3 others are counted at the first one dropped, line 201
    assert capped[-1] == Problem.warning("a.csv", "problems.more-in-file", MAX_PER_FILE + 1, None, count=3)
    assert capped[-1].message == "... and 3 more problems in this file"
    assert len(capped) == MAX_PER_FILE + 1


def test_a_huge_quoted_cell_is_read_as_any_other(make_data) -> None:
    # main's one cell-length rule (csvfile.CELL_LIMIT): a 200,000-character note is a note, not an error
    calls = CALLS_W47 + '2026-11-17,andi,O1,yes,yes,1,1,,"' + "x" * 200_000 + '"\n'
    assert errors(make_data({C: calls})) == []


def test_a_malformed_header_is_a_located_error(make_data) -> None:
    # the header is read strictly: a quote closed in the middle of a name is one clean line
    header = '"outlet_id"x,' + OUTLETS.splitlines()[0].split(",", 1)[1]
    found = errors(make_data({"outlets.csv": header + "\n"}))
    assert found[0] == E("outlets.csv", 1, None, "malformed CSV header: ',' expected after '\"'")


# -- hidden week folders ------------------------------------------------------------------------


def test_a_hidden_week_folder_is_warned_about(make_data) -> None:
    root = make_data({"weeks/.2026-W48/calls.csv": CALL_HEADER + "\n"})
    (root / "weeks" / ".DS_Store").write_text("finder")  # a hidden file is no week: not reported
    found = [p for p in problems(root) if p[3] == "warning" and p[0].startswith("weeks/.")]
    assert found == [
        (
            "weeks/.2026-W48",
            None,
            None,
            "warning",
            "folder '.2026-W48' is not read: its name starts with a dot",
            "name a week folder after its ISO week, such as 2026-W48",
        )
    ]


def test_thousands_of_stray_files_are_capped_in_all(make_data) -> None:
    root = make_data({})
    for i in range(1500):
        (root / "weeks" / f"stray{i:04d}.txt").write_text("")
    found = problems(root)
    stray = [p for p in found if p[4] == "unexpected file in weeks/"]
    # 1000 problems in all: the base data has none, so 1000 strays are shown and 500 counted;
    # the count names the first file not shown (files are read in name order)
    assert len(stray) == 1000 and len(found) == 1001
    assert (
        "weeks/stray1000.txt",
        None,
        None,
        "error",
        "... and 500 more problems in other files",
        "",
    ) in found


@pytest.mark.parametrize("quoted", [False, True], ids=["plain", "quoted"])
def test_a_row_of_spaces_and_commas_is_blank_on_both_reading_paths(make_data, quoted):
    # One rule after both CSV paths: a row whose cells are all empty once trimmed is skipped.
    calls = CALLS_W47 + " , , ,,  ,,,,\n" + ",,,,,,,,\n"
    if quoted:  # a quote anywhere sends the file down the csv-module path
        calls = calls.replace("Toko tutup", '"Toko, tutup"')
    result = check_data(make_data({"weeks/2026-W47/calls.csv": calls}))
    assert result.problems == []
    assert len(result.dataset.calls) == 5  # the five rows of CALLS_W47, nothing more
