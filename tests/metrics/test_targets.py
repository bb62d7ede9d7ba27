"""The one target rule of SPEC section 3, on hand-computed cases.

Base data (tests/fixtures.py): Mon-Fri working, no public holidays; east = andi and budi
(budi starts Wed 18 Nov 2026), west = citra and dewi. Working days: October 2026 has 22,
November 21 (2-6, 9-13, 16-20, 23-27, 30), December 23, so Q4 has 66. Week 2026-W47 is
Mon 16 .. Sun 22 Nov, W48 Mon 23 .. Sun 29 Nov, W49 Mon 30 Nov .. Sun 6 Dec.
W47 revenue: andi 750000 (500000 + 250000), budi 0, citra 400000 (300000 + 100000 sale).
"""

from __future__ import annotations

import datetime as dt

import pytest
from fixtures import CONFIG, TEAM

from reports_gen.metrics.report import compute_report

HEADER_CALLS = "date,rep_id,outlet_id,planned,visited,order_value,units,no_order_reason,notes\n"
NOV_22 = dt.date(2026, 11, 22)
EMPTY_WEEKS = {f"weeks/{w}/calls.csv": HEADER_CALLS for w in ("2026-W48", "2026-W49")}


def targets_file(*lines: str) -> str:
    return "targets:\n" + "".join(f"  - {{{line}}}\n" for line in lines)


def revenue(period: str, scope: str, value: int) -> str:
    return f'period: {period}, scope: "{scope}", metric: revenue, value: {value}'


def week_target(rep, week: str, scope: str, ident: str) -> float:
    w = rep.metrics.weekly
    row = w[(w["week"] == week) & (w["scope"] == scope) & (w["id"] == ident)]
    assert len(row) == 1, (week, scope, ident)
    return row.iloc[0]["revenue_target"]


def period_row(rep, code: str, scope: str, ident: str):
    p = rep.metrics.periods
    row = p[(p["period"] == code) & (p["scope"] == scope) & (p["id"] == ident) & (p["metric"] == "revenue")]
    assert len(row) == 1, (code, scope, ident)
    return row.iloc[0]


def has_row(rep, code: str, scope: str, ident: str) -> bool:
    p = rep.metrics.periods
    return bool(((p["period"] == code) & (p["scope"] == scope) & (p["id"] == ident)).any())


def test_mixed_periods_among_members_and_teams(make_data):
    # andi: November (monthly), budi: Q4 (quarterly, from his start), citra: Q4; nobody else.
    targets = targets_file(
        revenue("2026-11", "person:andi", 2_100_000),  # 21 days -> 100000 a day
        revenue("2026-Q4", "person:budi", 3_200_000),  # budi's Q4 days: 9 in Nov + 23 in Dec = 32 -> 100000
        revenue("2026-Q4", "person:citra", 6_600_000),  # 66 days -> 100000 a day
    )
    rep = compute_report(make_data({"targets.yaml": targets, **EMPTY_WEEKS}), as_of=NOV_22)
    # W47: andi Mon-Fri 5 x 100000; budi Wed-Fri 3 x 100000; citra 5 x 100000.
    assert week_target(rep, "2026-W47", "person", "andi") == pytest.approx(500_000)
    assert week_target(rep, "2026-W47", "person", "budi") == pytest.approx(300_000)
    assert week_target(rep, "2026-W47", "team", "east") == pytest.approx(800_000)  # 500000 + 300000
    assert week_target(rep, "2026-W47", "team", "west") == pytest.approx(500_000)  # citra alone
    # The company is the sum of both teams, not east's monthly targets alone: 800000 + 500000.
    assert week_target(rep, "2026-W47", "company", "") == pytest.approx(1_300_000)
    # Period rows as of Sun 22 Nov. November exists for andi (own), east and the company (andi
    # is a member), not for west (no member has a November target).
    assert period_row(rep, "2026-11", "person", "andi")["target"] == 2_100_000
    east_nov = period_row(rep, "2026-11", "team", "east")
    # east over November: andi 2100000 + budi's Q4 share of November, 9 days x 100000.
    assert east_nov["target"] == pytest.approx(3_000_000)
    # expected to Sun 22: andi Nov 2-20 = 15 days x 100000 + budi Nov 18-20 = 3 x 100000.
    assert east_nov["expected_to_date"] == pytest.approx(1_800_000)
    assert east_nov["actual"] == 750_000  # andi 750000 + budi 0
    company_nov = period_row(rep, "2026-11", "company", "")
    # east 3000000 + west (citra 21 November days x 100000) 2100000.
    assert company_nov["target"] == pytest.approx(5_100_000)
    # 1800000 (east) + citra 15 days x 100000.
    assert company_nov["expected_to_date"] == pytest.approx(3_300_000)
    assert not has_row(rep, "2026-11", "team", "west")
    # Q4: budi and citra own; east: Oct 0 (budi's target is 0 before his start, andi has none)
    # + Nov 3000000 + Dec budi 23 x 100000 = 5300000; company = 5300000 + citra 6600000.
    assert period_row(rep, "2026-Q4", "person", "budi")["target"] == 3_200_000
    assert period_row(rep, "2026-Q4", "team", "east")["target"] == pytest.approx(5_300_000)
    assert period_row(rep, "2026-Q4", "team", "west")["target"] == pytest.approx(6_600_000)
    assert period_row(rep, "2026-Q4", "company", "")["target"] == pytest.approx(11_900_000)
    # company Q4 expected to Sun 22: October: citra 22 x 100000; November: 3300000 as above.
    assert period_row(rep, "2026-Q4", "company", "")["expected_to_date"] == pytest.approx(5_500_000)


def test_company_target_coarser_than_its_people(make_data):
    targets = targets_file(
        revenue("2026-Q4", "company", 6_600_000),  # 66 days -> 100000 a day
        revenue("2026-11", "person:andi", 2_100_000),  # 100000 a day
        revenue("2026-11", "person:citra", 4_200_000),  # 200000 a day
    )
    rep = compute_report(make_data({"targets.yaml": targets}))
    # The people and teams: andi 5 x 100000, citra 5 x 200000.
    assert week_target(rep, "2026-W47", "team", "east") == pytest.approx(500_000)
    assert week_target(rep, "2026-W47", "team", "west") == pytest.approx(1_000_000)
    # The company's own Q4 target is never overridden by its people's sum (1500000): 5 x 100000.
    assert week_target(rep, "2026-W47", "company", "") == pytest.approx(500_000)
    company_q4 = period_row(rep, "2026-Q4", "company", "")
    assert company_q4["target"] == 6_600_000
    # Oct 22 + Nov 2-20 15 = 37 working days elapsed x 100000.
    assert company_q4["expected_to_date"] == pytest.approx(3_700_000)
    # The company's November row (its people have November targets): its own daily target over
    # November, 21 x 100000; attainment = 1150000 / 2100000.
    company_nov = period_row(rep, "2026-11", "company", "")
    assert company_nov["target"] == pytest.approx(2_100_000)
    assert company_nov["attainment"] == pytest.approx(1_150_000 / 2_100_000)
    assert period_row(rep, "2026-11", "team", "west")["target"] == pytest.approx(4_200_000)


def test_team_target_coarser_than_its_people(make_data):
    targets = targets_file(
        revenue("2026-Q4", "team:east", 6_600_000),  # 100000 a company working day
        revenue("2026-11", "person:andi", 4_200_000),  # 200000 a day
    )
    rep = compute_report(make_data({"targets.yaml": targets}))
    assert week_target(rep, "2026-W47", "person", "andi") == pytest.approx(1_000_000)  # 5 x 200000
    assert week_target(rep, "2026-W47", "team", "east") == pytest.approx(500_000)  # own Q4: 5 x 100000
    # The company has no target: the sum of its teams that have one, east alone.
    assert week_target(rep, "2026-W47", "company", "") == pytest.approx(500_000)
    # east's November row (andi's target): east's own daily target over November, 21 x 100000.
    assert period_row(rep, "2026-11", "team", "east")["target"] == pytest.approx(2_100_000)
    assert period_row(rep, "2026-11", "company", "")["target"] == pytest.approx(2_100_000)
    assert period_row(rep, "2026-Q4", "team", "east")["target"] == 6_600_000
    assert period_row(rep, "2026-Q4", "company", "")["target"] == pytest.approx(6_600_000)


def test_leaver_and_joiner_with_monthly_targets(make_data):
    # eko leaves on Wed 18 Nov; budi starts that day.
    team = TEAM + "  - {id: eko, name: Eko Prasetyo, role: sales, team: east, end: 2026-11-18}\n"
    targets = targets_file(
        revenue("2026-11", "person:eko", 1_300_000),  # Nov 2-6, 9-13, 16-18: 13 days -> 100000
        revenue("2026-11", "person:budi", 900_000),  # Nov 18-20, 23-27, 30: 9 days -> 100000
    )
    files = {"team.yaml": team, "targets.yaml": targets, **EMPTY_WEEKS}
    rep = compute_report(make_data(files), as_of=NOV_22)
    assert week_target(rep, "2026-W47", "person", "eko") == pytest.approx(300_000)  # Mon-Wed
    assert week_target(rep, "2026-W47", "person", "budi") == pytest.approx(300_000)  # Wed-Fri
    assert week_target(rep, "2026-W47", "team", "east") == pytest.approx(600_000)
    assert week_target(rep, "2026-W48", "person", "eko") == 0  # gone: his target is 0 each day
    assert week_target(rep, "2026-W48", "team", "east") == pytest.approx(500_000)  # budi 5 x 100000
    eko = period_row(rep, "2026-11", "person", "eko")
    assert eko["expected_to_date"] == pytest.approx(1_300_000)  # all his 13 days are past
    assert eko["projection"] == 0  # 0 sold / 13 elapsed x 13
    assert eko["required_per_day"] != eko["required_per_day"]  # none of his days remain: empty
    budi = period_row(rep, "2026-11", "person", "budi")
    assert budi["expected_to_date"] == pytest.approx(300_000)  # Wed 18 - Fri 20
    assert budi["required_per_day"] == pytest.approx(150_000)  # 900000 over his 6 remaining days
    east = period_row(rep, "2026-11", "team", "east")
    assert east["target"] == pytest.approx(2_200_000)  # 1300000 + 900000
    assert east["expected_to_date"] == pytest.approx(1_600_000)  # 1300000 + 300000
    # A team counts the company's working days: 21 in November, 15 elapsed, 6 remaining;
    # actual 750000 (andi, who has no target, still sells for east).
    assert east["required_per_day"] == pytest.approx((2_200_000 - 750_000) / 6)
    assert east["projection"] == pytest.approx(750_000 / 15 * 21)


def test_week_straddling_two_months_monthly_and_quarterly_members(make_data):
    targets = targets_file(
        revenue("2026-11", "person:andi", 2_100_000),  # 100000 a day
        revenue("2026-12", "person:andi", 4_600_000),  # 23 days -> 200000 a day
        revenue("2026-Q4", "person:budi", 3_200_000),  # 32 days from his start -> 100000 a day
    )
    rep = compute_report(make_data({"targets.yaml": targets, **EMPTY_WEEKS}), as_of=dt.date(2026, 12, 2))
    # W49: andi Mon 30 Nov 100000 + Tue 1 .. Fri 4 Dec 4 x 200000; budi 5 x 100000.
    assert week_target(rep, "2026-W49", "person", "andi") == pytest.approx(900_000)
    assert week_target(rep, "2026-W49", "person", "budi") == pytest.approx(500_000)
    assert week_target(rep, "2026-W49", "team", "east") == pytest.approx(1_400_000)
    assert week_target(rep, "2026-W49", "company", "") == pytest.approx(1_400_000)
    # As of Wed 2 Dec: east's December = andi 4600000 + budi 23 x 100000; expected Dec 1-2:
    # andi 2 x 200000 + budi 2 x 100000.
    east_dec = period_row(rep, "2026-12", "team", "east")
    assert east_dec["target"] == pytest.approx(6_900_000)
    assert east_dec["expected_to_date"] == pytest.approx(600_000)
    assert set(rep.metrics.periods["period"]) == {"2026-12", "2026-Q4"}  # November has ended
    # November is now a past period, computed as of its last day (Mon 30 Nov): east expected
    # everything, andi 2100000 + budi's 9 November days x 100000.
    every = rep.metrics.all_periods
    east_nov = every[(every["period"] == "2026-11") & (every["scope"] == "team")].iloc[0]
    assert east_nov["phase"] == "past"
    assert east_nov["target"] == pytest.approx(3_000_000)
    assert east_nov["expected_to_date"] == pytest.approx(3_000_000)


def test_every_target_period_with_phases(make_data):
    targets = targets_file(
        revenue("2026-11", "person:andi", 2_100_000),
        revenue("2026-12", "person:andi", 4_600_000),
    )
    rep = compute_report(make_data({"targets.yaml": targets, **EMPTY_WEEKS}), as_of=dt.date(2026, 11, 25))
    every = rep.metrics.all_periods
    keys = zip(every["period"], every["scope"], every["id"], strict=True)
    phases = dict(zip(keys, every["phase"], strict=True))
    assert phases[("2026-11", "person", "andi")] == "current"
    assert phases[("2026-12", "company", "")] == "upcoming"  # andi's December, summed up
    december = every[(every["period"] == "2026-12") & (every["scope"] == "company")].iloc[0]
    assert december["target"] == pytest.approx(4_600_000)
    assert december["status"] == "upcoming"


def test_the_guide_example(make_data):
    # The worked example of guide/metrics.md: Mon-Fri with Indonesian holidays, so Q4 2026 has
    # 22 + 21 + 22 (Christmas off) = 65 working days; budi works the whole month here.
    config = CONFIG + "holidays:\n  country: ID\n"
    team = TEAM.replace(", start: 2026-11-18", "")
    lines = (
        revenue("2026-11", "person:andi", 2_100_000),  # 100000 a day
        revenue("2026-11", "person:budi", 1_050_000),  # 50000 a day
        revenue("2026-Q4", "person:citra", 6_500_000),  # 100000 a day
    )
    files = {"config.yaml": config, "team.yaml": team, "weeks/2026-W49/calls.csv": HEADER_CALLS}
    rep = compute_report(make_data({**files, "targets.yaml": targets_file(*lines)}), as_of=NOV_22)
    assert week_target(rep, "2026-W47", "team", "east") == pytest.approx(750_000)  # 5 x 150000
    assert week_target(rep, "2026-W47", "company", "") == pytest.approx(1_250_000)  # + 5 x 100000
    assert week_target(rep, "2026-W49", "team", "east") == pytest.approx(150_000)  # Mon 30 Nov only
    assert week_target(rep, "2026-W49", "company", "") == pytest.approx(650_000)  # + citra 500000
    assert period_row(rep, "2026-11", "company", "")["target"] == pytest.approx(
        5_250_000
    )  # 3150000 + 21 x 100000
    assert not has_row(rep, "2026-11", "team", "west")
    assert period_row(rep, "2026-Q4", "company", "")["target"] == pytest.approx(
        9_650_000
    )  # 6500000 + 3150000
    own = revenue("2026-Q4", "company", 9_100_000)  # 140000 a working day
    rep = compute_report(make_data({**files, "targets.yaml": targets_file(*lines, own)}), as_of=NOV_22)
    assert week_target(rep, "2026-W47", "company", "") == pytest.approx(700_000)  # 5 x 140000
    assert week_target(rep, "2026-W47", "team", "east") == pytest.approx(750_000)  # unchanged
    assert period_row(rep, "2026-11", "company", "")["target"] == pytest.approx(2_940_000)  # 21 x 140000
    assert period_row(rep, "2026-Q4", "company", "")["target"] == 9_100_000
