"""Weekly metrics (SPEC section 4) and the Metrics of a dataset, in pure pandas."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from reports_gen.dataset.dataset import Dataset
from reports_gen.metrics.facts import COUNTS, daily_facts, reported_missed
from reports_gen.metrics.periods import all_periods, period_metrics, ratio
from reports_gen.metrics.prospects import prospect_summary
from reports_gen.metrics.targets import SCOPE_ORDER, TargetPlan, plan_targets, scope_members
from reports_gen.workcalendar import WorkCalendar, week_codes

WEEKLY_METRICS = (
    "revenue",
    "units",
    "actual_calls",
    "effective_calls",
    "ec_ratio",
    "planned_calls",
    "planned_visited",
    "missed_calls",
    "unplanned_calls",
    "pjp_rate",
    "drop_size",
    "outlets_assigned",
    "outlets_visited",
    "coverage",
    "working_days",
    "active_days",
    "log_gap_days",
    "activities_done",
    "activities_planned",
    "activities_missed",
    "activity_rate",
    "new_prospects",
    "prospects_won",
    "prospects_lost",
    "win_rate",
    "revenue_target",
    "attainment",
)
# The headline figures of a week: the KPI cards of the site and the tables of `diff`.
HEADLINE_METRICS = (
    "revenue",
    "attainment",
    "actual_calls",
    "effective_calls",
    "ec_ratio",
    "pjp_rate",
    "coverage",
    "activities_done",
    "new_prospects",
)
# ratio metric -> (numerator, denominator); both are summed before dividing.
RATIOS = {
    "ec_ratio": ("effective_calls", "actual_calls"),
    "pjp_rate": ("planned_visited", "planned_calls"),
    "drop_size": ("call_revenue", "effective_calls"),
    "coverage": ("outlets_visited", "outlets_assigned"),
    "activity_rate": ("activities_planned_done", "activities_planned"),
    "win_rate": ("prospects_won", "prospects_decided"),
    "attainment": ("revenue", "revenue_target"),
}


@dataclass(frozen=True)
class Metrics:
    """Everything computed from a Dataset, ready for pages and exports.

    `weekly`: one row per (week, scope, id) with a column per WEEKLY_METRICS (NaN = undefined).
    `periods`: the target periods containing `as_of`, with the columns of periods.PERIOD_COLUMNS.
    `facts`: one row per person and day (see facts.COUNTS); `targets`: the TargetPlan.
    `prospects`: one row per prospect as of `as_of`, with whether it is open and stale (see
    prospects.prospect_summary). `all_periods` (computed when first asked for): every target
    period, current, past (as of its end) or upcoming (see periods.all_periods).
    """

    as_of: dt.date
    weekly: pd.DataFrame
    periods: pd.DataFrame
    facts: pd.DataFrame
    targets: TargetPlan
    people: pd.DataFrame
    prospects: pd.DataFrame
    calendar: WorkCalendar
    pace_at_risk: float

    @cached_property
    def all_periods(self) -> pd.DataFrame:
        """Return every target period: current ones as of `as_of`, past ones as of their end, upcoming."""
        day = pd.Timestamp(self.as_of)
        plan, facts, people, calendar = self.targets, self.facts, self.people, self.calendar
        # the current periods are `periods` (the same function, as of the same day): not worked out again
        return all_periods(plan, facts, people, calendar, day, self.pace_at_risk, current=self.periods)


def compute_metrics(ds: Dataset, as_of: dt.date | None = None) -> Metrics:
    """Compute weekly metrics and target periods; `as_of` defaults to the latest week's Sunday."""
    day = as_of or ds.last_day.date()
    people = ds.org.frame()
    facts = daily_facts(ds, people)
    plan = plan_targets(ds.targets, people, ds.config.calendar, facts)
    weekly = weekly_metrics(ds, facts, people, plan)
    thresholds, when = ds.config.thresholds, pd.Timestamp(day)
    calendar, pace_at_risk = ds.config.calendar, thresholds.pace_at_risk
    periods = period_metrics(plan, facts, people, calendar, when, pace_at_risk)
    prospects = prospect_summary(ds.prospects, when, thresholds.stale_prospect_days)
    return Metrics(day, weekly, periods, facts, plan, people, prospects, calendar, pace_at_risk)


def weekly_metrics(ds: Dataset, facts: pd.DataFrame, people: pd.DataFrame, plan: TargetPlan) -> pd.DataFrame:
    """Return every metric for every week folder and every person, team and the company."""
    members = scope_members(people)
    per_person = facts.groupby(["week", "person_id"], as_index=False)[list(COUNTS)].sum()
    outlets = _outlet_counts(ds, people)
    per_person = per_person.merge(outlets, on=["week", "person_id"], how="left")
    per_person[["outlets_assigned", "outlets_visited"]] = per_person[
        ["outlets_assigned", "outlets_visited"]
    ].fillna(0)
    summed_columns = [*COUNTS, "outlets_assigned", "outlets_visited"]
    by_scope = (
        per_person.merge(members, on="person_id")
        .groupby(["week", "scope", "id"], as_index=False)[summed_columns]
        .sum()
    )
    by_scope["log_gap_days"] = by_scope["working_days"] - by_scope["active_days"]
    by_scope["prospects_decided"] = by_scope["prospects_won"] + by_scope["prospects_lost"]
    by_scope = by_scope.merge(_weekly_targets(plan), on=["week", "scope", "id"], how="left")
    for name, (numerator, denominator) in RATIOS.items():
        by_scope[name] = ratio(by_scope[numerator], by_scope[denominator])
    by_scope = by_scope[by_scope["week"].isin(ds.weeks)]
    order = by_scope["scope"].map(SCOPE_ORDER)
    by_scope = by_scope.assign(_o=order).sort_values(["week", "_o", "id"]).drop(columns="_o")
    return by_scope[["week", "scope", "id", *WEEKLY_METRICS]].reset_index(drop=True)


def _outlet_counts(ds: Dataset, people: pd.DataFrame) -> pd.DataFrame:
    """Assigned outlets per person, and of those the ones visited (by anyone) each week."""
    outlets = ds.outlets
    if outlets["outlet_id"].duplicated().any():  # not in a valid dataset; counted the long way
        return _outlet_counts_merged(ds, people)
    grid = pd.MultiIndex.from_product([list(ds.weeks), people.index], names=["week", "person_id"])
    frame = pd.DataFrame(index=grid).reset_index()
    owner = people.index.get_indexer(outlets["rep_id"])  # each outlet's person, -1: not in team.yaml
    assigned = np.tile(np.bincount(owner[owner >= 0], minlength=len(people)), len(ds.weeks))
    frame["outlets_assigned"] = _counted(assigned)
    # each (week, outlet) with an actual call once, from the codes of the two columns
    calls = ds.calls.loc[ds.calls["visited"].to_numpy(), ["week", "outlet_id"]]
    week_code, week_values = pd.factorize(calls["week"].to_numpy(dtype=object))
    outlet_code, outlet_values = pd.factorize(calls["outlet_id"].to_numpy(dtype=object))
    size = max(len(outlet_values), 1)
    seen = np.zeros(len(week_values) * size, dtype=bool)
    seen[week_code.astype(np.int64) * size + outlet_code] = True
    pairs = np.flatnonzero(seen)
    place = pd.Index(outlets["outlet_id"]).get_indexer(outlet_values)
    week_at = pd.Index(list(ds.weeks)).get_indexer(week_values)[pairs // size]
    person_at = np.where(place >= 0, owner[place], -1)[pairs % size]
    known = (week_at >= 0) & (person_at >= 0)
    visited = np.bincount(week_at[known] * len(people) + person_at[known], minlength=len(frame))
    frame["outlets_visited"] = _counted(visited)
    return frame


def _counted(counts: np.ndarray) -> np.ndarray:
    """Counts as a count reindexed onto the grid reads after fillna(0): whole unless one was missing."""
    return counts.astype(np.int64) if (counts > 0).all() else counts.astype(float)


def _outlet_counts_merged(ds: Dataset, people: pd.DataFrame) -> pd.DataFrame:
    """_outlet_counts by merging the calls with the outlets (any outlet list, repeats included)."""
    visited = ds.calls.loc[ds.calls["visited"], ["week", "outlet_id"]].drop_duplicates()
    visited = visited.merge(ds.outlets[["outlet_id", "rep_id"]], on="outlet_id")
    visited_counts = visited.groupby(["week", "rep_id"]).size().rename("outlets_visited")
    assigned = ds.outlets.groupby("rep_id").size().rename("outlets_assigned")
    grid = pd.MultiIndex.from_product([list(ds.weeks), people.index], names=["week", "person_id"])
    frame = pd.DataFrame(index=grid).reset_index()
    frame["outlets_assigned"] = assigned.reindex(frame["person_id"]).fillna(0).to_numpy()
    frame["outlets_visited"] = (
        visited_counts.reindex(pd.MultiIndex.from_frame(frame[["week", "person_id"]])).fillna(0).to_numpy()
    )
    return frame


def _weekly_targets(plan: TargetPlan) -> pd.DataFrame:
    revenue = plan.sources[plan.sources["metric"] == "revenue"]
    if revenue.empty:
        return pd.DataFrame(columns=["week", "scope", "id", "revenue_target"])
    sums = plan.window_sums(revenue.assign(week=week_codes(revenue["date"])), ["week", "scope", "id"])
    return sums.rename("revenue_target").reset_index()


def activity_totals(facts: pd.DataFrame, weeks: list[str]) -> pd.DataFrame:
    """Sum each person's activity counts over `weeks`, with activity_rate; people with none left out."""
    columns = ["activities_planned", "activities_done", "activities_missed"]
    window = facts[facts["week"].isin(weeks)]
    sums = window.groupby("person_id")[[*columns, "activities_planned_done"]].sum()
    sums = sums[sums[columns].sum(axis=1) > 0]
    sums["activity_rate"] = ratio(sums["activities_planned_done"], sums["activities_planned"])
    return sums[[*columns, "activity_rate"]].rename_axis("id")


def activity_mix(activities: pd.DataFrame, weeks: list[str]) -> pd.DataFrame:
    """Count activities per type over `weeks`: planned (with an outcome), done and missed."""
    window = activities[activities["week"].isin(weeks)]
    counted = pd.DataFrame(
        {
            "type": window["type"],
            "planned": window["planned"] & window["reported"],
            "done": window["done"],
            "missed": reported_missed(window["planned"], window["done"], window["reported"]),
        }
    )
    mix = counted.groupby("type")[["planned", "done", "missed"]].sum().reset_index()
    return mix.sort_values("done", ascending=False)


def missed_calls(calls: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """Return the planned visits reported as not made, dated on or before `day`."""
    missed = reported_missed(calls["planned"], calls["visited"], calls["reported"])
    return calls[missed & (calls["date"] <= pd.Timestamp(day))]


def missed_activities(activities: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """Return the planned activities reported as not done, dated on or before `day`."""
    missed = reported_missed(activities["planned"], activities["done"], activities["reported"])
    return activities[missed & (activities["date"] <= pd.Timestamp(day))]
