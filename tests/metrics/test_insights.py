"""Manager insights (issue 13) on a small data set whose figures are derived by hand.

Base data (tests/fixtures.py) plus two earlier weeks:
- 2026-W40 (Mon 28 Sep .. Sun 4 Oct): andi visits O2 on Wed 30 Sep (80,000) and O1 on Thu 1 Oct
  (400,000).
- 2026-W46 (Mon 9 .. Sun 15 Nov): andi O1 visited, no order, "stok masih ada"; andi O2 visited, no
  order, "STOK MASIH ADA " (trailing space); andi O2 visited 100,000; citra O4 visited, no order,
  "Harga mahal"; citra O4 visited 900,000. Sales: citra O4 50,000 "Telepon", andi O1 20,000
  "Marketplace", andi O2 10,000 "fax".
- eko (west, sales) left on Tue 17 Nov and owns prospect P2; citra lost P3, andi won P4.
W47 (base): andi O1 500,000 (planned), O2 planned not visited ("Toko tutup"), O2 unplanned
250,000; budi O3 visited, no order, "Stok masih ada"; citra O4 300,000; citra sale 100,000
"whatsapp". Mon-Fri working, no holidays: Nov 2026 has 21 weekdays, Q4 66 (22 + 21 + 23).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from fixtures import PROSPECTS_W47, TEAM

from reports_gen.metrics import comparisons as cmp
from reports_gen.metrics import insights
from reports_gen.metrics.digest import weekly_digest
from reports_gen.metrics.report import compute_report

HEAD = "date,rep_id,outlet_id,planned,visited,order_value,units,no_order_reason,notes\n"
SALES_HEAD = "date,rep_id,outlet_id,order_value,units,channel,notes\n"
FILES = {
    "team.yaml": TEAM + "  - {id: eko, name: Eko Prasetyo, role: sales, team: west, end: 2026-11-17}\n",
    "weeks/2026-W40/calls.csv": HEAD
    + "2026-09-30,andi,O2,yes,yes,80000,1,,\n2026-10-01,andi,O1,yes,yes,400000,4,,\n",
    "weeks/2026-W46/calls.csv": HEAD
    + "2026-11-09,andi,O1,yes,yes,0,0,stok masih ada,\n"
    + "2026-11-10,andi,O2,yes,yes,0,0,STOK MASIH ADA ,\n"
    + "2026-11-11,andi,O2,yes,yes,100000,1,,\n"
    + "2026-11-12,citra,O4,yes,yes,0,0,Harga mahal,\n"
    + "2026-11-13,citra,O4,yes,yes,900000,9,,\n",
    "weeks/2026-W46/sales.csv": SALES_HEAD
    + "2026-11-10,citra,O4,50000,1,Telepon,\n2026-11-11,andi,O1,20000,1,Marketplace,\n"
    + "2026-11-12,andi,O2,10000,1,fax,\n",
    "weeks/2026-W47/prospects.csv": PROSPECTS_W47
    + "2026-11-16,P2,Warung Eko,eko,walk-in,new,500000,,\n"
    + "2026-11-16,P3,Toko Lama,citra,referral,new,700000,,\n"
    + "2026-11-19,P3,,citra,,lost,,,\n"
    + "2026-11-16,P4,Toko Untung,andi,referral,new,300000,,\n"
    + "2026-11-18,P4,,andi,,won,,,\n",
}


@pytest.fixture
def rep(make_data):
    return compute_report(make_data(FILES))


def test_no_order_reasons_group_case_insensitively(rep):
    reasons = insights.no_order_reasons(rep.dataset, rep.metrics.people)
    # Only visits without an order count: andi's missed W47 visit ("Toko tutup") is not a visit.
    assert "toko tutup" not in set(reasons["reason"])
    w46 = reasons[reasons["week"] == "2026-W46"].set_index(["person_id", "reason"])["count"]
    assert w46[("andi", "stok masih ada")] == 2  # "stok masih ada" + "STOK MASIH ADA " (trimmed)
    assert w46[("citra", "harga mahal")] == 1
    # Three spellings used once each: the tie goes to the first in sort order.
    assert set(reasons.loc[reasons["reason"] == "stok masih ada", "label"]) == {"STOK MASIH ADA"}
    assert reasons["team"][reasons["person_id"] == "budi"].tolist() == ["east"]


def test_pareto_keeps_top_and_groups_the_rest(rep):
    reasons = insights.no_order_reasons(rep.dataset, rep.metrics.people)
    top = insights.pareto(reasons, top=1)
    # stok masih ada: 2 (W46 andi) + 1 (W47 budi) = 3; the rest: harga mahal 1 -> other.
    assert top["reason"].tolist() == ["stok masih ada", insights.OTHER]
    assert top["count"].tolist() == [3, 1]
    assert top["share"].tolist() == [0.75, 0.25]  # 3/4, 1/4
    assert top["cumulative"].tolist() == [0.75, 1.0]


def test_order_channels_and_their_revenue_match_weekly(rep):
    channels = insights.order_channels(rep.dataset, rep.metrics.people)
    east = insights.channel_mix(channels, ["2026-W46"], "east").iloc[0]
    # east W46: visit 100,000 (andi O2), online 20,000 ("Marketplace"), other 10,000 ("fax").
    assert (east["orders_visit"], east["orders_online"], east["orders_other"], east["orders_phone"]) == (
        1,
        1,
        1,
        0,
    )
    assert east["revenue"] == 130_000
    assert east["share_visit"] == pytest.approx(100_000 / 130_000)
    west = insights.channel_mix(channels, ["2026-W46"], "west").iloc[0]
    assert west["orders_phone"] == 1  # "Telepon", any case
    company = insights.channel_mix(channels, ["2026-W47"]).iloc[0]
    # W47: visits 500,000 + 250,000 + 300,000, WhatsApp 100,000 = 1,150,000 = the week's revenue.
    weekly = rep.metrics.weekly.set_index(["week", "scope", "id"])
    assert company["revenue"] == weekly.loc[("2026-W47", "company", ""), "revenue"] == 1_150_000
    assert company["share_whatsapp"] == pytest.approx(100_000 / 1_150_000)


def test_weekly_rankings_with_change(rep):
    ranked = insights.rank_people(insights.person_weeks(rep.metrics), rep.metrics.people)
    w47 = ranked[ranked["period"] == "2026-W47"].set_index("person_id")
    # dewi is marketing: not ranked; eko worked Mon 16 and Tue 17 (left on the 17th): ranked.
    assert "dewi" not in w47.index and "eko" in w47.index
    # revenue W47: andi 750,000, citra 400,000, budi 0, eko 0 (worked Mon-Tue, no rows).
    assert w47.loc["andi", "rank_revenue"] == 1 and w47.loc["citra", "rank_revenue"] == 2
    assert w47.loc["budi", "rank_revenue"] == 3 and w47.loc["eko", "rank_revenue"] == 3  # tie shares 3
    # W46: citra 950,000 (#1), andi 130,000 (#2); budi had not started, eko 0 (#3).
    assert w47.loc["andi", "change_revenue"] == 1  # 2 -> 1
    assert w47.loc["citra", "change_revenue"] == -1  # 1 -> 2
    assert pd.isna(w47.loc["budi", "change_revenue"])  # not ranked in W46
    # EC ratio: andi 2/2 and citra 1/1 tie at #1, budi 0/1 #3; eko made no visit: no ratio, no rank.
    assert w47.loc[["andi", "citra", "budi"], "rank_ec_ratio"].tolist() == [1, 1, 3]
    assert pd.isna(w47.loc["eko", "rank_ec_ratio"])
    # Only andi has a revenue target: 2,000,000 / 21 weekdays * 5 = 476,190.48 -> 750,000 / that.
    assert w47.loc["andi", "attainment"] == pytest.approx(750_000 / (2_000_000 / 21 * 5))
    assert w47.loc["andi", "rank_attainment"] == 1 and pd.isna(w47.loc["citra", "rank_attainment"])


def test_monthly_rankings_sum_counts_and_targets_to_date(rep):
    months = insights.person_months(rep.metrics).set_index(["period", "person_id"])
    # andi in November: W46 130,000 (100,000 + 20,000 + 10,000) + W47 750,000 = 880,000.
    assert months.loc[("2026-11", "andi"), "revenue"] == 880_000
    # target to D (Sun 22 Nov): 15 weekdays of 21 -> 2,000,000 * 15 / 21.
    assert months.loc[("2026-11", "andi"), "revenue_target"] == pytest.approx(2_000_000 * 15 / 21)
    # PJP in November: planned and visited W46 3 (9, 10, 11 Nov) + W47 1 (O1) = 4 of 3 + 2 = 5 planned.
    assert months.loc[("2026-11", "andi"), "pjp_rate"] == 0.8
    assert months.loc[("2026-09", "andi"), "revenue"] == 80_000  # Wed 30 Sep, in the W40 folder
    ranked = insights.rank_people(insights.person_months(rep.metrics), rep.metrics.people)
    nov = ranked[ranked["period"] == "2026-11"].set_index("person_id")
    # citra: 950,000 + 400,000 = 1,350,000 > andi 880,000.
    assert nov.loc["citra", "rank_revenue"] == 1 and nov.loc["andi", "rank_revenue"] == 2
    assert nov.loc["andi", "change_revenue"] == -1  # #1 in October (400,000; citra had none)


def test_outlet_history(make_data):
    rep = compute_report(make_data(FILES), as_of=dt.date(2026, 11, 27))
    h = insights.outlet_history(rep.dataset, rep.metrics, rep.alerts)
    assert h.weeks == ("2026-W40", "2026-W46", "2026-W47")  # the 13 calendar weeks up to D's week
    o2 = h.summary.loc["O2"]
    # visits: 30 Sep, 10 Nov, 11 Nov, 19 Nov (16 Nov was missed) -> 4; orders 80,000, 100,000, 250,000.
    assert (o2["visits"], o2["orders"], o2["call_revenue"]) == (4, 3, 430_000)
    assert o2["revenue"] == 440_000  # + the 10,000 "fax" sale
    assert o2["drop_size"] == pytest.approx(430_000 / 3)
    assert o2["last_visit"] == pd.Timestamp("2026-11-19") and o2["days_since"] == 8  # 19 -> 27 Nov
    # overdue as of Fri 27 Nov: O1 last 16 Nov (11 days > 7), O2 8 days > ceil(7/2) = 4;
    # O3 9 days <= 14, O4 7 days <= 7.
    assert h.summary.index[h.summary["overdue"]].tolist() == ["O1", "O2"]
    visits = h.visits[h.visits["outlet_id"] == "O2"]
    assert visits["outcome"].tolist() == ["visited", "visited", "visited", "missed", "unplanned"]
    weekly = h.weekly.set_index(["outlet_id", "week"])["revenue"]
    assert weekly[("O2", "2026-W46")] == 110_000 and weekly[("O2", "2026-W47")] == 250_000


def test_open_pipeline_and_funnel(rep):
    open_ = insights.open_pipeline(rep.dataset, rep.metrics)
    assert sorted(open_.index) == ["P1", "P2"]  # P3 lost, P4 won
    p2 = open_.loc["P2"]
    # eko left on 17 Nov, before D (22 Nov): P2 needs a new owner. First event 16 Nov: 6 days old.
    assert bool(p2["owner_left"]) and p2["age_days"] == 6 and p2["expected_value"] == 500_000
    p1 = open_.loc["P1"]
    assert not p1["owner_left"] and p1["idle_days"] == 2  # last event 20 Nov
    funnel = insights.funnel(rep.dataset, rep.metrics).set_index("stage")
    assert funnel["count"].to_dict() == {
        "new": 1,
        "contacted": 1,
        "qualified": 0,
        "proposal": 0,
        "won": 1,
        "lost": 1,
    }
    assert funnel.loc["contacted", "value"] == 1_000_000 and funnel.loc["won", "group"] == "closed"


def test_to_date_windows():
    w = cmp.to_date_windows(dt.date(2026, 11, 22)).set_index(["window", "basis"])
    assert (w.loc[("mtd", "previous"), "start"], w.loc[("mtd", "previous"), "end"]) == (
        pd.Timestamp("2026-10-01"),
        pd.Timestamp("2026-10-22"),
    )
    assert w.loc[("mtd", "last_year"), "end"] == pd.Timestamp("2025-11-22")
    # QTD: 1 Oct .. 22 Nov is 52 days after the start; Q3 from 1 Jul + 52 days = 22 Aug.
    assert w.loc[("qtd", "previous"), "end"] == pd.Timestamp("2026-08-22")
    march = cmp.to_date_windows(dt.date(2026, 3, 31)).set_index(["window", "basis"])
    assert march.loc[("mtd", "previous"), "end"] == pd.Timestamp("2026-02-28")  # clipped to February


def test_to_date_comparisons_say_no_data(rep):
    frame = cmp.to_date_comparisons(rep.metrics, rep.dataset.first_day)
    company = frame[frame["scope"] == "company"].set_index(["window", "basis"])
    # MTD: W46 1,080,000 (130,000 + 950,000) + W47 1,150,000.
    assert company.loc[("mtd", "current"), "revenue"] == 2_230_000
    # The same days of October: only Thu 1 Oct (400,000); the data starts Mon 28 Sep.
    assert company.loc[("mtd", "previous"), "revenue"] == 400_000
    assert bool(company.loc[("mtd", "previous"), "available"])
    assert not company.loc[("mtd", "last_year"), "available"]
    assert pd.isna(company.loc[("mtd", "last_year"), "revenue"])  # no data, not 0
    assert pd.isna(company.loc[("qtd", "previous"), "revenue"])  # 1 Jul is before 28 Sep
    assert company.loc[("qtd", "current"), "revenue"] == 2_630_000  # 400,000 + 2,230,000
    change = cmp.change(pd.Series([2_230_000.0]), pd.Series([400_000.0]), "revenue").iloc[0]
    assert change == pytest.approx(4.575)  # (2,230,000 - 400,000) / 400,000


def test_target_breakdown_by_team_and_month(rep):
    frame = cmp.target_breakdown(rep.metrics, "2026-Q4", 0.9).set_index(["scope", "id"])
    company = frame.loc[("company", "")]
    # own 9,000,000; expected to 22 Nov: 37 of 66 weekdays (22 in Oct + 15 in Nov).
    assert company["target"] == 9_000_000
    assert company["expected_to_date"] == pytest.approx(9_000_000 * 37 / 66)
    assert company["actual"] == 2_630_000 and company["status"] == "behind"  # pace 0.52
    east = frame.loc[("team", "east")]
    # east has no own Q4 target: the sum of its daily targets = andi's November 2,000,000.
    assert east["target"] == pytest.approx(2_000_000)
    assert east["actual"] == 1_280_000  # andi 400,000 + 130,000 + 750,000; budi 0
    assert east["pace"] == pytest.approx(1_280_000 / (2_000_000 * 15 / 21))  # 0.896
    assert east["status"] == "behind"  # 0.896 < pace_at_risk 0.9
    west = frame.loc[("team", "west")]
    assert pd.isna(west["target"]) and west["status"] == ""
    months = cmp.sub_periods(rep.metrics, "2026-Q4", 0.9).set_index("sub_period")
    assert months["target"].tolist() == pytest.approx([9e6 * 22 / 66, 9e6 * 21 / 66, 9e6 * 23 / 66])
    assert months["actual"].tolist() == [400_000, 2_230_000, 0]
    assert months["status"].tolist() == ["behind", "on_track", "upcoming"]  # Nov pace 2.23M / (9M*15/66)


def test_weekly_digest_figures(rep):
    d = weekly_digest(rep)
    assert d.week == "2026-W47" and d.scope == "company"
    assert d.figures["revenue"] == 1_150_000 and d.before["revenue"] == 1_080_000
    assert (d.figures["actual_calls"], d.figures["effective_calls"]) == (4, 3)
    assert d.alert_counts["missed_call"] == 1  # andi's O2 on Mon 16 Nov
    east = weekly_digest(rep, "east")
    assert east.figures["revenue"] == 750_000  # andi 750,000 + budi 0
    assert list(east.alert_counts) == sorted(east.alert_counts, key=list(d.alert_counts).index)


def test_pareto_per_group_at_once(rep):
    reasons = insights.no_order_reasons(rep.dataset, rep.metrics.people)
    weeks = insights.pareto(reasons, top=1, by=["week"]).set_index(["week", "reason"])
    # W46: stok masih ada 2 (andi), harga mahal 1 (citra) -> other; W47: stok masih ada 1 (budi).
    assert weeks.loc[("2026-W46", "stok masih ada"), "share"] == pytest.approx(2 / 3)
    assert weeks.loc[("2026-W46", insights.OTHER), "count"] == 1
    assert weeks.loc[("2026-W46", insights.OTHER), "cumulative"] == pytest.approx(1.0)
    assert weeks.loc[("2026-W47", "stok masih ada"), "share"] == 1.0
    assert ("2026-W47", insights.OTHER) not in weeks.index  # nothing left over


def test_current_window_is_computed_even_before_the_data(rep):
    frame = cmp.to_date_comparisons(rep.metrics, rep.dataset.first_day)
    ytd = frame[(frame["scope"] == "company") & (frame["window"] == "ytd")].set_index("basis")
    # YTD from 1 Jan; the data starts 28 Sep: the figure covers what there is (400,000 + 80,000
    # in W40 + 2,230,000 in November), and last year is "no data".
    assert ytd.loc["current", "revenue"] == 2_710_000 and bool(ytd.loc["current", "available"])
    assert pd.isna(ytd.loc["last_year", "revenue"])


def test_week_visit_map_status(make_data):
    outlets = (
        "outlet_id,name,type,area,rep_id,visits_per_week,lat,lon\n"
        "O1,Toko Makmur,store,Rungkut,andi,1,-7.30,112.78\n"
        "O2,UD Sentosa,reseller,Rungkut,andi,2,-7.31,112.79\n"
        "O3,CV Abadi,buyer,Gubeng,budi,0.5,,\n"
        "O4,Toko Jaya,store,Darmo,citra,1,-7.29,112.73\n"
    )
    rep = compute_report(make_data({"outlets.csv": outlets}), as_of=dt.date(2026, 11, 17))
    points = insights.week_visit_map(rep.dataset, rep.metrics.as_of).set_index("outlet_id")["status"]
    # up to Tue 17 Nov: O1 visited Mon 16; O2 planned Mon 16, not visited (its unplanned visit on
    # Thu 19 is after D); O4's visit is on Fri 20: not planned yet; O3 has no lat/lon: not drawn.
    assert points.to_dict() == {"O1": "visited", "O2": "missed", "O4": "not_planned"}


def test_visit_order_sorts_by_outlet_date_and_rep_stably_with_missing_values_last():
    import numpy as np

    d1, d2 = pd.Timestamp("2026-11-16"), pd.Timestamp("2026-11-17")
    calls = pd.DataFrame(
        {
            "outlet_id": pd.array(["o2", "o1", "o1", None, "o1", "o2"], dtype="str"),
            "date": [d1, d2, d1, d1, pd.NaT, d1],
            "rep_id": pd.array(["b", "a", "b", "a", "a", "a"], dtype="str"),
        }
    )
    codes = np.array([1, 0, 0, -1, 0, 1])  # o1 -> 0, o2 -> 1, a missing outlet -1
    # o1: row 2 (d1), row 1 (d2), row 4 (no date, last); o2: d1 rep a (row 5) before rep b (row 0);
    # the row without an outlet last
    assert insights._visit_order(codes, calls).tolist() == [2, 1, 4, 5, 0, 3]
    expected = calls.sort_values(["outlet_id", "date", "rep_id"], kind="stable").index.tolist()
    assert insights._visit_order(codes, calls).tolist() == expected


def test_months_written_once_each_as_strftime_writes_them():
    dates = pd.Series(pd.to_datetime(["2026-01-31", None, "2025-12-01", "2026-01-01"]), index=[5, 6, 7, 8])
    months = insights._months(dates)
    # January twice, no date, December 2025; in the rows' order and index
    assert months.index.tolist() == [5, 6, 7, 8]
    assert months.iloc[[0, 2, 3]].tolist() == ["2026-01", "2025-12", "2026-01"] and pd.isna(months.iloc[1])
    pd.testing.assert_series_equal(months, dates.dt.strftime("%Y-%m"), check_exact=True)
    assert insights._months(dates.iloc[:0]).empty


def test_the_breakdowns_caches_do_not_keep_a_report_alive():
    import gc
    import weakref

    frame = pd.DataFrame({"period": ["2026-Q1", "2026-Q2", "2026-Q1"], "metric": ["revenue"] * 3})
    assert cmp._rows(frame, ("period",), "2026-Q1").index.tolist() == [0, 2]
    assert cmp._rows(frame, ("period",), "2026-Q3").empty
    assert cmp._SPLITS.find(frame, ("period",)) is not None  # split once, then found
    gone = weakref.ref(frame)
    del frame
    gc.collect()
    assert gone() is None  # the cache held it only weakly
    assert all(ref() is not None for ref, _, _ in cmp._SPLITS._entries)  # and forgot it


def test_recent_keeps_the_last_few_by_identity_and_key():
    class Owner:
        pass

    recent = cmp._Recent(2)
    a, b, c = Owner(), Owner(), Owner()
    recent.keep(a, "x", 1)
    recent.keep(a, "y", 2)
    assert (recent.find(a, "x"), recent.find(a, "y"), recent.find(b, "x")) == (1, 2, None)
    recent.keep(c, "x", 3)  # the oldest goes
    assert (recent.find(a, "x"), recent.find(a, "y"), recent.find(c, "x")) == (None, 2, 3)
