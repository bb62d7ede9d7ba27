"""Targets (SPEC section 3): one rule for the daily target of a scope, and the target periods.

The daily target of a scope on a day is the daily target of its own finest target covering
that day; a team or the company without one gets the sum of its members' daily targets
(people -> team -> company), over the members that have one. Every window's target is the
sum of these daily targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from reports_gen.dataset.model import TargetSpec
from reports_gen.metrics.grouping import first_of_each, grouped_sum, grouped_sum_indexed, sort_order
from reports_gen.workcalendar import WorkCalendar, parse_period, person_days

SCOPE_ORDER = {"company": 0, "team": 1, "person": 2}
KEYS = ["scope", "id", "metric"]
PERIOD_KEYS = ["period", "scope", "id", "metric"]
# One row per own target (and per target period, see TargetPlan.periods).
TARGET_COLUMNS = (
    "period",
    "kind",
    "rank",
    "start",
    "end",
    "scope",
    "id",
    "metric",
    "value",
    "own",
    "split",
    "growth",
    "basis_period",
    "basis_actual",
)


@dataclass(frozen=True)
class TargetPlan:
    """Every target broken into days, and the target periods that follow from them.

    `own`: one row per target of targets.yaml (growth resolved), columns TARGET_COLUMNS and
    `total`, the weight its value is divided by (its working days, or days).
    `sources`: scope, id, metric, date, src, weight: which own targets (`src`, a row of `own`)
    make up the daily target of a scope on a day, and with what weight: the one own target
    for a scope with its own, else its members' sources. The daily part of a source is
    value x weight / total.
    `effective` (worked out when first asked for: exports need neither it nor `daily`):
    scope, id, metric, date, target: the daily target of a scope on a day (the one rule); a
    (scope, metric) has no row on a day without a daily target.
    `periods`: one row per target period P and (scope, id, metric) where the scope or one of
    its members has its own target for exactly P; `value` is the period's target (the own
    value, else the sum of the scope's daily targets over P) and `own` tells which.
    `daily` (when first asked for): for every row of `periods` and day of P, the expected
    daily figure: the own target's breakdown by its own split, else the scope's daily target
    (columns period, scope, id, metric, date, daily); `period_sources` the same by source
    (with `src`, `weight`).
    """

    own: pd.DataFrame
    sources: pd.DataFrame
    periods: pd.DataFrame
    period_sources: pd.DataFrame

    @cached_property
    def effective(self) -> pd.DataFrame:
        """Return the daily target of every scope on every day it has one (see the class)."""
        if self.own.empty:
            return pd.DataFrame(columns=[*KEYS, "date", "target"])
        return _daily_parts(self.own, self.sources, [*KEYS, "date"], "target")

    @cached_property
    def daily(self) -> pd.DataFrame:
        """Return the expected daily figure of every target period row and day (see the class)."""
        if self.own.empty:
            return pd.DataFrame(columns=[*PERIOD_KEYS, "date", "daily"])
        return _daily_parts(self.own, self.period_sources, [*PERIOD_KEYS, "date"], "daily")

    def window_sums(self, sources: pd.DataFrame, keys: list[str]) -> pd.Series:
        """Sum daily targets per `keys` from source rows: value x (sum of weights) / total per source.

        Summing the weights first keeps whole periods exact: a month's own target sums to its
        value, not to a float a hair away from it.
        """
        if sources.empty:
            return pd.Series(dtype=float)
        weights = grouped_sum(sources, [*keys, "src"], "weight")
        part = self.source_parts(weights["src"].to_numpy(dtype=int), weights["weight"].to_numpy())
        return grouped_sum_indexed(weights.assign(part=part), keys, "part")

    def source_parts(self, src: np.ndarray, weight: np.ndarray) -> np.ndarray:
        """The daily target a weight of own target `src` makes: value x weight / total (0 without days)."""
        value = self.own["value"].to_numpy(dtype=float)[src]
        total = self.own["total"].to_numpy(dtype=float)[src]
        return np.where(total > 0, value * weight / np.where(total > 0, total, 1), 0.0)


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
    window = facts.loc[(facts["date"] >= start) & (facts["date"] <= end), ["person_id", metric]]
    per_person = window.groupby("person_id")[metric].sum()
    joined = members.assign(value=per_person.reindex(members["person_id"]).fillna(0).to_numpy())
    return joined.groupby(["scope", "id"])["value"].sum()


def plan_targets(
    specs: tuple[TargetSpec, ...], people: pd.DataFrame, calendar: WorkCalendar, facts: pd.DataFrame
) -> TargetPlan:
    """Resolve growth targets, break targets into days, apply the one rule and list target periods."""
    if not specs:
        return TargetPlan(
            pd.DataFrame(columns=[*TARGET_COLUMNS, "total"]),
            pd.DataFrame(columns=[*KEYS, "date", "src", "weight"]),
            pd.DataFrame(columns=list(TARGET_COLUMNS)),
            pd.DataFrame(columns=[*PERIOD_KEYS, "date", "src", "weight"]),
        )
    own = own_targets(specs, facts, scope_members(people))
    own_days = break_down(own, people, calendar)
    own = own.assign(total=own_days.groupby("src")["weight"].sum().reindex(own.index).fillna(0.0))
    sources = daily_sources(own_days, people)
    periods = target_periods(own, people)
    period_sources = _period_sources(periods, own_days, sources)
    plan = TargetPlan(own, sources, periods, period_sources)
    summed = plan.window_sums(period_sources, PERIOD_KEYS)
    keys = pd.MultiIndex.from_frame(periods[PERIOD_KEYS])
    periods["value"] = np.where(periods["own"], periods["value"], summed.reindex(keys).fillna(0.0).to_numpy())
    return plan


def _daily_parts(own: pd.DataFrame, sources: pd.DataFrame, keys: list[str], name: str) -> pd.DataFrame:
    """The daily figure of each key: the sum of its sources' value x weight / total."""
    src = sources["src"].to_numpy(dtype=int)
    value, total = own["value"].to_numpy(dtype=float)[src], own["total"].to_numpy(dtype=float)[src]
    part = np.where(total > 0, value * sources["weight"].to_numpy() / np.where(total > 0, total, 1), 0.0)
    return grouped_sum(sources.assign(**{name: part}), keys, name)  # sorted by the keys


def own_targets(specs: tuple[TargetSpec, ...], facts: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Return one row per target of targets.yaml; a growth target's value is basis actual x (1 + growth)."""
    rows = []
    sums: dict[tuple[str, object, object], pd.Series] = {}  # growth targets share their basis periods
    for spec in specs:
        basis_actual = np.nan
        value = spec.value if spec.value is not None else 0.0
        basis = spec.basis_period
        if spec.growth is not None and basis is not None:
            key = (spec.metric, basis.start, basis.end)
            if key not in sums:
                sums[key] = actual_between(
                    facts, members, spec.metric, pd.Timestamp(basis.start), pd.Timestamp(basis.end)
                )
            basis_actual = float(sums[key].get((spec.scope, spec.scope_id), 0.0))
            value = basis_actual * (1 + spec.growth)
        rows.append(
            {
                **_period_fields(spec.period.code),
                "scope": spec.scope,
                "id": spec.scope_id,
                "metric": spec.metric,
                "value": float(value),
                "own": True,
                "split": spec.split,
                "growth": spec.growth if spec.growth is not None else np.nan,
                "basis_period": basis.code if basis is not None else "",
                "basis_actual": basis_actual,
            }
        )
    return pd.DataFrame(rows, columns=list(TARGET_COLUMNS))


@lru_cache(maxsize=256)  # thousands of targets share a few periods
def _period_fields(code: str) -> dict[str, object]:
    period = parse_period(code)
    return {
        "period": period.code,
        "kind": period.kind,
        "rank": period.rank,
        "start": pd.Timestamp(period.start),
        "end": pd.Timestamp(period.end),
    }


def break_down(own: pd.DataFrame, people: pd.DataFrame, calendar: WorkCalendar) -> pd.DataFrame:
    """Spread each own target over its period: by working days (a person's own) or calendar days.

    Returns src (the row of `own`), period, rank, scope, id, metric, date and weight (1 on a
    day that gets a share, else 0): one row per target and day of its period. Rows come
    target by target (company and team targets first, then people's), days in order; a
    person not in team.yaml gets none, and without anybody in team.yaml no target gets any.
    """
    start, end = own["start"].min(), own["end"].max()
    grid = person_days(people, calendar, start, end)
    days = pd.date_range(start, end, freq="D").to_numpy()
    working = grid["working"].to_numpy().reshape(len(people), len(days))  # person x day
    company = grid["company_working"].to_numpy()[: len(days)]
    is_person = (own["scope"] == "person").to_numpy()
    person = people.index.get_indexer(own["id"])
    # the targets that get days, in the order of their rows below
    chosen = np.concatenate(
        [np.flatnonzero(~is_person) if len(people) else [], np.flatnonzero(is_person & (person >= 0))]
    ).astype(np.intp)
    first = (own["start"] - start).dt.days.to_numpy()[chosen]
    lengths = (own["end"] - own["start"]).dt.days.to_numpy()[chosen] + 1
    src = np.repeat(chosen, lengths)
    day = np.repeat(first - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
    on = np.where(is_person[src], working[np.maximum(person[src], 0), day], company[day])
    by_working = (own["split"] == "working_days").to_numpy()[src]
    columns = ["period", "rank", *KEYS]
    out = own[columns].take(src).reset_index(drop=True)
    out.insert(0, "src", src.astype(np.int64))
    out["date"] = days[day]
    out["weight"] = np.where(by_working, on.astype(float), 1.0)
    return out


def daily_sources(own_days: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """Return what makes up the daily target of every scope on every day it has one (the one rule).

    Own finest target first; else, for a team, its people's sources and, for the company, its
    teams'. A person without a working day in a target's period has a target of 0 each day.
    """
    ranked = own_days.sort_values("rank", kind="stable")
    finest = ranked[first_of_each(ranked, [*KEYS, "date"])]
    finest = finest[[*KEYS, "date", "src", "weight"]]
    person = finest[finest["scope"] == "person"]
    team = _own_else_members(
        finest[finest["scope"] == "team"],
        person.assign(id=people["team"].reindex(person["id"]).to_numpy()),
        "team",
    )
    company = _own_else_members(finest[finest["scope"] == "company"], team.assign(id=""), "company")
    sources = pd.concat([company, team, person], ignore_index=True)
    return sources.take(sort_order(sources, [*KEYS, "date", "src"])).reset_index(drop=True)


def _own_else_members(own: pd.DataFrame, members: pd.DataFrame, scope: str) -> pd.DataFrame:
    """Own sources where a day has one, else the members' (their ids already the parent's)."""
    members = members.assign(scope=scope)
    taken = members.merge(
        own[["id", "metric", "date"]], on=["id", "metric", "date"], how="left", indicator=True
    )
    return pd.concat([own, members[(taken["_merge"] == "left_only").to_numpy()]], ignore_index=True)


def target_periods(own: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """List every (period, scope, id, metric) where the scope or one of its members has its own target.

    `value` is the own value (own rows) or NaN until the daily targets are summed.
    """
    team_of = people["team"]
    persons = own[own["scope"] == "person"]
    teams = own[own["scope"] == "team"]
    implied = pd.concat(
        [
            persons.assign(scope="team", id=team_of.reindex(persons["id"]).to_numpy()),
            persons.assign(scope="company", id=""),
            teams.assign(scope="company", id=""),
        ],
        ignore_index=True,
    )[["period", "kind", "rank", "start", "end", *KEYS]].drop_duplicates(PERIOD_KEYS)
    implied = implied.merge(own[PERIOD_KEYS], on=PERIOD_KEYS, how="left", indicator=True)
    implied = implied[implied["_merge"] == "left_only"].drop(columns="_merge")
    implied = implied.assign(
        value=np.nan, own=False, split="", growth=np.nan, basis_period="", basis_actual=np.nan
    )
    periods = pd.concat([own, implied[list(TARGET_COLUMNS)]], ignore_index=True)
    order = periods["scope"].map(SCOPE_ORDER)
    periods = periods.assign(_o=order).sort_values(["start", "rank", "_o", "id", "metric"], kind="stable")
    return periods.drop(columns="_o").reset_index(drop=True)


def _period_sources(periods: pd.DataFrame, own_days: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The sources of every target period row, day by day (see TargetPlan.period_sources)."""
    own = own_days[[*PERIOD_KEYS, "date", "src", "weight"]]
    implied = periods.loc[~periods["own"].astype(bool), [*PERIOD_KEYS, "start", "end"]]
    parts = [own]
    for (start, end), rows in implied.groupby(["start", "end"], sort=False):  # a few periods only
        inside = sources[(sources["date"] >= start) & (sources["date"] <= end)]
        parts.append(rows[PERIOD_KEYS].merge(inside, on=KEYS)[[*PERIOD_KEYS, "date", "src", "weight"]])
    return pd.concat(parts, ignore_index=True)
