"""Targets: growth values, daily breakdown, roll-up (people -> team -> company), finest period."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from reports_gen.dataset.model import TargetSpec
from reports_gen.workcalendar import WorkCalendar, person_days

SCOPE_ORDER = {"company": 0, "team": 1, "person": 2}


@dataclass(frozen=True)
class TargetPlan:
    """Every target broken into days.

    `periods`: one row per target, own or rolled up: period, kind, rank, start, end, scope, id,
    metric, value, split ("rollup" for summed ones), growth, basis_period, basis_actual.
    `daily`: one row per target and day of its period: period, rank, scope, id, metric, date, daily.
    `effective`: per scope, id, metric and date, the daily target of the finest covering period.
    """

    periods: pd.DataFrame
    daily: pd.DataFrame
    effective: pd.DataFrame


def scope_members(people: pd.DataFrame) -> pd.DataFrame:
    """Return (scope, id, person_id) for every person, team and the company."""
    ids = people.index.to_numpy()
    return pd.concat(
        [
            pd.DataFrame({"scope": "person", "id": ids, "person_id": ids}),
            pd.DataFrame({"scope": "team", "id": people["team"].to_numpy(), "person_id": ids}),
            pd.DataFrame({"scope": "company", "id": "", "person_id": ids}),
        ],
        ignore_index=True,
    )


def actual_between(
    facts: pd.DataFrame, members: pd.DataFrame, metric: str, start: pd.Timestamp, end: pd.Timestamp
) -> pd.Series:
    """Sum a daily count from start to end for every (scope, id); indexed by (scope, id)."""
    window = facts[(facts["date"] >= start) & (facts["date"] <= end)]
    per_person = window.groupby("person_id")[metric].sum()
    joined = members.assign(value=per_person.reindex(members["person_id"]).fillna(0).to_numpy())
    return joined.groupby(["scope", "id"])["value"].sum()


def plan_targets(
    specs: tuple[TargetSpec, ...], people: pd.DataFrame, calendar: WorkCalendar, facts: pd.DataFrame
) -> TargetPlan:
    """Resolve growth targets, break every target into days, roll up and pick the finest period."""
    if not specs:
        empty = pd.DataFrame(columns=["period", "rank", "scope", "id", "metric", "date", "daily"])
        periods = pd.DataFrame(
            columns=[
                "period",
                "kind",
                "rank",
                "start",
                "end",
                "scope",
                "id",
                "metric",
                "value",
                "split",
                "growth",
                "basis_period",
                "basis_actual",
            ]
        )
        return TargetPlan(periods, empty, empty.rename(columns={"daily": "target"}))
    members = scope_members(people)
    own = _own_targets(specs, facts, members)
    days = _working_grid(own, people, calendar)
    daily = _break_down(own, days)
    periods, daily = _roll_up(own, daily, people)
    effective = (
        daily.sort_values("rank", kind="stable")
        .drop_duplicates(["scope", "id", "metric", "date"])
        .rename(columns={"daily": "target"})[["scope", "id", "metric", "date", "target"]]
        .sort_values(["scope", "id", "metric", "date"])
        .reset_index(drop=True)
    )
    return TargetPlan(periods, daily, effective)


def _own_targets(specs: tuple[TargetSpec, ...], facts: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for spec in specs:
        basis_actual = np.nan
        value = spec.value
        if spec.growth is not None:
            basis = spec.basis_period
            actuals = actual_between(
                facts, members, spec.metric, pd.Timestamp(basis.start), pd.Timestamp(basis.end)
            )
            basis_actual = float(actuals.get((spec.scope, spec.scope_id), 0.0))
            value = basis_actual * (1 + spec.growth)
        rows.append(
            {
                "period": spec.period.code,
                "kind": spec.period.kind,
                "rank": spec.period.rank,
                "start": pd.Timestamp(spec.period.start),
                "end": pd.Timestamp(spec.period.end),
                "scope": spec.scope,
                "id": spec.scope_id,
                "metric": spec.metric,
                "value": float(value),
                "split": spec.split,
                "growth": spec.growth if spec.growth is not None else np.nan,
                "basis_period": spec.basis_period.code if spec.basis_period else "",
                "basis_actual": basis_actual,
            }
        )
    return pd.DataFrame(rows)


def _working_grid(own: pd.DataFrame, people: pd.DataFrame, calendar: WorkCalendar) -> pd.DataFrame:
    """Working flags from the first to the last day of any target: company-wide and per person."""
    grid = person_days(people, calendar, own["start"].min(), own["end"].max())
    company = grid.drop_duplicates("date")[["date", "company_working"]]
    return pd.concat(
        [
            company.assign(scope="company", id="").rename(columns={"company_working": "working"}),
            company.assign(scope="team", id=None).rename(columns={"company_working": "working"}),
            grid.assign(scope="person").rename(columns={"person_id": "id"})[
                ["date", "working", "scope", "id"]
            ],
        ],
        ignore_index=True,
    )


def _break_down(own: pd.DataFrame, days: pd.DataFrame) -> pd.DataFrame:
    """Spread each target over its period: by working days (of the person) or calendar days."""
    team_days = days[days["scope"] == "team"].drop(columns="id")
    other_days = days[days["scope"] != "team"]
    expanded = pd.concat(
        [
            own[own["scope"] == "team"].merge(team_days, on="scope"),
            own[own["scope"] != "team"].merge(other_days, on=["scope", "id"]),
        ],
        ignore_index=True,
    )
    expanded = expanded[(expanded["date"] >= expanded["start"]) & (expanded["date"] <= expanded["end"])]
    by_working = expanded["split"] == "working_days"
    weight = np.where(by_working, expanded["working"].astype(float), 1.0)
    expanded = expanded.assign(weight=weight)
    keys = ["period", "scope", "id", "metric"]
    total = expanded.groupby(keys)["weight"].transform("sum")
    expanded["daily"] = np.where(
        total > 0, expanded["value"] * expanded["weight"] / total.where(total > 0, 1), 0.0
    )
    return expanded[["period", "rank", "scope", "id", "metric", "date", "daily"]].reset_index(drop=True)


def _roll_up(
    own: pd.DataFrame, daily: pd.DataFrame, people: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Give teams, then the company, the sum of their members' targets where they have none."""
    team_of = people["team"]
    periods, days = own.copy(), daily.copy()
    for scope, parent_scope in (("person", "team"), ("team", "company")):
        children = periods[periods["scope"] == scope]
        child_days = days[days["scope"] == scope]
        parent_id = (
            (lambda ids: team_of.reindex(ids).to_numpy())
            if parent_scope == "team"
            else (lambda ids: np.full(len(ids), "", dtype=object))
        )
        summed = (
            children.assign(parent=parent_id(children["id"]))
            .groupby(["period", "metric", "parent"], as_index=False)
            .agg(
                kind=("kind", "first"),
                rank=("rank", "first"),
                start=("start", "first"),
                end=("end", "first"),
                value=("value", "sum"),
            )
        )
        existing = set(
            zip(
                periods.loc[periods["scope"] == parent_scope, "period"],
                periods.loc[periods["scope"] == parent_scope, "metric"],
                periods.loc[periods["scope"] == parent_scope, "id"],
                strict=True,
            )
        )
        new = summed[
            [
                (p, m, i) not in existing
                for p, m, i in zip(summed["period"], summed["metric"], summed["parent"], strict=True)
            ]
        ]
        if new.empty:
            continue
        new_periods = new.rename(columns={"parent": "id"}).assign(
            scope=parent_scope, split="rollup", growth=np.nan, basis_period="", basis_actual=np.nan
        )
        new_days = (
            child_days.assign(parent=parent_id(child_days["id"]))
            .merge(new[["period", "metric", "parent"]], on=["period", "metric", "parent"])
            .groupby(["period", "rank", "metric", "parent", "date"], as_index=False)["daily"]
            .sum()
            .rename(columns={"parent": "id"})
            .assign(scope=parent_scope)
        )
        periods = pd.concat([periods, new_periods[periods.columns]], ignore_index=True)
        days = pd.concat([days, new_days[days.columns]], ignore_index=True)
    order = periods["scope"].map(SCOPE_ORDER)
    periods = periods.assign(_o=order).sort_values(["start", "rank", "_o", "id", "metric"]).drop(columns="_o")
    return periods.reset_index(drop=True), days
