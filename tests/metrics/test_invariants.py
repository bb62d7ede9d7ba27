"""Invariants on generated data: team sums equal their people, the company its teams, a
period's daily targets add up to the period's target, and the one target rule of SPEC
section 3 over random teams, target sets of every period kind and start/end dates."""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from fixtures import write_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports_gen.metrics.report import compute_report
from reports_gen.metrics.weekly import WEEKLY_METRICS
from reports_gen.workcalendar import WorkCalendar, parse_period, parse_week, person_days, week_codes

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


# -- the one target rule over random organisations and target sets ------------------------------

TEAMS = ("t1", "t2", "t3")
PERIODS = (
    "2026",
    "2026-H2",
    "2026-Q4",
    "2026-10",
    "2026-11",
    "2026-12",
    "2026-W47",
    "2026-W48",
    "2027-Q1",
    "2027-01",
)
day_in_q4 = st.integers(0, 91).map(lambda n: dt.date(2026, 10, 1) + dt.timedelta(days=n))
people_st = st.lists(
    st.tuples(st.sampled_from(TEAMS), st.none() | day_in_q4, st.none() | day_in_q4),
    min_size=1,
    max_size=5,
)
target_st = st.lists(
    st.tuples(
        st.sampled_from(PERIODS),
        st.integers(0, 5),  # 0: company, 1-3: a team, 4-5: a person (by position)
        st.integers(1, 10**9),
        st.sampled_from(["working_days", "calendar_days"]),
    ),
    max_size=8,
)


def organisation(people, targets) -> dict[str, str]:
    team_lines, person_lines, target_lines = ["teams:"], ["people:"], ["targets:"]
    for team in TEAMS:
        team_lines.append(f"  - {{id: {team}, name: Team {team}}}")
    for i, (team, start, end) in enumerate(people):
        if start and end and end < start:
            start, end = end, start
        bounds = (f", start: {start}" if start else "") + (f", end: {end}" if end else "")
        person_lines.append(f"  - {{id: p{i}, name: Person {i}, role: sales, team: {team}{bounds}}}")
    seen = set()
    for period, who, value, split in targets:
        scope = (
            "company"
            if who == 0
            else f"team:{TEAMS[who - 1]}"
            if who <= 3
            else f"person:p{(who - 4) % len(people)}"
        )
        if (period, scope) in seen:
            continue
        seen.add((period, scope))
        target_lines.append(
            f'  - {{period: {period}, scope: "{scope}", metric: revenue, value: {value}, split: {split}}}'
        )
    header = "date,rep_id,outlet_id,planned,visited,order_value,units,no_order_reason,notes\n"
    outlets = "outlet_id,name,type,area,rep_id,visits_per_week\nO1,Toko,store,A,p0,1\n"
    return {
        "team.yaml": "\n".join(team_lines + person_lines) + "\n",
        "targets.yaml": "\n".join(target_lines) + ("\n" if len(target_lines) > 1 else " []\n"),
        "outlets.csv": outlets,
        **{f"weeks/{w}/{name}": None for w in ("2026-W47",) for name in ("sales.csv", "activities.csv")},
        "weeks/2026-W47/prospects.csv": None,
        **{f"weeks/{w}/calls.csv": header for w in ("2026-W44", "2026-W47", "2026-W49", "2026-W53")},
    }


@settings(max_examples=30, deadline=None)
@given(people=people_st, targets=target_st)
def test_the_one_target_rule(people, targets):
    with tempfile.TemporaryDirectory() as tmp:
        data = write_data(Path(tmp) / "data", organisation(people, targets))
        metrics = compute_report(data, as_of=dt.date(2026, 11, 25)).metrics
    plan, org = metrics.targets, metrics.people
    effective = dict(
        zip(
            zip(plan.effective["scope"], plan.effective["id"], plan.effective["date"], strict=True),
            plan.effective["target"],
            strict=True,
        )
    )
    own_days = plan.daily.merge(plan.own[["period", "scope", "id", "metric"]])
    covered = set(zip(own_days["scope"], own_days["id"], own_days["date"], strict=True))

    # 1. A team or the company on a day without an own target: the sum of its members' daily
    #    targets that day, over those that have one; no daily target when none has.
    members = {("team", t): [("person", p) for p in org.index[org["team"] == t]] for t in TEAMS}
    members[("company", "")] = [("team", t) for t in TEAMS]
    for (scope, ident), parts in members.items():
        for day in pd.date_range("2026-01-01", "2027-03-31"):
            if (scope, ident, day) in covered:
                continue
            have = [effective[(s, i, day)] for s, i in parts if (s, i, day) in effective]
            got = effective.get((scope, ident, day))
            if not have:
                assert got is None, (scope, ident, day)
            else:
                assert got == pytest.approx(sum(have), rel=1e-9, abs=1e-6), (scope, ident, day)

    # 2. Every weekly revenue_target is the sum of the week's daily targets (empty when none).
    dates = pd.to_datetime(plan.effective["date"])
    by_week = plan.effective.assign(week=week_codes(dates) if len(dates) else "")
    sums = by_week.groupby(["week", "scope", "id"])["target"].sum()
    for row in metrics.weekly.itertuples():
        key = (row.week, row.scope, row.id)
        if key in sums.index:
            assert row.revenue_target == pytest.approx(sums[key], rel=1e-9, abs=1e-6), key
        else:
            assert math.isnan(row.revenue_target), key

    # 3. A scope with its own target for exactly P shows that value as P's target.
    every = metrics.all_periods.set_index(["period", "scope", "id", "metric"])
    assert every.index.is_unique
    for row in plan.own.itertuples():
        assert every.loc[(row.period, row.scope, row.id, row.metric), "target"] == row.value

    # 4. A person's working-day target sums to its value over their working days in P, 0 elsewhere.
    calendar = WorkCalendar()  # the default Mon-Fri of the data, no holidays
    for row in plan.own[(plan.own["scope"] == "person") & (plan.own["split"] == "working_days")].itertuples():
        spread = own_days[(own_days["period"] == row.period) & (own_days["id"] == row.id)]
        spread = spread[spread["scope"] == "person"].set_index("date")["daily"]
        grid = person_days(org.loc[[row.id]], calendar, row.start, row.end).set_index("date")["working"]
        assert (spread[~grid.reindex(spread.index).to_numpy()] == 0).all()
        expected = row.value if grid.any() else 0.0  # nobody to spread it over: 0 every day
        assert spread.sum() == pytest.approx(expected, rel=1e-9)


def reference_daily(people, targets):
    """The rule of SPEC section 3 written out day by day, independently of the code under test.

    Returns {(scope, id): {date: daily}} for revenue and {(period, scope, id): own value}.
    """
    calendar = WorkCalendar()  # Mon-Fri, no holidays: the data's config
    bounds = {}
    for i, (_, start, end) in enumerate(people):
        if start and end and end < start:
            start, end = end, start
        bounds[f"p{i}"] = (start, end)
    own: dict[tuple[str, str], dict[str, dict]] = {}
    values = {}
    seen = set()
    for period, who, value, split in targets:
        scope, ident = (
            ("company", "")
            if who == 0
            else ("team", TEAMS[who - 1])
            if who <= 3
            else ("person", f"p{(who - 4) % len(people)}")
        )
        if (period, f"{scope}:{ident}") in seen:
            continue
        seen.add((period, f"{scope}:{ident}"))
        p = parse_period(period)
        days = [p.start + dt.timedelta(days=n) for n in range(p.days)]

        def works(day, ident=ident, scope=scope):
            ok = bool(calendar.working_mask(pd.DatetimeIndex([day]))[0])
            if scope == "person":
                start, end = bounds[ident]
                ok = ok and (start is None or day >= start) and (end is None or day <= end)
            return ok

        weights = [1.0 if split == "calendar_days" else float(works(d)) for d in days]
        total = sum(weights)
        daily = {d: (value * w / total if total else 0.0) for d, w in zip(days, weights, strict=True)}
        own.setdefault((scope, ident), {})[period] = {"rank": p.rank, "daily": daily}
        values[(period, scope, ident)] = float(value)

    def finest(key):
        out, rank = {}, {}
        for target in own.get(key, {}).values():
            for day, amount in target["daily"].items():
                if day not in rank or target["rank"] < rank[day]:
                    out[day], rank[day] = amount, target["rank"]
        return out

    eff = {("person", f"p{i}"): finest(("person", f"p{i}")) for i in range(len(people))}
    for team in TEAMS:
        members = [eff[("person", f"p{i}")] for i, (t, _, _) in enumerate(people) if t == team]
        eff[("team", team)] = _own_else_sum(finest(("team", team)), members)
    eff[("company", "")] = _own_else_sum(finest(("company", "")), [eff[("team", t)] for t in TEAMS])
    return eff, values


def _own_else_sum(mine, members):
    out = dict(mine)
    for member in members:
        for day, amount in member.items():
            if day not in mine:
                out[day] = out.get(day, 0.0) + amount
    return out


@settings(max_examples=25, deadline=None)
@given(people=people_st, targets=target_st)
def test_targets_match_a_day_by_day_reference(people, targets):
    as_of = dt.date(2026, 11, 25)
    with tempfile.TemporaryDirectory() as tmp:
        data = write_data(Path(tmp) / "data", organisation(people, targets))
        metrics = compute_report(data, as_of=as_of).metrics
    eff, values = reference_daily(people, targets)
    # Weekly revenue_target: the week's daily targets summed, empty when no day has one.
    for row in metrics.weekly.itertuples():
        week = parse_week(row.week)
        days = [d for d in eff[(row.scope, row.id)] if week.start <= d <= week.end]
        if days:
            expected = sum(eff[(row.scope, row.id)][d] for d in days)
            assert row.revenue_target == pytest.approx(expected, rel=1e-9, abs=1e-6), row
        else:
            assert math.isnan(row.revenue_target), row
    # Period rows as of D: which exist, their target and expected to date.
    team_of = {f"p{i}": team for i, (team, _, _) in enumerate(people)}
    expected_rows = set()
    for period, scope, ident in values:
        p = parse_period(period)
        if not p.start <= as_of <= p.end:
            continue
        expected_rows.add((period, scope, ident))
        if scope == "person":
            expected_rows.add((period, "team", team_of[ident]))
        if scope != "company":
            expected_rows.add((period, "company", ""))
    got = metrics.periods
    assert set(zip(got["period"], got["scope"], got["id"], strict=True)) == expected_rows
    for row in got.itertuples():
        p = parse_period(row.period)
        series = eff[(row.scope, row.id)]
        if (row.period, row.scope, row.id) in values:
            target = values[(row.period, row.scope, row.id)]
            own = reference_own(people, targets, row.period, row.scope, row.id)
            to_date = sum(v for d, v in own.items() if d <= as_of)
        else:
            target = sum(v for d, v in series.items() if p.start <= d <= p.end)
            to_date = sum(v for d, v in series.items() if p.start <= d <= as_of)
        assert row.target == pytest.approx(target, rel=1e-9, abs=1e-6), row
        assert row.expected_to_date == pytest.approx(to_date, rel=1e-9, abs=1e-6), row


def reference_own(people, targets, period, scope, ident):
    """The own daily breakdown of one target, from reference_daily's own table."""
    only = [t for t in targets if t[0] == period]
    eff, _ = reference_daily(people, only)  # with only this period's targets, the own one is the finest
    return eff[(scope, ident)]
