"""Target periods computed with their sources keyed once, and breakdown rows split once, give
exactly what the plain filters give (issue 14, point 3)."""

from __future__ import annotations

import pandas as pd
import pytest
from fixtures import ROOT

from reports_gen.metrics import comparisons, periods
from reports_gen.metrics.report import compute_report
from reports_gen.metrics.targets import PERIOD_KEYS


@pytest.fixture(scope="module")
def metrics():
    return compute_report(ROOT / "data").metrics


def test_keyed_sources_sum_what_window_sums_sums(metrics):
    plan = metrics.targets
    keyed = periods._KeyedSources(plan)
    keys = plan.periods[list(PERIOD_KEYS)].drop_duplicates()
    missing = pd.DataFrame([{"period": "2020-01", "scope": "person", "id": "nobody", "metric": "revenue"}])
    keys = pd.concat([keys, missing], ignore_index=True)
    for day in sorted(plan.period_sources["date"].unique())[::7]:
        sources = plan.period_sources[plan.period_sources["date"] <= day]
        expected = plan.window_sums(sources, list(PERIOD_KEYS))
        plain = expected.reindex(pd.MultiIndex.from_frame(keys)).fillna(0).to_numpy()
        assert keyed.expected(pd.Timestamp(day), keys).tolist() == plain.tolist()  # exactly, not approx
    assert keyed.expected(pd.Timestamp(day), keys)[-1] == 0  # a key without sources expects 0


def test_the_periods_ending_a_day_are_computed_alone_alike(metrics):
    args = (metrics.targets, metrics.facts, metrics.people, metrics.calendar)
    ends = sorted(metrics.targets.periods["end"].unique())
    assert ends
    for end in ends:
        day = pd.Timestamp(end)
        every = periods.period_metrics(*args, day, metrics.pace_at_risk)
        ending = set(metrics.targets.periods.loc[metrics.targets.periods["end"] == day, "period"])
        plain = every[every["period"].isin(ending)].reset_index(drop=True)
        alone = periods.period_metrics(*args, day, metrics.pace_at_risk, ending=True)
        pd.testing.assert_frame_equal(alone, plain, check_exact=True)


def test_rows_split_once_are_the_rows_a_filter_keeps():
    frame = pd.DataFrame(
        {
            "period": pd.array(["2026-Q4", "2026-11", "2026-Q4", "2026-11", None], dtype="string"),
            "metric": pd.array(["revenue", "revenue", "units", "revenue", "units"], dtype="string"),
            "value": [1.0, 2.0, 3.0, 4.0, 5.0],
        },
        index=[10, 11, 12, 13, 14],
    )
    both = comparisons._rows(frame, ("period", "metric"), ("2026-11", "revenue"))
    assert both.index.tolist() == [11, 13] and both["value"].tolist() == [2.0, 4.0]  # in order
    assert comparisons._rows(frame, ("metric",), "units")["value"].tolist() == [3.0, 5.0]
    assert comparisons._rows(frame, ("metric",), "calls").empty  # no such rows: an empty frame
    assert list(comparisons._rows(frame, ("metric",), "calls").columns) == list(frame.columns)
    frame.loc[10, "value"] = 9.0  # a changed frame is a new frame: split again, not reused
    changed = frame.copy()
    assert comparisons._rows(changed, ("metric",), "revenue")["value"].tolist() == [9.0, 2.0, 4.0]


def test_actuals_numbered_once_sum_what_actual_between_sums(metrics):
    from reports_gen.metrics.targets import actual_between, scope_members

    actuals = periods._Actuals(metrics.facts, metrics.people)
    members = scope_members(metrics.people)
    days = sorted(metrics.facts["date"].unique())
    windows = [(days[0], days[-1]), (days[3], days[10]), (days[-1], days[-1]), (days[-1], days[0])]
    for metric in ("revenue", "actual_calls", "effective_calls"):
        for start, end in windows:
            start, end = pd.Timestamp(start), pd.Timestamp(end)
            plain = actual_between(metrics.facts, members, metric, start, end)
            pd.testing.assert_series_equal(actuals.between(metric, start, end), plain, check_exact=True)


def test_actuals_by_hand():
    people = pd.DataFrame(
        {"team": ["west", "west", "east"]}, index=pd.Index(["ani", "budi", "cici"], name="person_id")
    )
    d1, d2, d3 = pd.Timestamp("2026-11-16"), pd.Timestamp("2026-11-17"), pd.Timestamp("2026-11-18")
    facts = pd.DataFrame(
        {
            "person_id": ["budi", "ani", "cici", "budi", "ani"],
            "date": [d1, d1, d2, d2, d3],
            "revenue": [10.0, 20.0, 40.0, 5.0, 1000.0],
        }
    )
    sums = periods._Actuals(facts, people).between("revenue", d1, d2)  # d3's 1000 is outside
    # company 10 + 20 + 40 + 5 = 75; ani 20; budi 10 + 5 = 15; cici 40; east = cici 40;
    # west = ani + budi = 35 (sorted by scope, then id)
    assert sums.index.tolist() == [
        ("company", ""),
        ("person", "ani"),
        ("person", "budi"),
        ("person", "cici"),
        ("team", "east"),
        ("team", "west"),
    ]
    assert sums.tolist() == [75.0, 20.0, 15.0, 40.0, 40.0, 35.0]


def test_all_periods_reuses_the_current_periods_alike(metrics):
    day = pd.Timestamp(metrics.as_of)
    args = (metrics.targets, metrics.facts, metrics.people, metrics.calendar, day, metrics.pace_at_risk)
    plain = periods.all_periods(*args)
    # Metrics.all_periods hands over Metrics.periods, period_metrics as of the same day
    pd.testing.assert_frame_equal(metrics.all_periods, plain, check_exact=True)
    pd.testing.assert_frame_equal(
        periods.all_periods(*args, current=metrics.periods), plain, check_exact=True
    )
    assert (plain["phase"] == "current").sum() == len(metrics.periods)
