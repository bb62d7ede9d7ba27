"""Reading the week files of a kind together: one table, rows and lines as file by file.

The reader parses every file without quotes of a kind in one pass and factorizes each column
once; these cases pin down that nothing of the file-by-file reading is lost: row order, each
row's file and line, trimmed cells, blank rows, columns a file leaves out, quoted files in
between, and problem columns found in a file whose text is no longer kept.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from fixtures import CALLS_W47

from reports_gen.dataset.csvfile import CsvSource, read_csv_files
from reports_gen.dataset.dataset import check_data
from reports_gen.dataset.schema import CALLS, FILE, LINE

HEADER = "date,rep_id,outlet_id,planned,visited,order_value,units,no_order_reason,notes"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_files_of_a_kind_read_together_keep_order_files_and_lines(tmp_path) -> None:
    first = write(
        tmp_path,
        "a.csv",
        f"{HEADER}\n2026-11-16,andi,O1,yes,yes,1,1,,\n\n2026-11-17, andi ,O2,yes,no,0,0,,\n",
    )
    # the same header: parsed in the same pass; its last line has no line break
    second = write(tmp_path, "b.csv", f"{HEADER}\n2026-11-23,citra,O4,yes,yes,2,1,,")
    # quoted: read on its own, between two plain files
    third = write(tmp_path, "c.csv", f'{HEADER}\n2026-11-30,andi,"O1 ",yes,yes,3,1,,"a, b"\n')
    # another column order, without the optional columns: they read as empty
    fourth = write(
        tmp_path,
        "d.csv",
        "rep_id,date,outlet_id,planned,visited,order_value,units\n,,,,,,\nbudi,2026-12-07,O3,yes,yes,4,1\n",
    )
    problems: list = []
    table = read_csv_files([first, second, third, fourth], CALLS.required, CALLS.optional, problems)
    frame = table.frame
    assert problems == []
    # a.csv: lines 2 and 4 (line 3 blank); b.csv line 2; c.csv line 2; d.csv line 3 (line 2 only commas)
    assert frame[LINE].tolist() == [2, 4, 2, 2, 3]
    assert frame[FILE].tolist() == [str(first), str(first), str(second), str(third), str(fourth)]
    assert table.file_index.tolist() == [0, 0, 1, 2, 3]
    assert frame["rep_id"].tolist() == ["andi", "andi", "citra", "andi", "budi"]  # " andi " trimmed
    assert frame["outlet_id"].tolist() == ["O1", "O2", "O4", "O1", "O3"]  # "O1 " in quotes trimmed too
    assert frame["notes"].tolist() == ["", "", "", "a, b", ""]
    assert frame["order_value"].tolist() == ["1", "0", "2", "3", "4"]
    assert str(frame["rep_id"].dtype) == "str"
    # each column's codes give back its cells; equal cells share a code (O1 in a.csv and c.csv)
    for column in CALLS.columns:
        codes, values = table.factors[column]
        assert values.to_numpy()[codes].tolist() == frame[column].tolist()
    codes, values = table.factors["outlet_id"]
    assert codes[0] == codes[3] and len(set(values)) == len(values)


def test_no_files_give_an_empty_table_with_every_column(tmp_path) -> None:
    table = read_csv_files([], CALLS.required, CALLS.optional, [], every=CALLS.columns)
    assert list(table.frame.columns) == [*CALLS.columns, LINE, FILE]
    assert len(table.frame) == 0 and table.frame[LINE].dtype == np.int64


def test_a_file_with_a_problem_is_left_out_and_the_others_read(tmp_path) -> None:
    good = write(tmp_path, "a.csv", f"{HEADER}\n2026-11-16,andi,O1,yes,yes,1,1,,\n")
    bad = write(tmp_path, "b.csv", f"{HEADER}\n2026-11-16,andi,O1,yes,yes,1,1,\n")  # 8 fields of 9
    later = write(tmp_path, "c.csv", f"{HEADER}\n2026-11-18,citra,O4,yes,yes,1,1,,\n")
    problems: list = []
    table = read_csv_files([good, bad, later], CALLS.required, CALLS.optional, problems)
    assert [(p.code, p.line) for p in problems] == [("csv.field-count", 2)]
    assert [s.path for s in table.sources] == [str(good), str(later)]
    assert table.frame[FILE].tolist() == [str(good), str(later)]


def test_a_problem_column_is_found_in_the_file_read_again(tmp_path) -> None:
    # the text is not kept: the line is read again from the file, line breaks as written (CRLF)
    path = write(tmp_path, "a.csv", f"{HEADER}\r\n2026-11-16,andi,O1,yes,yes,1,1,,\r\n")
    source = CsvSource(str(path), HEADER.split(","))
    assert source.column_of(2, "outlet_id") == 17  # "2026-11-16," is 11 characters, "andi," 5 more
    assert source.column_of(3, "outlet_id") is None  # past the last line


def test_weeks_read_together_give_each_row_its_week(make_data) -> None:
    w48 = CALLS_W47.replace("2026-11-16", "2026-11-23").replace("2026-11-18", "2026-11-25")
    w48 = w48.replace("2026-11-19", "2026-11-26").replace("2026-11-20", "2026-11-27")
    w48 = w48.replace(",Toko tutup,", ',"Toko, tutup",')  # a quoted file after a plain one
    root = make_data({"weeks/2026-W48/calls.csv": w48})
    result = check_data(root)
    assert [p for p in result.problems if p.level == "error"] == []
    calls = result.dataset.calls
    assert calls["week"].tolist() == ["2026-W47"] * 5 + ["2026-W48"] * 5
    assert calls[LINE].tolist() == [2, 3, 4, 5, 6] * 2
    files = [Path(os.path.relpath(f, root)).as_posix() for f in calls[FILE]]
    assert files == ["weeks/2026-W47/calls.csv"] * 5 + ["weeks/2026-W48/calls.csv"] * 5
    assert calls["no_order_reason"].tolist()[6] == "Toko, tutup"
    assert calls["date"].dt.strftime("%d").tolist() == [
        "16",
        "16",
        "18",
        "19",
        "20",
        "23",
        "23",
        "25",
        "26",
        "27",
    ]


def test_growth_targets_sharing_a_basis_each_get_its_warning(make_data) -> None:
    # both grow on 2026-11 (worked out once): only 2026-W47 (16-22 Nov) has data, 7 of 30 days
    targets = (
        "targets:\n"
        '  - {period: 2026-12, scope: "person:andi", metric: revenue, growth: 10%}\n'
        '  - {period: 2026-12, scope: "person:citra", metric: revenue, growth: 5%}\n'
    )
    result = check_data(make_data({"targets.yaml": targets}))
    assert [(p.line, p.code, dict(p.params)["covered"], dict(p.params)["days"]) for p in result.problems] == [
        (2, "targets.basis-partly-covered", 7, 30),
        (3, "targets.basis-partly-covered", 7, 30),
    ]
