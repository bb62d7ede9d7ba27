"""The bulk paths of the metrics layer, on hand-computed cases: they must give what pandas'
groupby, sort and drop_duplicates give (same groups, order and sums), and the exports what
the cell-by-cell writing gives."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from reports_gen.metrics.export import csv_bytes, plain_numbers
from reports_gen.metrics.grouping import (
    CodedKey,
    first_of_each,
    group_positions,
    grouped_agg,
    grouped_sum,
    grouped_sum_indexed,
    key_numbers,
    sort_order,
)
from reports_gen.metrics.targets import break_down
from reports_gen.workcalendar import WorkCalendar

D1, D2 = pd.Timestamp("2026-11-16"), pd.Timestamp("2026-11-17")


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "scope": pd.array(["team", "person", "team", "person", "person", None], dtype="str"),
            "id": pd.array(["west", "budi", "east", "andi", "budi", "x"], dtype="str"),
            "date": [D2, D1, D1, D2, D1, D1],
            "value": [0.1, 0.2, 0.3, 0.4, 0.5, 9.0],
        }
    )


def test_grouped_sum_groups_sorted_by_the_keys_without_missing_ones() -> None:
    out = grouped_sum(frame(), ["scope", "id", "date"], "value")
    # person/andi/D2 0.4; person/budi/D1 0.2 + 0.5 = 0.7; team/east/D1 0.3; team/west/D2 0.1;
    # the row without a scope (9.0) belongs to no group
    assert out["scope"].tolist() == ["person", "person", "team", "team"]
    assert out["id"].tolist() == ["andi", "budi", "east", "west"]
    assert out["date"].tolist() == [D2, D1, D1, D2]
    assert out["value"].tolist() == [0.4, 0.2 + 0.5, 0.3, 0.1]
    assert str(out["scope"].dtype) == "str" and out["date"].dtype == frame()["date"].dtype  # as given
    # and what pandas gives, to the last bit
    expected = frame().groupby(["scope", "id", "date"], as_index=False)["value"].sum()
    pd.testing.assert_frame_equal(out, expected, check_exact=True)
    indexed = grouped_sum_indexed(frame(), ["id"], "value")
    # andi 0.4; budi 0.7; east 0.3; west 0.1; x 9.0 (its id is there, its scope is not asked for)
    assert indexed.index.tolist() == ["andi", "budi", "east", "west", "x"] and indexed.index.name == "id"
    assert indexed.tolist() == [0.4, 0.2 + 0.5, 0.3, 0.1, 9.0]


def test_coded_key_sizes_sums_and_maxima_per_key_without_missing_ones() -> None:
    rows = frame()
    key = CodedKey(rows["id"])
    everything = key.sum(rows["value"])
    # andi 0.4; budi 0.2 + 0.5 = 0.7; east 0.3; west 0.1; x 9.0 (a key sorted as pandas sorts it)
    assert everything.index.tolist() == ["andi", "budi", "east", "west", "x"]
    assert everything.tolist() == [0.4, 0.2 + 0.5, 0.3, 0.1, 9.0]
    pd.testing.assert_series_equal(everything, rows.groupby("id")["value"].sum(), check_exact=True)
    people = (rows["scope"] == "person").fillna(False).to_numpy()  # rows 1, 3, 4
    # budi: rows 1 and 4 (2 rows, 0.2 + 0.5, latest D1); andi: row 3 (1 row, 0.4, latest D2)
    assert key.size(people).to_dict() == {"andi": 1, "budi": 2}
    assert key.sum(rows["value"], people).to_dict() == {"andi": 0.4, "budi": 0.2 + 0.5}
    assert key.max(rows["date"], people).to_dict() == {"andi": D2, "budi": D1}
    missing = pd.Series(pd.array(["b", None, "a", "b"], dtype="str"))
    # "a": row 2 alone, "b": rows 0 and 3; the row without a key counts nowhere
    assert CodedKey(missing).size().to_dict() == {"a": 1, "b": 2}
    assert CodedKey(missing).sum(pd.Series([1.0, 5.0, 2.0, 3.0])).to_dict() == {"a": 2.0, "b": 4.0}


def test_grouped_agg_sizes_and_sums_per_key_as_pandas_gives_them() -> None:
    aggs = {"rows": ("value", "size"), "value": ("value", "sum")}
    out = grouped_agg(frame(), ["scope", "date"], aggs)
    # person/D1: rows 1, 4 (0.2 + 0.5); person/D2: row 3 (0.4); team/D1: row 2 (0.3);
    # team/D2: row 0 (0.1); row 5 has no scope and counts nowhere
    assert out["scope"].tolist() == ["person", "person", "team", "team"]
    assert out["date"].tolist() == [D1, D2, D1, D2]
    assert out["rows"].tolist() == [2, 1, 1, 1]
    assert out["value"].tolist() == [0.2 + 0.5, 0.4, 0.3, 0.1]
    expected = frame().groupby(["scope", "date"], as_index=False).agg(**aggs)
    pd.testing.assert_frame_equal(out, expected, check_exact=True)
    complete = frame().iloc[:5]  # every key there: grouped by the numbers themselves
    expected = complete.groupby(["id"], as_index=False).agg(**aggs)
    pd.testing.assert_frame_equal(grouped_agg(complete, ["id"], aggs), expected, check_exact=True)


def test_group_positions_are_the_group_by_indices() -> None:
    groups = group_positions(frame(), ["scope", "id"])
    # team/west row 0; person/budi rows 1 and 4; team/east row 2; person/andi row 3; row 5 has no scope
    assert list(groups) == [("team", "west"), ("person", "budi"), ("team", "east"), ("person", "andi")]
    assert {k: v.tolist() for k, v in groups.items()} == {
        ("team", "west"): [0],
        ("person", "budi"): [1, 4],
        ("team", "east"): [2],
        ("person", "andi"): [3],
    }
    expected = frame().groupby(["scope", "id"], sort=False).indices
    assert {k: v.tolist() for k, v in groups.items()} == {k: v.tolist() for k, v in expected.items()}
    assert group_positions(frame().iloc[:0], ["scope", "id"]) == {}


def test_sort_order_is_stable_with_missing_values_last() -> None:
    # by scope, then date: person D1 (rows 1, 4 in their order), person D2 (3), team D1 (2),
    # team D2 (0), and the missing scope last (5)
    assert sort_order(frame(), ["scope", "date"]).tolist() == [1, 4, 3, 2, 0, 5]


def test_first_of_each_and_key_numbers() -> None:
    # scope+date pairs: team/D2, person/D1, team/D1, person/D2, person/D1 again, missing/D1
    assert first_of_each(frame(), ["scope", "date"]).tolist() == [True, True, True, True, False, True]
    # numbered in order of first appearance; a missing key has none (-1)
    assert key_numbers(frame(), ["scope", "date"]).tolist() == [0, 1, 2, 3, 1, -1]


def test_break_down_gives_each_target_the_days_of_its_period() -> None:
    people = pd.DataFrame(
        {"team": ["east"], "role": ["sales"], "start": [pd.NaT], "end": [pd.NaT]},
        index=pd.Index(["andi"], name="person_id", dtype="str"),
    )
    own = pd.DataFrame(
        {
            "period": ["2026-W47", "2026-W47", "2026-W47"],
            "rank": [0, 0, 0],
            "start": [pd.Timestamp("2026-11-16")] * 3,
            "end": [pd.Timestamp("2026-11-22")] * 3,
            "scope": ["person", "company", "person"],
            "id": ["andi", "", "nobody"],
            "metric": ["revenue"] * 3,
            "split": ["working_days", "calendar_days", "working_days"],
        }
    )
    days = break_down(own, people, WorkCalendar())
    # the company target first (row 1), then andi's (row 0); nobody is not in team.yaml: no days
    assert days["src"].tolist() == [1] * 7 + [0] * 7
    assert days["date"].tolist() == list(pd.date_range("2026-11-16", "2026-11-22")) * 2
    # calendar days: 1 each day; working days: Mon-Fri 1, Sat-Sun 0
    assert days["weight"].tolist() == [1.0] * 7 + [1.0] * 5 + [0.0] * 2
    assert days["id"].tolist() == [""] * 7 + ["andi"] * 7


def test_plain_numbers_in_bulk() -> None:
    values = pd.Series([1500000.0, 0.8125, np.nan, -0.0, 2 / 3, 1e-05, 1e16, -3.0])
    assert plain_numbers(values).tolist() == [
        "1500000",
        "0.8125",
        "",
        "0",  # -0.0 is a whole number
        "0.6666666666666666",
        "0.00001",
        "10000000000000000.",  # from 1e15 on, not written as a whole number (as plain_number)
        "-3",
    ]
    assert plain_numbers(pd.Series([3, -5], dtype="int64")).tolist() == ["3", "-5"]


def test_text_tables_are_written_with_minimal_quotes_and_formulas_neutralised() -> None:
    table = pd.DataFrame(
        {
            "kind": pd.array(["a", "a", "b", None], dtype="str"),
            "detail": pd.array(["=SUM(A1)", 'say "hi", then', "line\nbreak", "-2.5"], dtype="str"),
        }
    )
    # '=SUM(A1)' gets a quote mark; a cell with a comma, quote or line break is quoted, its
    # quotes doubled; "-2.5" is a plain number; a missing cell is empty
    assert csv_bytes(table) == (b'kind,detail\na,\'=SUM(A1)\na,"say ""hi"", then"\nb,"line\nbreak"\n,-2.5\n')


def test_dates_of_break_down_follow_the_plan_span() -> None:
    # a target period inside a longer plan starts on its own first day
    people = pd.DataFrame(
        {"team": ["east"], "role": ["sales"], "start": [pd.NaT], "end": [pd.NaT]},
        index=pd.Index(["andi"], name="person_id", dtype="str"),
    )
    own = pd.DataFrame(
        {
            "period": ["2026-11", "2026-W48"],
            "rank": [2, 0],
            "start": [pd.Timestamp("2026-11-01"), pd.Timestamp("2026-11-23")],
            "end": [pd.Timestamp("2026-11-30"), pd.Timestamp("2026-11-29")],
            "scope": ["person", "person"],
            "id": ["andi", "andi"],
            "metric": ["revenue", "units"],
            "split": ["working_days", "calendar_days"],
        }
    )
    days = break_down(own, people, WorkCalendar())
    week = days[days["src"] == 1]
    assert week["date"].dt.date.tolist() == [dt.date(2026, 11, 23) + dt.timedelta(days=i) for i in range(7)]
    # November has 21 working days (2-6, 9-13, 16-20, 23-27, 30)
    assert days.loc[days["src"] == 0, "weight"].sum() == 21.0
