"""Weekly metrics and target periods as of a date (SPEC section 4), in pure pandas."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from reports_gen.dataset.dataset import Dataset
from reports_gen.dataset.schema import TARGET_METRICS
from reports_gen.metrics.facts import COUNTS, daily_facts, prospect_summary
from reports_gen.metrics.targets import SCOPE_ORDER, TargetPlan, actual_between, plan_targets, scope_members
from reports_gen.workcalendar import WorkCalendar, person_days, week_codes

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
PERIOD_COLUMNS = (
    "period",
    "scope",
    "id",
    "metric",
    "target",
    "actual",
    "attainment",
    "expected_to_date",
    "pace",
    "projection",
    "required_per_day",
    "status",
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
    `periods`: the target periods containing `as_of`, with the columns of PERIOD_COLUMNS.
    `facts`: one row per person and day (see facts.COUNTS); `targets`: the TargetPlan.
    `prospects`: one row per prospect (owner, first/last/won/lost dates, stage).
    """

    as_of: dt.date
    weekly: pd.DataFrame
    periods: pd.DataFrame
    facts: pd.DataFrame
    targets: TargetPlan
    people: pd.DataFrame
    prospects: pd.DataFrame


def compute_metrics(ds: Dataset, as_of: dt.date | None = None) -> Metrics:
    """Compute weekly metrics and target periods; `as_of` defaults to the latest week's Sunday."""
    day = as_of or ds.last_day.date()
    people = ds.org.frame()
    facts = daily_facts(ds, people)
    plan = plan_targets(ds.targets, people, ds.config.calendar, facts)
    weekly = weekly_metrics(ds, facts, people, plan)
    periods = period_metrics(
        plan, facts, people, ds.config.calendar, pd.Timestamp(day), ds.config.thresholds.pace_at_risk
    )
    return Metrics(day, weekly, periods, facts, plan, people, prospect_summary(ds.prospects))


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


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """Divide, leaving NaN (empty) where the denominator is 0 or undefined."""
    denominator = denominator.astype(float)
    return numerator.astype(float) / denominator.where(denominator != 0)


def _outlet_counts(ds: Dataset, people: pd.DataFrame) -> pd.DataFrame:
    """Assigned outlets per person, and of those the ones visited (by anyone) each week."""
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
    revenue = plan.effective[plan.effective["metric"] == "revenue"]
    if revenue.empty:
        return pd.DataFrame(columns=["week", "scope", "id", "revenue_target"])
    return (
        revenue.assign(week=week_codes(revenue["date"]))
        .groupby(["week", "scope", "id"], as_index=False)["target"]
        .sum()
        .rename(columns={"target": "revenue_target"})
    )


def period_metrics(
    plan: TargetPlan,
    facts: pd.DataFrame,
    people: pd.DataFrame,
    calendar: WorkCalendar,
    day: pd.Timestamp,
    pace_at_risk: float,
) -> pd.DataFrame:
    """Return every target period containing `day`: target, actual, pace, projection, status."""
    current = plan.periods[(plan.periods["start"] <= day) & (plan.periods["end"] >= day)]
    if current.empty:
        return pd.DataFrame(columns=list(PERIOD_COLUMNS))
    members = scope_members(people)
    rows = []
    for (start, end), group in current.groupby(["start", "end"], sort=True):
        working = _working_days_by_scope(people, calendar, start, end, day)
        for metric, metric_group in group.groupby("metric", sort=False):
            actuals = actual_between(facts, members, metric, start, day)
            frame = metric_group.copy()
            keys = pd.MultiIndex.from_frame(frame[["scope", "id"]])
            frame["actual"] = actuals.reindex(keys).fillna(0).to_numpy()
            frame = frame.join(working, on=["scope", "id"])
            rows.append(frame)
    frame = pd.concat(rows, ignore_index=True)
    expected = (
        plan.daily[plan.daily["date"] <= day].groupby(["period", "scope", "id", "metric"])["daily"].sum()
    )
    frame["expected_to_date"] = (
        expected.reindex(pd.MultiIndex.from_frame(frame[["period", "scope", "id", "metric"]]))
        .fillna(0)
        .to_numpy()
    )
    frame["target"] = frame["value"]
    frame["attainment"] = ratio(frame["actual"], frame["target"])
    frame["pace"] = ratio(frame["actual"], frame["expected_to_date"])
    frame["projection"] = ratio(frame["actual"], frame["elapsed"]) * frame["total"]
    remaining = (frame["target"] - frame["actual"]).clip(lower=0)
    frame["required_per_day"] = ratio(remaining, frame["total"] - frame["elapsed"])
    frame["status"] = _status(frame, pace_at_risk)
    order = frame["scope"].map(SCOPE_ORDER) * 100 + frame["metric"].map(
        {m: i for i, m in enumerate(TARGET_METRICS)}
    )
    frame = frame.assign(_o=order).sort_values(["start", "rank", "_o", "id"], kind="stable")
    return frame[list(PERIOD_COLUMNS)].reset_index(drop=True)


def _status(frame: pd.DataFrame, pace_at_risk: float) -> np.ndarray:
    achieved = frame["actual"] >= frame["target"]
    on_track = (frame["pace"] >= 1) | (frame["expected_to_date"] == 0)
    at_risk = frame["pace"] >= pace_at_risk
    return np.select([achieved, on_track, at_risk], ["achieved", "on_track", "at_risk"], "behind")


def _working_days_by_scope(
    people: pd.DataFrame, calendar: WorkCalendar, start: pd.Timestamp, end: pd.Timestamp, day: pd.Timestamp
) -> pd.DataFrame:
    """Working days of a period (`total`) and up to `day` (`elapsed`) for each scope.

    A person counts their own working days; a team and the company count company working days.
    """
    grid = person_days(people, calendar, start, end)
    grid["elapsed"] = grid["working"] & (grid["date"] <= day)
    person = grid.groupby("person_id")[["working", "elapsed"]].sum().rename(columns={"working": "total"})
    days = grid.drop_duplicates("date")
    company = {
        "total": days["company_working"].sum(),
        "elapsed": (days["company_working"] & (days["date"] <= day)).sum(),
    }
    scopes = [
        person.assign(scope="person").rename_axis("id").reset_index(),
        pd.DataFrame([{"scope": "team", "id": team, **company} for team in people["team"].unique()]),
        pd.DataFrame([{"scope": "company", "id": "", **company}]),
    ]
    return pd.concat(scopes, ignore_index=True).set_index(["scope", "id"])[["total", "elapsed"]].astype(float)
