"""The synthetic data generator: deterministic, well-formed, consistent and realistic."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import holidays
import numpy as np
import pandas as pd
import pytest
import yaml

from reports_gen.dataset.dataset import check_data
from reports_gen.demo import generate_demo_data

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
HEADERS = {
    "calls.csv": "date,rep_id,outlet_id,planned,visited,order_value,units,no_order_reason,notes",
    "sales.csv": "date,rep_id,outlet_id,order_value,units,channel,notes",
    "activities.csv": "date,person_id,type,planned,done,outlet_id,prospect_id,outcome,notes",
    "prospects.csv": "date,prospect_id,name,owner_id,source,stage,expected_value,outlet_id,notes",
}
STAGES = ["new", "contacted", "qualified", "proposal", "won", "lost"]


class Demo:
    """A generated directory, read back the way a user's files would be."""

    def __init__(self, root: Path):
        self.root = root
        self.config = yaml.safe_load((root / "config.yaml").read_text(encoding="utf-8"))
        self.team = yaml.safe_load((root / "team.yaml").read_text(encoding="utf-8"))
        self.targets = yaml.safe_load((root / "targets.yaml").read_text(encoding="utf-8"))["targets"]
        self.outlets = _read(root / "outlets.csv")
        self.weeks = sorted(p.name for p in (root / "weeks").iterdir())
        self.people = pd.DataFrame(self.team["people"]).set_index("id")

    def table(self, name: str) -> pd.DataFrame:
        """Concatenate one file of every week, with a `week` column."""
        frames = [_read(self.root / "weeks" / w / name).assign(week=w) for w in self.weeks]
        return pd.concat(frames, ignore_index=True)

    def working_day(self, day: dt.date) -> bool:
        """Apply config.yaml's calendar: Mon..Sat, no public holiday, no company day off."""
        closed = _public_holidays() | set(self.config["holidays"]["extra"])
        return day.weekday() < 6 and day not in closed


@functools.cache
def _public_holidays() -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("ID", years=range(2024, 2028)))


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _generate(path: Path, **kwargs) -> Demo:
    generate_demo_data(path, **kwargs)
    return Demo(path)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Demo:
    return _generate(tmp_path_factory.mktemp("small") / "data", people=8, weeks=6, seed=3)


@pytest.fixture(scope="module")
def medium(tmp_path_factory) -> Demo:
    return _generate(
        tmp_path_factory.mktemp("medium") / "data", people=24, weeks=20, seed=7, end_week="2026-W10"
    )


@pytest.fixture(params=["small", "medium"])
def demo(request) -> Demo:
    return request.getfixturevalue(request.param)


# -- determinism and shape ---------------------------------------------------------------------


def test_same_arguments_give_identical_bytes(tmp_path, small):
    generate_demo_data(tmp_path / "again", people=8, weeks=6, seed=3)
    assert _snapshot(tmp_path / "again") == _snapshot(small.root)


def test_another_seed_gives_other_data(tmp_path, small):
    generate_demo_data(tmp_path / "other", people=8, weeks=6, seed=4)
    other, base = _snapshot(tmp_path / "other"), _snapshot(small.root)
    assert other.keys() == base.keys()
    assert other["outlets.csv"] != base["outlets.csv"]
    assert other["weeks/2026-W47/calls.csv"] != base["weeks/2026-W47/calls.csv"]


def test_files_and_headers(small):
    files = set(_snapshot(small.root))
    weekly = {f"weeks/{w}/{name}" for w in small.weeks for name in HEADERS}
    assert files == {"config.yaml", "team.yaml", "outlets.csv", "targets.yaml"} | weekly
    for name in weekly:
        text = (small.root / name).read_text(encoding="utf-8")
        assert text.split("\n", 1)[0] == HEADERS[name.rsplit("/", 1)[1]]
    outlets = (small.root / "outlets.csv").read_text(encoding="utf-8")
    assert outlets.startswith("outlet_id,name,type,area,rep_id,visits_per_week,lat,lon\n")


def test_csv_files_are_plain(small):
    for path in small.root.rglob("*.csv"):
        raw = path.read_bytes()
        assert b"\r" not in raw and b'"' not in raw, path
        assert raw.endswith(b"\n") and not raw.startswith(b"\xef\xbb\xbf"), path


def test_size_follows_the_arguments(small, medium):
    # 2026-W47 is 16..22 November 2026; 2026-W10 is 2..8 March 2026.
    assert small.weeks == [f"2026-W{w}" for w in range(42, 48)]
    assert medium.weeks[0] == "2025-W43" and medium.weeks[-1] == "2026-W10"
    assert len(medium.weeks) == 20
    assert len(small.people) == 8 and len(medium.people) == 24


def test_config_states_the_calendar(small):
    config = small.config
    assert config["language"] == "id" and config["currency"] == "IDR"
    assert config["working_days"] == ["mon", "tue", "wed", "thu", "fri", "sat"]
    assert config["holidays"]["country"] == "ID" and config["holidays"]["working"] == []
    first, last = dt.date(2026, 10, 12), dt.date(2026, 11, 22)
    assert config["holidays"]["extra"] and all(first <= d <= last for d in config["holidays"]["extra"])
    assert config["thresholds"]["stale_prospect_days"] == 14
    assert "social_media" in config["activity_types"]


# -- team and outlets --------------------------------------------------------------------------


def test_team_structure(medium):
    people, teams = medium.people, medium.team["teams"]
    assert people.index.is_unique and people.index.str.match(ID_PATTERN).all()
    assert len(teams) >= 2 and all(len(t["id"]) and t["id"] == t["id"].lower() for t in teams)
    assert set(people["team"]) == {t["id"] for t in teams}
    for team in teams:
        manager = people.loc[team["manager"]]
        assert manager["team"] == team["id"] and manager["role"] == "sales"
    assert 1 <= (people["role"] == "marketing").sum() <= len(people) // 3
    starts = pd.to_datetime(people["start"])
    assert (starts > pd.Timestamp("2025-10-20")).sum() >= 1  # someone joined during the range
    assert people["end"].notna().sum() >= 1  # someone left


def test_outlets_belong_to_sales_people(medium):
    outlets, people = medium.outlets, medium.people
    assert outlets["outlet_id"].is_unique and outlets["outlet_id"].str.match(ID_PATTERN).all()
    assert set(outlets["rep_id"]) <= set(people.index[people["role"] == "sales"])
    assert set(outlets["type"]) == {"store", "reseller", "buyer"}
    assert set(outlets["visits_per_week"]) <= {"0.5", "1", "2", "3"}
    lat, lon = outlets["lat"].astype(float), outlets["lon"].astype(float)
    assert lat.between(-8.8, -6.7).all() and lon.between(110.8, 114.6).all()  # East Java


# -- week files --------------------------------------------------------------------------------


def test_dates_lie_in_their_week_folder(demo):
    for name in HEADERS:
        table = demo.table(name)
        iso = pd.to_datetime(table["date"]).dt.isocalendar()
        folder = iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)
        assert (folder == table["week"]).all(), name


def test_calls_are_consistent(demo):
    calls = demo.table("calls.csv")
    assert not calls.duplicated(["date", "rep_id", "outlet_id"]).any()
    assert set(calls["planned"]) == {"ya", "tidak"} and set(calls["visited"]) == {"ya", "tidak"}
    assert not ((calls["planned"] == "tidak") & (calls["visited"] == "tidak")).any()
    value, units = calls["order_value"].astype(int), calls["units"].astype(int)
    assert (value[calls["visited"] == "tidak"] == 0).all()
    assert ((value > 0) == (units > 0)).all()
    assert (value % 500 == 0).all() and (value[value > 0] >= 150_000).all()
    no_order = (calls["visited"] == "ya") & (value == 0)
    assert (calls.loc[no_order, "no_order_reason"] != "").mean() > 0.8
    missed = (calls["planned"] == "ya") & (calls["visited"] == "tidak")
    assert 0.02 < missed.sum() / (calls["planned"] == "ya").sum() < 0.2
    assert (calls.loc[missed, "notes"] != "").mean() > 0.6


def test_every_id_is_defined(demo):
    people, outlet_ids = demo.people, set(demo.outlets["outlet_id"])
    sales_ids = set(people.index[people["role"] == "sales"])
    calls, sales = demo.table("calls.csv"), demo.table("sales.csv")
    acts, prospects = demo.table("activities.csv"), demo.table("prospects.csv")
    assert set(calls["rep_id"]) <= sales_ids and set(sales["rep_id"]) <= sales_ids
    assert set(calls["outlet_id"]) | set(sales["outlet_id"]) <= outlet_ids
    assert set(acts["person_id"]) | set(prospects["owner_id"]) <= set(people.index)
    assert set(acts["type"]) <= set(demo.config["activity_types"])
    assert set(acts["outlet_id"]) - {""} <= outlet_ids
    assert set(prospects["outlet_id"]) - {""} <= outlet_ids
    first_event = prospects.groupby("prospect_id")["date"].min()
    linked = acts[acts["prospect_id"] != ""]
    assert len(linked) > 0
    assert (first_event.reindex(linked["prospect_id"]).to_numpy() <= linked["date"].to_numpy()).all()


def test_people_only_log_while_employed(demo):
    people = demo.people
    start = pd.to_datetime(people["start"]).dt.date
    end = pd.to_datetime(people["end"]).dt.date if "end" in people else pd.Series(dtype=object)
    for name, column in [
        ("calls.csv", "rep_id"),
        ("sales.csv", "rep_id"),
        ("activities.csv", "person_id"),
        ("prospects.csv", "owner_id"),
    ]:
        table = demo.table(name)
        day = pd.to_datetime(table["date"]).dt.date
        assert (day >= start.reindex(table[column]).to_numpy()).all(), name
        last = end.reindex(table[column]).to_numpy()
        assert all(pd.isna(e) or d <= e for d, e in zip(day, last, strict=True)), name


def test_planned_visits_only_on_working_days(demo):
    calls = demo.table("calls.csv")
    days = pd.to_datetime(calls.loc[calls["planned"] == "ya", "date"].unique()).date
    assert all(demo.working_day(d) for d in days)
    other = {d for d in pd.to_datetime(calls["date"].unique()).date if not demo.working_day(d)}
    assert not other  # nobody works off-plan on Sundays or holidays either


def test_planned_visits_per_working_day(medium):
    calls = medium.table("calls.csv")
    planned = calls[calls["planned"] == "ya"].groupby("rep_id").size()
    first, last = dt.date(2025, 10, 20), dt.date(2026, 3, 8)
    for rep, count in planned.items():
        person = medium.people.loc[rep]
        since = max(first, person["start"])
        until = last if pd.isna(person.get("end")) else min(last, person["end"])
        span = (since + dt.timedelta(days=i) for i in range((until - since).days + 1))
        working = sum(medium.working_day(d) for d in span)
        assert 20 <= count / working <= 35, (rep, count / working)


def test_reps_differ_in_effective_call_ratio(medium):
    calls = medium.table("calls.csv")
    visited = calls[calls["visited"] == "ya"]
    ratio = (visited["order_value"].astype(int) > 0).groupby(visited["rep_id"]).mean()
    assert ratio.max() - ratio.min() > 0.15
    assert ratio.between(0.25, 0.95).all()


def test_sales_and_activities(medium):
    sales, acts = medium.table("sales.csv"), medium.table("activities.csv")
    assert set(sales["channel"]) <= {"telepon", "whatsapp", "online"}
    assert (sales["order_value"].astype(int) > 0).all() and (sales["units"].astype(int) > 0).all()
    owner = medium.outlets.set_index("outlet_id")["rep_id"]
    assert (owner.reindex(sales["outlet_id"]).to_numpy() == sales["rep_id"].to_numpy()).mean() > 0.9
    assert not ((acts["planned"] == "tidak") & (acts["done"] == "tidak")).any()
    missed = (acts["planned"] == "ya") & (acts["done"] == "tidak")
    assert missed.any() and ((acts["planned"] == "tidak") & (acts["done"] == "ya")).any()
    assert (acts.loc[acts["done"] == "ya", "outcome"] != "").all()
    roles = medium.people["role"].reindex(acts["person_id"]).to_numpy()
    assert (roles == "marketing").mean() > 0.4


def test_prospects_move_through_the_pipeline(medium):
    events = medium.table("prospects.csv")
    assert events["prospect_id"].str.match(r"^PR-\d{4}$").all()
    assert set(events["stage"]) == set(STAGES)
    for _, rows in events.groupby("prospect_id", sort=False):
        rank = rows["stage"].map(STAGES.index).to_numpy()
        assert rows["date"].is_monotonic_increasing and rows["date"].is_unique
        assert rank[0] == 0 and rows["name"].iloc[0] != "" and (rows["name"].iloc[1:] == "").all()
        assert rows["owner_id"].nunique() == 1
        assert (np.diff(rank) > 0).all() and not (rank[:-1] >= 4).any()
    assert ((events["stage"] == "won") & (events["outlet_id"] != "")).any()


# -- targets -----------------------------------------------------------------------------------


def test_targets_are_well_formed(demo):
    people = set(demo.people.index)
    teams = {t["id"] for t in demo.team["teams"]}
    seen = set()
    for target in demo.targets:
        assert isinstance(target["period"], str)
        assert ("value" in target) != ("growth" in target)
        scope = target["scope"]
        assert scope == "company" or scope.split(":")[1] in (people if "person" in scope else teams)
        key = (target["period"], scope, target["metric"])
        assert key not in seen
        seen.add(key)
    team_revenue = {
        t["period"] for t in demo.targets if t["scope"].startswith("team:") and t["metric"] == "revenue"
    }
    assert not team_revenue  # teams roll up their people's revenue targets
    assert any(t["scope"] == "company" and "-Q" in t["period"] for t in demo.targets)


def test_growth_target_has_a_basis_with_data(small, medium):
    # Six weeks do not hold a whole month: the growth is on the last week over the one before.
    small_growth = [t for t in small.targets if "growth" in t]
    assert small_growth and {t["period"] for t in small_growth} == {"2026-W47"}
    growth = [t for t in medium.targets if "growth" in t]
    assert growth and all(t["basis"] == "previous" for t in growth)
    assert {t["period"] for t in growth} == {"2026-03"}  # basis February, wholly inside the range
    calls = medium.table("calls.csv")
    basis = calls[calls["date"].str.startswith("2026-02")]
    for t in growth:
        assert (basis["rep_id"] == t["scope"].split(":")[1]).any()


def test_revenue_targets_are_reachable(medium):
    calls, sales = medium.table("calls.csv"), medium.table("sales.csv")
    revenue = pd.concat([calls, sales])
    revenue = revenue.assign(month=revenue["date"].str[:7], value=revenue["order_value"].astype(int))
    actual = revenue.groupby(["rep_id", "month"])["value"].sum()
    whole_months = ["2025-11", "2025-12", "2026-01", "2026-02"]
    ratios = [
        actual.get((t["scope"].split(":")[1], t["period"]), 0) / t["value"]
        for t in medium.targets
        if t["metric"] == "revenue"
        and t["scope"].startswith("person:")
        and "value" in t
        and t["period"] in whole_months
        and pd.isna(medium.people.loc[t["scope"][7:]].get("end"))
        and medium.people.loc[t["scope"][7:], "start"] < dt.date(2025, 10, 20)
    ]
    assert len(ratios) > 20
    assert 0.85 < float(np.median(ratios)) < 1.15
    assert min(ratios) > 0.6 and max(ratios) < 1.45


# -- arguments ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"people": 1}, "people"),
        ({"weeks": 0}, "weeks"),
        ({"end_week": "2026-47"}, "ISO week"),
        ({"end_week": "2025-W53"}, "ISO week"),  # 2025 has 52 ISO weeks
        ({"end_week": "2026-W00"}, "ISO week"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_arguments_raise_value_error(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        generate_demo_data(tmp_path / "out", **kwargs)
    assert not (tmp_path / "out").exists()


def test_writing_again_over_earlier_output_gives_the_same_files(tmp_path, small):
    (tmp_path / "notes.txt").write_text("mine")
    generate_demo_data(tmp_path, people=8, weeks=6, seed=9)
    generate_demo_data(tmp_path, people=8, weeks=6, seed=3)
    assert _snapshot(tmp_path) == {**_snapshot(small.root), "notes.txt": b"mine"}


def test_smallest_company(tmp_path):
    demo = _generate(tmp_path / "data", people=2, weeks=1)
    assert demo.weeks == ["2026-W47"] and len(demo.people) == 2
    assert len(demo.table("calls.csv")) > 100


@pytest.mark.parametrize(("people", "seed"), [(2, 0), (3, 4), (4, 9)])
def test_small_companies_without_marketing_people(tmp_path, people, seed):
    # No marketing person means weeks without activities: that used to crash the generator.
    generate_demo_data(tmp_path / "d", people=people, weeks=3, seed=seed)
    assert check_data(tmp_path / "d").errors == []
