"""Invariants on generated data: team sums equal their people, the company its teams, and a
period's daily targets add up to the period's target."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from fixtures import write_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports_gen.metrics.report import compute_report
from reports_gen.metrics.weekly import WEEKLY_METRICS

REPS = ("andi", "budi", "citra")
OUTLETS = ("O1", "O2", "O3", "O4")
PEOPLE_TEAM = {"andi": "east", "budi": "east", "citra": "west", "dewi": "west"}
COUNT_METRICS = [
    m
    for m in WEEKLY_METRICS
    if m
    not in (
        "ec_ratio",
        "pjp_rate",
        "drop_size",
        "coverage",
        "activity_rate",
        "win_rate",
        "attainment",
        "revenue_target",
    )
]

call_rows = st.lists(
    st.tuples(
        st.integers(0, 13),  # day offset from Mon 16 Nov (two weeks)
        st.sampled_from(REPS),
        st.sampled_from(OUTLETS),
        st.sampled_from([(True, True), (True, False), (False, True)]),
        st.integers(0, 5_000_000),
        st.integers(0, 40),
    ),
    max_size=40,
)


def calls_csv(rows, start: dt.date) -> dict[str, str]:
    files: dict[str, list[str]] = {}
    seen = set()
    for offset, rep, outlet, (planned, visited), value, units in rows:
        day = start + dt.timedelta(days=offset)
        if day < dt.date(2026, 11, 18) and rep == "budi":
            rep = "andi"  # budi starts on the 18th
        if (day, rep, outlet) in seen:
            continue
        seen.add((day, rep, outlet))
        week = f"{day.isocalendar()[0]}-W{day.isocalendar()[1]:02d}"
        value, units = (value, units) if visited else (0, 0)
        flags = f"{'ya' if planned else 'tidak'},{'ya' if visited else 'tidak'}"
        files.setdefault(week, []).append(f"{day},{rep},{outlet},{flags},{value},{units},,")
    header = "date,rep_id,outlet_id,planned,visited,order_value,units,no_order_reason,notes\n"
    out = {f"weeks/{w}/calls.csv": header for w in ("2026-W47", "2026-W48")}
    out |= {f"weeks/{w}/calls.csv": header + "\n".join(lines) + "\n" for w, lines in files.items()}
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=call_rows)
def test_team_and_company_sums(rows):
    with tempfile.TemporaryDirectory() as tmp:
        data = write_data(Path(tmp) / "data", calls_csv(rows, dt.date(2026, 11, 16)))
        weekly = compute_report(data).metrics.weekly
    people = weekly[weekly["scope"] == "person"].assign(team=lambda f: f["id"].map(PEOPLE_TEAM))
    teams = weekly[weekly["scope"] == "team"].set_index(["week", "id"])[COUNT_METRICS]
    summed = people.groupby(["week", "team"])[COUNT_METRICS].sum()
    summed.index.names = ["week", "id"]
    pd.testing.assert_frame_equal(teams.sort_index(), summed.sort_index(), check_dtype=False)
    company = weekly[weekly["scope"] == "company"].set_index("week")[COUNT_METRICS]
    by_teams = teams.groupby("week").sum()
    pd.testing.assert_frame_equal(company.sort_index(), by_teams.sort_index(), check_dtype=False)
    # ratios are ratios of the sums
    comp = weekly[weekly["scope"] == "company"]
    expected = comp["effective_calls"] / comp["actual_calls"].where(comp["actual_calls"] > 0)
    pd.testing.assert_series_equal(comp["ec_ratio"], expected, check_names=False)


periods = st.sampled_from(
    ["2026", "2026-H2", "2026-Q4", "2026-11", "2026-12", "2026-W47", "2026-W53", "2027-01"]
)


@settings(max_examples=40, deadline=None)
@given(
    period=periods,
    value=st.integers(1, 10**10),
    split=st.sampled_from(["working_days", "calendar_days"]),
    scope=st.sampled_from(["company", "team:east", "person:budi"]),
    weekdays=st.sampled_from(["[mon, tue, wed, thu, fri]", "[mon, tue, wed, thu, fri, sat]", "[sun]"]),
    country=st.sampled_from(["", "  country: ID\n"]),
)
def test_daily_targets_sum_to_the_period_target(period, value, split, scope, weekdays, country):
    targets = (
        f'targets:\n  - {{period: {period}, scope: "{scope}", metric: units, value: {value}, '
        f"split: {split}}}\n"
    )
    config = f"working_days: {weekdays}\nholidays:\n{country}  extra: [2026-12-24]\n"
    with tempfile.TemporaryDirectory() as tmp:
        data = write_data(Path(tmp) / "data", {"targets.yaml": targets, "config.yaml": config})
        plan = compute_report(data).metrics.targets
    own = plan.daily[plan.daily["scope"] == scope.split(":")[0]]
    assert own["daily"].sum() == pytest.approx(value, rel=1e-9)
    assert (own["daily"] >= 0).all()
