"""`reports-gen new-week`: the journey plan in calls.csv, header-only files, never overwriting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures import CONFIG, TEAM, write_data

from reports_gen.cli import cli
from reports_gen.dataset.dataset import check_data
from reports_gen.workcalendar import parse_week
from reports_gen.workflow.newweek import create_week, spread_visits, visits_in_week

HEADER = "date,rep_id,outlet_id,planned,visited,order_value,units,no_order_reason,notes"
# andi has three outlets visited 1, 2 and 0.5 times a week; citra one weekly outlet; budi none.
OUTLETS = """\
outlet_id,name,type,area,rep_id,visits_per_week
O1,Toko Makmur,store,Rungkut,andi,1
O2,UD Sentosa,reseller,Rungkut,andi,2
O3,CV Abadi,buyer,Gubeng,andi,0.5
O4,Toko Jaya,store,Darmo,citra,1
"""
# Wednesday 2026-11-25 is a company day off: W48 has four working days, Mon, Tue, Thu, Fri.
HOLIDAY = CONFIG.replace("activity_types:", "holidays:\n  extra: [2026-11-25]\nactivity_types:")
# O3's phase, crc32(b"O3") / 2**32 = 0.5387 >= 0.5, puts its visit in weeks with an even index
# (days since 0001-01-01 // 7): 2026-W48 is week 105706, 2026-W49 is 105707.


def row(day: str, rep: str, outlet: str) -> str:
    return f"{day},{rep},{outlet},yes,,,,,"


@pytest.fixture
def plan_data(tmp_path: Path) -> Path:
    return write_data(tmp_path / "data", {"outlets.csv": OUTLETS, "config.yaml": HOLIDAY})


def calls_of(data: Path, week: str) -> list[str]:
    return (data / "weeks" / week / "calls.csv").read_text(encoding="utf-8").splitlines()


def test_plan_with_a_holiday(plan_data):
    create_week(plan_data, "2026-W48")
    # Placed most frequent first on Mon, Tue, Thu, Fri: O2 twice, 3 days apart on the emptiest days
    # (Mon + Thu, the earliest of the best pairs); O1 on the emptiest day left (Tue); O3, due this
    # week, on the last empty day (Fri). citra's O4 on Monday. budi has no outlets, dewi is marketing.
    assert calls_of(plan_data, "2026-W48") == [
        HEADER,
        row("2026-11-23", "andi", "O2"),
        row("2026-11-24", "andi", "O1"),
        row("2026-11-26", "andi", "O2"),
        row("2026-11-27", "andi", "O3"),
        row("2026-11-23", "citra", "O4"),
    ]


def test_fortnightly_outlet_comes_every_second_week(plan_data):
    create_week(plan_data, "2026-W49")
    # W49 has no holiday (Mon 30 Nov .. Fri 4 Dec) and O3 is not due: O2 Mon + Thu, O1 Tue.
    assert calls_of(plan_data, "2026-W49") == [
        HEADER,
        row("2026-11-30", "andi", "O2"),
        row("2026-12-01", "andi", "O1"),
        row("2026-12-03", "andi", "O2"),
        row("2026-11-30", "citra", "O4"),
    ]


def test_half_rate_alternates_across_a_53_week_year():
    # 2026 has an ISO week 53: the rhythm follows the weeks, not the parity of their numbers.
    weeks = ["2026-W51", "2026-W52", "2026-W53", "2027-W01", "2027-W02", "2027-W03"]
    due = [visits_in_week(0.5, "O3", parse_week(w).start) for w in weeks]
    assert due == [0, 1, 0, 1, 0, 1]
    for outlet in ("A", "B", "C", "OUT-00017"):
        pattern = [visits_in_week(0.5, outlet, parse_week(w).start) for w in weeks]
        assert pattern in ([0, 1, 0, 1, 0, 1], [1, 0, 1, 0, 1, 0])


@pytest.mark.parametrize(("rate", "total"), [(1, 8), (2, 16), (3, 24), (1.5, 12), (0.25, 2)])
def test_rates_average_out_over_eight_weeks(rate, total):
    mondays = [dt.date(2026, 11, 2) + dt.timedelta(weeks=i) for i in range(8)]
    assert sum(visits_in_week(rate, "O9", m) for m in mondays) == total


def test_three_visits_spread_over_a_five_day_week():
    days = [dt.date(2026, 11, 30) + dt.timedelta(days=i) for i in range(5)]
    # The only three days of Mon..Fri at least two days apart: Mon, Wed, Fri.
    assert spread_visits(days, [("O1", 3)]) == [(days[0], "O1"), (days[2], "O1"), (days[4], "O1")]


def test_load_is_levelled_over_the_days():
    days = [dt.date(2026, 11, 30) + dt.timedelta(days=i) for i in range(5)]
    counts = [(f"T{i}", 2) for i in range(5)] + [(f"W{i}", 1) for i in range(5)]
    per_day = {d: 0 for d in days}
    for day, _ in spread_visits(days, counts):
        per_day[day] += 1
    assert sorted(per_day.values()) == [3, 3, 3, 3, 3]  # 15 visits over 5 days


def test_rep_leaving_mid_week(tmp_path):
    team = TEAM.replace("team: east}", "team: east, end: 2026-11-25}", 1)
    data = write_data(tmp_path / "data", {"outlets.csv": OUTLETS, "team.yaml": team})
    create_week(data, "2026-W48")
    # andi works Mon..Wed: O2 on Mon + Wed (the only pair two days apart), O1 on Tue, O3 on Mon,
    # the earliest of three days carrying one visit each.
    assert calls_of(data, "2026-W48") == [
        HEADER,
        row("2026-11-23", "andi", "O2"),
        row("2026-11-23", "andi", "O3"),
        row("2026-11-24", "andi", "O1"),
        row("2026-11-25", "andi", "O2"),
        row("2026-11-23", "citra", "O4"),
    ]
    assert check_data(data).errors == []


def test_rep_gone_for_the_whole_week_leaves_idle_outlets(tmp_path):
    team = TEAM.replace("team: east}", "team: east, end: 2026-11-20}", 1)
    data = write_data(tmp_path / "data", {"outlets.csv": OUTLETS, "team.yaml": team})
    result = create_week(data, "2026-W48")
    assert result.plan is not None
    assert result.plan.idle_outlets == ("O1", "O2", "O3")
    assert result.plan.reps == ("budi", "citra")
    assert calls_of(data, "2026-W48") == [HEADER, row("2026-11-23", "citra", "O4")]


def test_empty_templates_and_check_passes(plan_data):
    create_week(plan_data, "2026-W48")
    folder = plan_data / "weeks" / "2026-W48"
    assert (folder / "sales.csv").read_text() == "date,rep_id,outlet_id,order_value,units,channel,notes\n"
    assert (folder / "activities.csv").read_text() == (
        "date,person_id,type,planned,done,outlet_id,prospect_id,outcome,notes\n"
    )
    assert (folder / "prospects.csv").read_text() == (
        "date,prospect_id,name,owner_id,source,stage,expected_value,outlet_id,notes\n"
    )
    result = check_data(plan_data)
    assert result.errors == []
    assert result.dataset is not None
    calls = result.dataset.calls[result.dataset.calls["week"] == "2026-W48"]
    assert len(calls) == 5 and calls["planned"].all() and not calls["visited"].any()
    assert calls["order_value"].sum() == 0
    # Only warnings: people with nothing in the week yet (budi, dewi).
    assert {p.level for p in result.problems} == {"warning"}


def test_never_overwrites(plan_data):
    folder = plan_data / "weeks" / "2026-W48"
    folder.mkdir(parents=True)
    (folder / "calls.csv").write_text("mine\n")
    (folder / "sales.csv").write_text("mine too\n")
    result = create_week(plan_data, "2026-W48")
    assert (folder / "calls.csv").read_text() == "mine\n"
    assert (folder / "sales.csv").read_text() == "mine too\n"
    assert [p.name for p in result.created] == ["activities.csv", "prospects.csv"]
    assert [p.name for p in result.skipped] == ["calls.csv", "sales.csv"]
    assert result.plan is None


def test_same_input_same_file(plan_data, tmp_path):
    other = write_data(tmp_path / "other", {"outlets.csv": OUTLETS, "config.yaml": HOLIDAY})
    create_week(plan_data, "2026-W50")
    create_week(other, "2026-W50")
    first = (plan_data / "weeks/2026-W50/calls.csv").read_bytes()
    assert first == (other / "weeks/2026-W50/calls.csv").read_bytes()


def test_cli_creates_and_reports(plan_data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["new-week", "2026-W48"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "Created data/weeks/2026-W48/calls.csv: 5 planned visits for 3 reps",
        "Created data/weeks/2026-W48/sales.csv",
        "Created data/weeks/2026-W48/activities.csv",
        "Created data/weeks/2026-W48/prospects.csv",
        "Fill in visited, order_value, units and no_order_reason as the week goes, "
        "then run `reports-gen check`.",
    ]
    again = CliRunner().invoke(cli, ["--data", "data", "new-week", "2026-W48"])
    assert again.exit_code == 0
    assert again.stderr == "Nothing to do: every file of 2026-W48 already exists in data/weeks/2026-W48\n"


def test_cli_reports_skipped_files_and_idle_outlets(tmp_path, monkeypatch):
    team = TEAM.replace("team: east}", "team: east, end: 2026-11-20}", 1)
    write_data(tmp_path / "data", {"outlets.csv": OUTLETS, "team.yaml": team})
    (tmp_path / "data/weeks/2026-W48").mkdir(parents=True)
    (tmp_path / "data/weeks/2026-W48/sales.csv").write_text("date\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["new-week", "2026-W48", "--data", "data"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "Created data/weeks/2026-W48/calls.csv: 1 planned visit for 2 reps"
    assert "Skipped data/weeks/2026-W48/sales.csv: it already exists" in lines
    assert (
        "note: 3 outlet(s) have no rep working in 2026-W48: O1, O2, O3 "
        "(assign them to another rep in outlets.csv)"
    ) in lines


def test_cli_default_week_is_this_iso_week(plan_data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["new-week"])
    assert result.exit_code == 0, result.output
    year, week, _ = dt.date.today().isocalendar()
    assert (plan_data / "weeks" / f"{year}-W{week:02d}" / "calls.csv").exists()


@pytest.mark.parametrize("week", ["2026-48", "2026-W54", "next"])
def test_cli_invalid_week_is_a_usage_error(plan_data, week):
    result = CliRunner().invoke(cli, ["new-week", week, "--data", str(plan_data)])
    assert result.exit_code == 2
    assert "Invalid value for WEEK" in result.stderr
    assert not (plan_data / "weeks" / week).exists()


def test_cli_invalid_outlets_writes_nothing(tmp_path):
    data = write_data(tmp_path / "data", {"outlets.csv": OUTLETS.replace("andi,2", "zoe,2")})
    result = CliRunner().invoke(cli, ["new-week", "2026-W48", "--data", str(data)])
    assert result.exit_code == 1
    assert "error: unknown person 'zoe'" in result.stdout
    assert not (data / "weeks/2026-W48").exists()
