"""Metrics, targets and alerts on small data sets whose expected figures are derived by hand.

Base data (tests/conftest.py), week 2026-W47 = Mon 16 .. Sun 22 Nov 2026, Mon-Fri working,
no public holidays: andi and budi (east; budi starts Wed 18), citra (west, sales),
dewi (west, marketing). November 2026 has 21 weekdays; Q4 2026 has 22 + 21 + 23 = 66.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from fixtures import CALLS_W47, CONFIG, PROSPECTS_W47

from reports_gen.metrics.report import compute_report

HEADER_CALLS = "date,rep_id,outlet_id,planned,visited,order_value,units,no_order_reason,notes\n"


def report(make_data, files=None, as_of=None):
    return compute_report(make_data(files or {}), as_of=as_of)


def weekly(rep, week, scope, ident, metric):
    w = rep.metrics.weekly
    row = w[(w["week"] == week) & (w["scope"] == scope) & (w["id"] == ident)]
    assert len(row) == 1, (week, scope, ident)
    return row.iloc[0][metric]


def period(rep, code, scope, ident, metric="revenue"):
    p = rep.metrics.periods
    row = p[(p["period"] == code) & (p["scope"] == scope) & (p["id"] == ident) & (p["metric"] == metric)]
    assert len(row) == 1, (code, scope, ident, metric)
    return row.iloc[0]


def targets_file(*lines: str) -> str:
    return "targets:\n" + "".join(f"  - {line}\n" for line in lines)


# -- weekly metrics ----------------------------------------------------------------------------


def test_person_week_counts(make_data):
    rep = report(make_data)
    # andi: O1 planned+visited 500000 (5 units), O2 planned not visited, O2 unplanned visit 250000 (2).
    assert weekly(rep, "2026-W47", "person", "andi", "revenue") == 750_000
    assert weekly(rep, "2026-W47", "person", "andi", "units") == 7
    assert weekly(rep, "2026-W47", "person", "andi", "actual_calls") == 2
    assert weekly(rep, "2026-W47", "person", "andi", "effective_calls") == 2
    assert weekly(rep, "2026-W47", "person", "andi", "planned_calls") == 2
    assert weekly(rep, "2026-W47", "person", "andi", "planned_visited") == 1
    assert weekly(rep, "2026-W47", "person", "andi", "missed_calls") == 1
    assert weekly(rep, "2026-W47", "person", "andi", "unplanned_calls") == 1
    assert weekly(rep, "2026-W47", "person", "andi", "pjp_rate") == 0.5  # 1 planned visited / 2 planned
    assert weekly(rep, "2026-W47", "person", "andi", "drop_size") == 375_000  # 750000 / 2 EC
    # andi works Mon-Fri (5 days) and logged on Mon 16 and Thu 19.
    assert weekly(rep, "2026-W47", "person", "andi", "working_days") == 5
    assert weekly(rep, "2026-W47", "person", "andi", "active_days") == 2
    assert weekly(rep, "2026-W47", "person", "andi", "log_gap_days") == 3


def test_person_bounded_working_days(make_data):
    rep = report(make_data)
    # budi starts Wed 18: working Wed, Thu, Fri; one call on Wed.
    assert weekly(rep, "2026-W47", "person", "budi", "working_days") == 3
    assert weekly(rep, "2026-W47", "person", "budi", "active_days") == 1
    assert weekly(rep, "2026-W47", "person", "budi", "log_gap_days") == 2


def test_team_ratio_is_ratio_of_sums(make_data):
    rep = report(make_data)
    # east: andi EC 2 / AC 2 = 1.0 and budi 0 / 1 = 0.0; average of ratios would be 0.5,
    # the ratio of sums is (2 + 0) / (2 + 1) = 2/3.
    assert weekly(rep, "2026-W47", "team", "east", "ec_ratio") == pytest.approx(2 / 3)
    assert weekly(rep, "2026-W47", "team", "east", "pjp_rate") == pytest.approx(2 / 3)  # (1+1)/(2+1)
    # company: EC 2+0+1 = 3, AC 2+1+1 = 4.
    assert weekly(rep, "2026-W47", "company", "", "ec_ratio") == 0.75
    # revenue: calls 500000+250000+300000 plus the whatsapp sale 100000.
    assert weekly(rep, "2026-W47", "company", "", "revenue") == 1_150_000
    assert weekly(rep, "2026-W47", "company", "", "units") == 11  # 5 + 2 + 3 + 1
    # drop size counts call revenue only: 1050000 / 3 EC.
    assert weekly(rep, "2026-W47", "company", "", "drop_size") == 350_000
    # working days summed over people: 5 + 3 + 5 + 5; active 2 + 1 + 2 + 3.
    assert weekly(rep, "2026-W47", "company", "", "working_days") == 18
    assert weekly(rep, "2026-W47", "company", "", "active_days") == 8


def test_empty_ratios_are_undefined(make_data):
    rep = report(make_data)
    # dewi (marketing) has no calls and no outlets: every call ratio is undefined, not 0.
    for metric in ("ec_ratio", "pjp_rate", "drop_size", "coverage", "win_rate"):
        assert math.isnan(weekly(rep, "2026-W47", "person", "dewi", metric)), metric
    # west has no revenue target at all.
    assert math.isnan(weekly(rep, "2026-W47", "team", "west", "revenue_target"))
    assert math.isnan(weekly(rep, "2026-W47", "team", "west", "attainment"))


def test_coverage_and_activities(make_data):
    rep = report(make_data)
    # andi's outlets O1 and O2 were both visited; budi's O3 too; O4 by citra.
    assert weekly(rep, "2026-W47", "person", "andi", "outlets_assigned") == 2
    assert weekly(rep, "2026-W47", "person", "andi", "outlets_visited") == 2
    assert weekly(rep, "2026-W47", "company", "", "coverage") == 1.0
    # dewi: demo planned+done, promotion planned not done, meeting done unplanned.
    assert weekly(rep, "2026-W47", "person", "dewi", "activities_done") == 2
    assert weekly(rep, "2026-W47", "person", "dewi", "activities_planned") == 2
    assert weekly(rep, "2026-W47", "person", "dewi", "activities_missed") == 1
    assert weekly(rep, "2026-W47", "person", "dewi", "activity_rate") == 0.5  # 1 planned-and-done / 2
    assert weekly(rep, "2026-W47", "person", "dewi", "new_prospects") == 1


def test_outlet_visited_by_another_rep_counts_for_its_owner(make_data):
    calls = CALLS_W47 + "2026-11-20,andi,O4,no,yes,0,0,,\n" + "2026-11-20,citra,O3,no,yes,0,0,,\n"
    calls = calls.replace("2026-11-18,budi,O3,yes,yes", "2026-11-18,budi,O3,yes,no")
    rep = report(make_data, {"weeks/2026-W47/calls.csv": calls})
    # O3 (budi's) was visited only by citra: still covered for budi.
    assert weekly(rep, "2026-W47", "person", "budi", "outlets_visited") == 1
    assert weekly(rep, "2026-W47", "person", "budi", "coverage") == 1.0
    assert weekly(rep, "2026-W47", "person", "citra", "actual_calls") == 2


def test_prospects_won_lost_and_win_rate(make_data):
    prospects = PROSPECTS_W47 + (
        "2026-11-17,P2,CV Dua,citra,pameran,new,,,\n"
        "2026-11-19,P2,,dewi,,won,,O4,\n"  # counted for citra, the owner of the first event
        "2026-11-18,P3,UD Tiga,citra,,new,,,\n"
        "2026-11-20,P3,,citra,,lost,,,\n"
    )
    rep = report(make_data, {"weeks/2026-W47/prospects.csv": prospects})
    assert weekly(rep, "2026-W47", "person", "citra", "new_prospects") == 2
    assert weekly(rep, "2026-W47", "person", "citra", "prospects_won") == 1
    assert weekly(rep, "2026-W47", "person", "citra", "prospects_lost") == 1
    assert weekly(rep, "2026-W47", "person", "citra", "win_rate") == 0.5  # 1 / (1 + 1)
    assert weekly(rep, "2026-W47", "person", "dewi", "prospects_won") == 0
    assert weekly(rep, "2026-W47", "team", "west", "new_prospects") == 3  # P1 (dewi), P2, P3


# -- targets -----------------------------------------------------------------------------------


def test_week_across_month_boundary_sums_both_months(make_data):
    targets = targets_file(
        '{period: 2026-11, scope: "person:andi", metric: revenue, value: 2100000}',
        '{period: 2026-12, scope: "person:andi", metric: revenue, value: 4600000}',
    )
    rep = report(make_data, {"targets.yaml": targets, "weeks/2026-W49/calls.csv": HEADER_CALLS})
    # Nov: 2100000 / 21 weekdays = 100000 a day; Dec: 4600000 / 23 weekdays = 200000 a day.
    # W49 = Mon 30 Nov (100000) + Tue 1 .. Fri 4 Dec (4 x 200000) = 900000.
    assert weekly(rep, "2026-W49", "person", "andi", "revenue_target") == pytest.approx(900_000)
    assert weekly(rep, "2026-W47", "person", "andi", "revenue_target") == pytest.approx(500_000)


def test_week_53_holidays_and_company_day_off(make_data):
    config = CONFIG + "holidays:\n  country: ID\n  extra: [2026-12-24]\n"
    targets = targets_file(
        '{period: 2026-12, scope: "person:andi", metric: revenue, value: 4200000}',
        '{period: 2027-01, scope: "person:andi", metric: revenue, value: 1900000}',
    )
    rep = report(
        make_data,
        {
            "config.yaml": config,
            "targets.yaml": targets,
            "weeks/2026-W52/calls.csv": HEADER_CALLS,
            "weeks/2026-W53/calls.csv": HEADER_CALLS,
        },
    )
    # Dec: 23 weekdays - Thu 24 (company day off) - Fri 25 (Christmas) = 21 -> 200000 a day.
    # Jan 2027: 21 weekdays - Fri 1 (New Year) - Tue 5 (Isra Mi'raj) = 19 -> 100000 a day.
    # W52: Mon 21 .. Wed 23 work (3 x 200000); W53 (28 Dec .. 3 Jan): 28-31 Dec (4 x 200000) + 1 Jan off.
    assert weekly(rep, "2026-W52", "person", "andi", "working_days") == 3
    assert weekly(rep, "2026-W52", "person", "andi", "revenue_target") == pytest.approx(600_000)
    assert weekly(rep, "2026-W53", "person", "andi", "working_days") == 4
    assert weekly(rep, "2026-W53", "person", "andi", "revenue_target") == pytest.approx(800_000)
    assert list(rep.metrics.weekly["week"].unique()) == ["2026-W47", "2026-W52", "2026-W53"]


def test_working_override_and_calendar_day_split(make_data):
    config = CONFIG + "holidays:\n  working: [2026-11-21]\n"  # Saturday 21 Nov worked
    targets = targets_file(
        '{period: 2026-11, scope: "person:citra", metric: revenue, value: 3000000, split: calendar_days}',
        '{period: 2026-11, scope: "person:andi", metric: revenue, value: 2200000}',
    )
    rep = report(make_data, {"config.yaml": config, "targets.yaml": targets})
    # citra: 3000000 / 30 days = 100000 every day, so W47 = 7 x 100000.
    assert weekly(rep, "2026-W47", "person", "citra", "revenue_target") == pytest.approx(700_000)
    # andi: 21 weekdays + Sat 21 = 22 working days -> 100000; W47 has Mon-Sat = 6 working days.
    assert weekly(rep, "2026-W47", "person", "andi", "revenue_target") == pytest.approx(600_000)
    assert weekly(rep, "2026-W47", "person", "andi", "working_days") == 6
    # citra's period as of Sun 22 Nov: 22 days elapsed x 100000 expected.
    assert period(rep, "2026-11", "person", "citra")["expected_to_date"] == pytest.approx(2_200_000)


def test_finest_period_wins(make_data):
    targets = targets_file(
        '{period: 2026-Q4, scope: "person:andi", metric: revenue, value: 6600000}',
        '{period: 2026-11, scope: "person:andi", metric: revenue, value: 4200000}',
    )
    rep = report(make_data, {"targets.yaml": targets, "weeks/2026-W44/calls.csv": HEADER_CALLS})
    # Q4: 6600000 / 66 = 100000 a day; Nov: 4200000 / 21 = 200000 a day and wins on Nov days.
    # W44 = Mon 26 .. Fri 30 Oct (5 x 100000 from Q4) + Sun 1 Nov (0).
    assert weekly(rep, "2026-W44", "person", "andi", "revenue_target") == pytest.approx(500_000)
    assert weekly(rep, "2026-W47", "person", "andi", "revenue_target") == pytest.approx(1_000_000)


def test_roll_up_people_to_team_to_company(make_data):
    targets = targets_file(
        '{period: 2026-11, scope: "person:andi", metric: revenue, value: 2100000}',
        '{period: 2026-11, scope: "person:budi", metric: revenue, value: 900000}',
        '{period: 2026-11, scope: "person:citra", metric: revenue, value: 4200000}',
        '{period: 2026-11, scope: "team:west", metric: revenue, value: 6300000}',
    )
    rep = report(make_data, {"targets.yaml": targets})
    # east has no own target: andi + budi = 3000000; west keeps its own 6300000 (not citra's);
    # the company gets east + west = 9300000.
    assert period(rep, "2026-11", "team", "east")["target"] == 3_000_000
    assert period(rep, "2026-11", "team", "west")["target"] == 6_300_000
    assert period(rep, "2026-11", "company", "")["target"] == 9_300_000
    # budi works from Wed 18: Nov 18-20, 23-27, 30 = 9 days -> 100000 a day.
    # east in W47 = andi 5 x 100000 + budi 3 x 100000.
    assert weekly(rep, "2026-W47", "team", "east", "revenue_target") == pytest.approx(800_000)
    assert weekly(rep, "2026-W47", "person", "budi", "revenue_target") == pytest.approx(300_000)


def test_growth_on_previous_period(make_data):
    targets = targets_file('{period: 2026-12, scope: "person:andi", metric: revenue, growth: 10%}')
    rep = report(
        make_data,
        {"targets.yaml": targets, "weeks/2026-W49/calls.csv": HEADER_CALLS},
        as_of=dt.date(2026, 12, 2),
    )
    # basis = November: andi sold 500000 + 250000 = 750000 -> 750000 x 1.10 = 825000.
    row = period(rep, "2026-12", "person", "andi")
    assert row["target"] == pytest.approx(825_000)
    # Dec has 23 weekdays; Tue 1 and Wed 2 elapsed: expected = 825000 x 2 / 23.
    assert row["expected_to_date"] == pytest.approx(71_739.130434783)
    assert row["actual"] == 0
    assert row["status"] == "behind"


def test_growth_on_last_year(make_data):
    last_year = HEADER_CALLS + "2025-11-17,andi,O1,yes,yes,100000,1,,\n2025-11-18,andi,O2,yes,yes,50000,1,,\n"
    targets = targets_file(
        '{period: 2026-W47, scope: "person:andi", metric: effective_calls, growth: 50%, basis: last_year}'
    )
    rep = report(make_data, {"targets.yaml": targets, "weeks/2025-W47/calls.csv": last_year})
    # 2025-W47: 2 effective calls -> 2 x 1.5 = 3; this week andi made 2 effective calls.
    row = period(rep, "2026-W47", "person", "andi", "effective_calls")
    assert row["target"] == 3
    assert row["actual"] == 2
    assert row["attainment"] == pytest.approx(2 / 3)
    # whole week elapsed as of Sun 22: expected 3, pace 2/3 < 0.9 -> behind; nothing remains.
    assert row["pace"] == pytest.approx(2 / 3)
    assert math.isnan(row["required_per_day"])
    assert row["status"] == "behind"


# -- target periods as of a date ---------------------------------------------------------------


def test_periods_as_of_default_date(make_data):
    rep = report(make_data)
    assert rep.metrics.as_of == dt.date(2026, 11, 22)  # Sunday of the latest week folder
    andi = period(rep, "2026-11", "person", "andi")
    # target 2000000 over 21 working days; Nov 2-20 = 15 elapsed; actual 750000.
    assert andi["target"] == 2_000_000
    assert andi["actual"] == 750_000
    assert andi["attainment"] == 0.375
    assert andi["expected_to_date"] == pytest.approx(2_000_000 * 15 / 21)
    assert andi["pace"] == pytest.approx(750_000 / (2_000_000 * 15 / 21))  # 0.525
    assert andi["projection"] == pytest.approx(750_000 / 15 * 21)  # 1050000
    assert andi["required_per_day"] == pytest.approx(1_250_000 / 6)  # 6 working days left
    assert andi["status"] == "behind"
    q4 = period(rep, "2026-Q4", "company", "")
    # 9000000 over 66 working days, 22 (Oct) + 15 (Nov) elapsed; actual 1150000.
    assert q4["expected_to_date"] == pytest.approx(9_000_000 * 37 / 66)
    assert q4["projection"] == pytest.approx(1_150_000 / 37 * 66)
    assert q4["required_per_day"] == pytest.approx(7_850_000 / 29)
    # The company has no own November target, but andi (a member) has one, so the row exists.
    # Its daily target is its own Q4 one (own finest beats the members' sum): 9000000 / 66 a
    # working day, so November = 21 x 9000000 / 66 and 15 of those days are expected to date.
    # (Before the one rule this was andi's 2000000 rolled up, overriding the company's own Q4.)
    company_nov = period(rep, "2026-11", "company", "")
    assert company_nov["target"] == pytest.approx(9_000_000 * 21 / 66)  # 2863636.36
    assert company_nov["expected_to_date"] == pytest.approx(9_000_000 * 15 / 66)  # 2045454.55
    assert company_nov["pace"] == pytest.approx(1_150_000 / (9_000_000 * 15 / 66))  # 0.5622


def test_periods_as_of_another_date(make_data):
    rep = report(make_data, as_of=dt.date(2026, 11, 18))
    andi = period(rep, "2026-11", "person", "andi")
    # Nov 16..18: only the 500000 order of Mon 16; 13 working days elapsed, 8 remain.
    assert andi["actual"] == 500_000
    assert andi["expected_to_date"] == pytest.approx(2_000_000 * 13 / 21)
    assert andi["projection"] == pytest.approx(500_000 / 13 * 21)
    assert andi["required_per_day"] == pytest.approx(1_500_000 / 8)


@pytest.mark.parametrize(
    ("value", "pace", "status"),
    [
        (700_000, 750_000 / 500_000, "achieved"),  # actual 750000 >= target 700000
        (1_000_000, 750_000 / (1_000_000 * 15 / 21), "on_track"),  # pace 1.05 >= 1
    ],
)
def test_status_achieved_and_on_track(make_data, value, pace, status):
    targets = targets_file(f'{{period: 2026-11, scope: "person:andi", metric: revenue, value: {value}}}')
    row = period(report(make_data, {"targets.yaml": targets}), "2026-11", "person", "andi")
    assert row["pace"] == pytest.approx(pace)
    assert row["status"] == status


def test_status_at_risk_and_only_periods_containing_the_date(make_data):
    targets = targets_file(
        '{period: 2026-11, scope: "person:andi", metric: revenue, value: 1200000}',
        '{period: 2026-12, scope: "person:andi", metric: revenue, value: 1000000}',
    )
    rep = report(make_data, {"targets.yaml": targets})
    # 1200000 x 15/21 = 857142.86 expected; pace = 750000 / 857142.86 = 0.875 -> below 0.9: behind.
    assert period(rep, "2026-11", "person", "andi")["pace"] == pytest.approx(0.875)
    config = CONFIG.replace("pace_at_risk: 0.9", "pace_at_risk: 0.85")
    rep = report(make_data, {"targets.yaml": targets, "config.yaml": config})
    assert period(rep, "2026-11", "person", "andi")["status"] == "at_risk"  # 0.875 >= 0.85
    # As of Mon 30 Nov only November contains the date, not December.
    rep = report(make_data, {"targets.yaml": targets}, as_of=dt.date(2026, 11, 30))
    assert set(rep.metrics.periods["period"]) == {"2026-11"}


def test_nothing_expected_yet_is_on_track(make_data):
    targets = targets_file('{period: 2026-Q4, scope: "person:citra", metric: revenue, value: 5000000}')
    config = CONFIG.replace("working_days: [mon, tue, wed, thu, fri]", "working_days: [sat]")
    # Only Saturdays are working days; as of Thu 1 Oct nothing is expected yet.
    rep = report(make_data, {"targets.yaml": targets, "config.yaml": config}, as_of=dt.date(2026, 10, 1))
    row = period(rep, "2026-Q4", "person", "citra")
    assert row["expected_to_date"] == 0
    assert math.isnan(row["pace"])
    assert row["status"] == "on_track"


# -- alerts ------------------------------------------------------------------------------------


def alerts_of(rep, kind):
    a = rep.alerts
    return a[a["kind"] == kind]


def test_alerts_missed_log_gap_and_low_ratios(make_data):
    rep = report(make_data)
    missed = alerts_of(rep, "missed_call")
    assert missed[["date", "person_id", "team_id", "outlet_id"]].astype(str).values.tolist() == [
        ["2026-11-16", "andi", "east", "O2"]
    ]
    # The person is in person_id and beside the sentence on every page: the sentence leaves them out.
    assert missed["detail"].tolist() == ["Planned visit to UD Sentosa not made"]
    activity = alerts_of(rep, "missed_activity")
    assert activity[["date", "person_id"]].astype(str).values.tolist() == [["2026-11-18", "dewi"]]
    gaps = alerts_of(rep, "log_gap")
    # andi: 17, 18, 20; budi: 19, 20; citra: 16, 18, 19; dewi: 16, 20.
    assert sorted(zip(gaps["person_id"], gaps["date"].dt.day, strict=True)) == [
        ("andi", 17),
        ("andi", 18),
        ("andi", 20),
        ("budi", 19),
        ("budi", 20),
        ("citra", 16),
        ("citra", 18),
        ("citra", 19),
        ("dewi", 16),
        ("dewi", 20),
    ]
    ec = alerts_of(rep, "low_ec_ratio")  # budi 0 / 1 < 0.6, dated Monday of the week
    assert ec[["date", "person_id"]].astype(str).values.tolist() == [["2026-11-16", "budi"]]
    pjp = alerts_of(rep, "low_pjp_rate")  # andi 1 / 2 < 0.9
    assert pjp["person_id"].tolist() == ["andi"]
    assert alerts_of(rep, "low_coverage").empty
    behind = alerts_of(rep, "behind_target")
    assert sorted(zip(behind["person_id"], behind["team_id"], strict=True)) == [
        ("", ""),
        ("", ""),
        ("", "east"),
        ("andi", "east"),
    ]
    assert (behind["date"] == pd.Timestamp("2026-11-22")).all()


def test_overdue_outlets_by_visit_frequency(make_data):
    outlets = (
        "outlet_id,name,type,area,rep_id,visits_per_week\n"
        "O1,Toko Makmur,store,Rungkut,andi,1\nO2,UD Sentosa,reseller,Rungkut,andi,2\n"
        "O3,CV Abadi,buyer,Gubeng,budi,0.5\nO4,Toko Jaya,store,Darmo,citra,3\n"
        "O5,Toko Baru,store,Darmo,citra,1\n"
    )
    rep = report(make_data, {"outlets.csv": outlets}, as_of=dt.date(2026, 11, 24))
    overdue = alerts_of(rep, "overdue_outlet")
    # As of Tue 24: O1 last 16 (8 days > 7); O2 last 19 (5 > ceil(7/2) = 4); O3 last 18 (6 <= 14);
    # O4 last 20 (4 > ceil(7/3) = 3); O5 never visited.
    assert sorted(overdue["outlet_id"]) == ["O1", "O2", "O4", "O5"]
    assert (overdue["date"] == pd.Timestamp("2026-11-24")).all()
    never = overdue[overdue["outlet_id"] == "O5"]["detail"].item()
    assert never == "Toko Baru has never been visited"
    rep = report(make_data, {"outlets.csv": outlets})  # as of Sun 22: O4 2 days, O1 6 days
    assert sorted(alerts_of(rep, "overdue_outlet")["outlet_id"]) == ["O5"]


def test_stale_prospects(make_data):
    prospects = PROSPECTS_W47 + "2026-11-17,P2,CV Dua,citra,pameran,new,,,\n2026-11-19,P2,,citra,,won,,O4,\n"
    files = {"weeks/2026-W47/prospects.csv": prospects}
    # As of Sat 5 Dec, P1's last event (Fri 20 Nov, contacted) is 15 days old (> 14); P2 was won.
    rep = report(make_data, files, as_of=dt.date(2026, 12, 5))
    stale = alerts_of(rep, "stale_prospect")
    assert stale[["date", "person_id", "team_id", "prospect_id"]].astype(str).values.tolist() == [
        ["2026-11-20", "dewi", "west", "P1"]
    ]
    assert stale["detail"].item() == "Toko Baru has made no progress for 15 days (stage: Contacted)"
    # As of Fri 4 Dec it is exactly 14 days old: not more than 14, so not stale.
    assert alerts_of(report(make_data, files, as_of=dt.date(2026, 12, 4)), "stale_prospect").empty


def test_alerts_after_as_of_are_left_out(make_data):
    rep = report(make_data, as_of=dt.date(2026, 11, 17))
    assert rep.alerts["date"].max() <= pd.Timestamp("2026-11-17")
    assert alerts_of(rep, "missed_activity").empty  # dewi's missed promotion is on the 18th
    # weekly metrics still cover the whole week.
    assert weekly(rep, "2026-W47", "company", "", "revenue") == 1_150_000


def test_alert_details_in_indonesian(make_data):
    rep = report(make_data, {"config.yaml": CONFIG.replace("language: en", "language: id")})
    assert alerts_of(rep, "missed_call")["detail"].item() == (
        "Kunjungan terencana ke UD Sentosa tidak dilakukan"
    )
    detail = alerts_of(rep, "behind_target").query("person_id == 'andi'")["detail"].item()
    assert detail == (
        # The period by name, one colon-free sentence, the glossary's "laju … dari target berjalan".
        "Realisasi omzet November 2026 mencapai Rp750.000 dari target Rp2.000.000, "
        "laju 52% dari target berjalan"
    )
