"""Outcomes not reported yet (a blank visited/done) and prospects reopened after `lost`.

Base data in tests/fixtures.py; week 2026-W47 is Mon 16 .. Sun 22 Nov 2026.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from click.testing import CliRunner
from fixtures import ACTIVITIES_W47, CALLS_W47, PROSPECTS_W47, write_data

from reports_gen.cli import cli
from reports_gen.metrics.prospects import pipeline
from reports_gen.metrics.report import compute_report
from reports_gen.metrics.weekly import activity_mix, activity_totals

# Two planned visits and one planned activity whose outcome is not reported yet (lines 7, 8 and 5).
UNREPORTED = {
    "weeks/2026-W47/calls.csv": CALLS_W47 + "2026-11-20,andi,O1,yes,,,,,\n2026-11-19,budi,O3,yes,,,,,\n",
    "weeks/2026-W47/activities.csv": ACTIVITIES_W47 + "2026-11-20,dewi,demo,yes,,,,,\n",
}


def weekly(rep, scope, ident, metric):
    w = rep.metrics.weekly
    return w[(w["week"] == "2026-W47") & (w["scope"] == scope) & (w["id"] == ident)].iloc[0][metric]


def test_blank_outcome_is_neither_visited_nor_missed(make_data):
    rep = compute_report(make_data(UNREPORTED))
    # andi: O1 16 planned+visited, O2 16 planned not visited; the blank O1 on the 20th is left out.
    assert weekly(rep, "person", "andi", "planned_calls") == 2
    assert weekly(rep, "person", "andi", "missed_calls") == 1
    assert weekly(rep, "person", "andi", "pjp_rate") == 0.5  # 1 / 2, not 1 / 3
    # budi: O3 on the 18th visited; the blank one on the 19th neither visited nor missed.
    assert weekly(rep, "person", "budi", "planned_calls") == 1
    assert weekly(rep, "person", "budi", "pjp_rate") == 1.0
    assert weekly(rep, "person", "budi", "actual_calls") == 1
    assert weekly(rep, "company", "", "planned_calls") == 4  # andi 2 + budi 1 + citra 1
    assert weekly(rep, "company", "", "coverage") == 1.0  # every outlet was visited before anyway
    # dewi: demo done, promotion missed; the blank demo of the 20th is not planned-with-outcome.
    assert weekly(rep, "person", "dewi", "activities_planned") == 2
    assert weekly(rep, "person", "dewi", "activities_missed") == 1
    assert weekly(rep, "person", "dewi", "activity_rate") == 0.5  # 1 planned-and-done / 2
    missed = rep.alerts[rep.alerts["kind"].isin(["missed_call", "missed_activity"])]
    assert missed[["kind", "person_id", "outlet_id"]].values.tolist() == [
        ["missed_call", "andi", "O2"],  # the 16th
        ["missed_activity", "dewi", ""],  # the promotion of the 18th
    ]


def test_check_warns_once_per_file_and_strict_fails(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_data(tmp_path / "data", UNREPORTED)
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 0
    # "2026-11-20,andi,O1,yes," is 23 characters: visited starts in column 24.
    assert result.stdout.splitlines() == [
        "data/weeks/2026-W47/activities.csv:5:26: warning: 1 planned activity has no outcome yet "
        "(hint: fill in done (yes/no) once reported; until then they count as neither done nor missed)",
        "data/weeks/2026-W47/calls.csv:7:24: warning: 2 planned visits have no outcome yet "
        "(hint: fill in visited (yes/no) once reported; until then they count as neither made nor missed)",
    ]
    strict = CliRunner().invoke(cli, ["check", "--strict"])
    assert strict.exit_code == 1


def test_no_missed_alert_after_the_as_of_date(make_data):
    # andi's missed visit is on Mon 16, dewi's missed promotion on Wed 18: as of Tue 17 only the first.
    rep = compute_report(make_data({}), as_of=dt.date(2026, 11, 17))
    kinds = rep.alerts.loc[rep.alerts["kind"].isin(["missed_call", "missed_activity"]), "kind"]
    assert kinds.tolist() == ["missed_call"]


REOPENED = PROSPECTS_W47 + (
    "2026-11-16,P2,CV Dua,citra,pameran,new,500000,,\n"
    "2026-11-17,P2,,citra,,lost,,,\n"
    "2026-11-19,P2,,citra,,contacted,700000,,\n"  # contacted again after lost: open again
    "2026-11-16,P3,UD Tiga,citra,,new,,,\n"
    "2026-11-18,P3,,citra,,lost,,,\n"
)


def test_prospect_reopened_after_lost(make_data):
    files = {"weeks/2026-W47/prospects.csv": REOPENED}
    early = compute_report(make_data(files), as_of=dt.date(2026, 11, 18)).metrics.prospects
    # As of Wed 18: P2's latest event is lost (17th), P3's too (18th): both closed; P1 open.
    assert early["open"].to_dict() == {"P1": True, "P2": False, "P3": False}
    rep = compute_report(make_data(files), as_of=dt.date(2026, 12, 5))
    summary = rep.metrics.prospects
    assert summary.loc["P2", "stage"] == "contacted"
    assert summary.loc["P2", "expected_value"] == 700_000  # the latest value given
    assert summary["open"].to_dict() == {"P1": True, "P2": True, "P3": False}
    # As of Sat 5 Dec: P1 last 20 Nov (15 days), P2 19 Nov (16 days) > 14: stale; P3 is closed
    # although its last event is 17 days old.
    stale = rep.alerts[rep.alerts["kind"] == "stale_prospect"]
    assert stale[["prospect_id", "person_id"]].values.tolist() == [["P2", "citra"], ["P1", "dewi"]]
    assert stale["date"].tolist() == [pd.Timestamp("2026-11-19"), pd.Timestamp("2026-11-20")]
    # The funnel counts each prospect at its latest stage: P1 and P2 contacted, P3 lost.
    funnel = pipeline(summary).set_index("stage")
    assert funnel["count"].to_dict() == {
        "new": 0,
        "contacted": 2,
        "qualified": 0,
        "proposal": 0,
        "won": 0,
        "lost": 1,
    }
    assert funnel.loc["contacted", "value"] == pytest.approx(1_700_000)  # P1 1000000 + P2 700000
    # W47 counts: citra's P2 and P3 are new and were lost in the week (P2 is still one loss).
    assert weekly(rep, "person", "citra", "new_prospects") == 2
    assert weekly(rep, "person", "citra", "prospects_lost") == 2


def test_activity_mix_and_totals_leave_unreported_out(make_data):
    rep = compute_report(make_data(UNREPORTED))
    mix = activity_mix(rep.dataset.activities, ["2026-W47"]).set_index("type")
    # demo: 17th planned+done (the blank one of the 20th is not planned-with-outcome);
    # promotion: planned, not done; meeting: done without a plan.
    assert mix.loc["demo"].tolist() == [1, 1, 0]  # planned, done, missed
    assert mix.loc["promotion"].tolist() == [1, 0, 1]
    assert mix.loc["meeting"].tolist() == [0, 1, 0]
    totals = activity_totals(rep.metrics.facts, ["2026-W47"])
    assert list(totals.index) == ["dewi"]  # nobody else has activities
    assert totals.loc["dewi"].tolist() == [2, 2, 1, 0.5]  # planned, done, missed, 1 / 2
