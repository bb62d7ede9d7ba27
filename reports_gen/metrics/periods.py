"""Target periods as of a date (SPEC section 4): target, actual, expected to date, pace, status."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports_gen.dataset.schema import TARGET_METRICS
from reports_gen.metrics.grouping import CodedKey, key_numbers
from reports_gen.metrics.targets import PERIOD_KEYS, SCOPE_ORDER, TargetPlan, scope_members
from reports_gen.workcalendar import WorkCalendar

# The figures of a target period row, in export order (SPEC section 5's periods.csv).
PERIOD_FIGURES = (
    "target",
    "actual",
    "attainment",
    "expected_to_date",
    "pace",
    "projection",
    "required_per_day",
)
PERIOD_COLUMNS = (*PERIOD_KEYS, *PERIOD_FIGURES, "status")
# all_periods adds these to PERIOD_COLUMNS.
PHASE_COLUMNS = ("phase", "start", "end", "rank")


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """Divide, leaving NaN (empty) where the denominator is 0 or undefined."""
    denominator = denominator.astype(float)
    return numerator.astype(float) / denominator.where(denominator != 0)


class _KeyedSources:
    """The plan's period sources with their PERIOD_KEYS numbered once, so that summing them up
    to a day groups by one integer instead of four strings (same groups, same order of rows)."""

    def __init__(self, plan: TargetPlan):
        self.plan = plan
        sources = plan.period_sources
        key = key_numbers(sources, list(PERIOD_KEYS))
        known = key >= 0  # a row with a missing key belongs to no group
        self.sources = sources.loc[known, ["date", "src", "weight"]].assign(_key=key[known])
        first = np.zeros(key.max() + 1 if len(key) else 0, dtype=np.intp)
        first[key[known][::-1]] = np.flatnonzero(known)[::-1]  # the earliest row of each number wins
        first = sources.iloc[first]
        self.keys = pd.MultiIndex.from_frame(first[list(PERIOD_KEYS)])  # key number -> its keys
        # (key number, source) as one number that sorts alike, and the rows' days and weights
        src = self.sources["src"].to_numpy(dtype=np.int64)
        self.width = int(src.max()) + 1 if len(src) else 1
        self.pairs = self.sources["_key"].to_numpy(dtype=np.int64) * self.width + src
        self.days = self.sources["date"].to_numpy()
        self.weights = self.sources["weight"].to_numpy()

    def expected(self, day: pd.Timestamp, keys: pd.DataFrame) -> np.ndarray:
        """The targets summed up to `day` (plan.window_sums) of each row of `keys`, 0 where none.

        What window_sums does, on arrays: weights summed per (key, source) in row order, each
        made a daily part, the parts summed per key in (key, source) order; pandas groups the
        numbers as it grouped the columns, so the sums are the same to the last bit.
        """
        inside = self.days <= day.to_datetime64()
        weights = pd.Series(self.weights[inside]).groupby(self.pairs[inside]).sum()
        pair = weights.index.to_numpy()
        parts = self.plan.source_parts(pair % self.width, weights.to_numpy())
        sums = pd.Series(parts).groupby(pair // self.width).sum()
        at = self.keys.get_indexer(pd.MultiIndex.from_frame(keys))
        return sums.reindex(at).fillna(0).to_numpy()


class _Actuals:
    """targets.actual_between for many windows, with the facts' people and the scopes' members
    numbered once: the same rows summed in the same order by the same path, to the same bits."""

    def __init__(self, facts: pd.DataFrame, people: pd.DataFrame):
        self.facts = facts
        self.person = CodedKey(facts["person_id"])
        self.days = facts["date"].to_numpy()
        self.members = scope_members(people)
        grouped = self.members.groupby(["scope", "id"])
        self.group = grouped.ngroup().to_numpy()  # as the group-by numbers them (NaN: no group)
        self.scopes = grouped.size().index

    def between(self, metric: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
        """Sum a daily count from start to end for every (scope, id); indexed by (scope, id)."""
        inside = (self.days >= start.to_datetime64()) & (self.days <= end.to_datetime64())
        per_person = self.person.sum(self.facts[metric], inside)
        values = per_person.reindex(self.members["person_id"]).fillna(0).to_numpy()
        sums = pd.Series(values, name="value").groupby(self.group).sum()
        return pd.Series(sums.to_numpy(), index=self.scopes, name="value")


def period_metrics(
    plan: TargetPlan,
    facts: pd.DataFrame,
    people: pd.DataFrame,
    calendar: WorkCalendar,
    day: pd.Timestamp,
    pace_at_risk: float,
    sources: _KeyedSources | None = None,
    ending: bool = False,
    actuals: _Actuals | None = None,
) -> pd.DataFrame:
    """Return every target period containing `day`: target, actual, pace, projection, status.

    With `ending`, only the periods that end on `day`; `sources` and `actuals`: the plan's
    period sources and the facts numbered once (all_periods asks for many days).
    """
    periods = plan.periods
    current = periods[
        (periods["start"] <= day) & ((periods["end"] == day) if ending else (periods["end"] >= day))
    ]
    if current.empty:
        return pd.DataFrame(columns=list(PERIOD_COLUMNS))
    actuals = actuals or _Actuals(facts, people)
    rows = []
    for (start, end), group in current.groupby(["start", "end"], sort=True):
        working = _working_days(group, people, calendar, start, end, day)
        for metric, metric_group in group.groupby("metric", sort=False):
            actual = actuals.between(str(metric), start, day)
            keys = pd.MultiIndex.from_frame(metric_group[["scope", "id"]])
            rows.append(
                metric_group.assign(
                    actual=actual.reindex(keys).fillna(0).to_numpy(),
                    total=working.loc[metric_group.index, "total"],
                    elapsed=working.loc[metric_group.index, "elapsed"],
                )
            )
    frame = pd.concat(rows, ignore_index=True)
    frame["expected_to_date"] = (sources or _KeyedSources(plan)).expected(day, frame[PERIOD_KEYS])
    frame["target"] = frame["value"].astype(float)
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


def all_periods(
    plan: TargetPlan,
    facts: pd.DataFrame,
    people: pd.DataFrame,
    calendar: WorkCalendar,
    day: pd.Timestamp,
    pace_at_risk: float,
    current: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every target period: current ones as of `day`, past ones as of their end, upcoming ones.

    Columns PERIOD_COLUMNS and PHASE_COLUMNS; `phase` is current, past or upcoming, and an
    upcoming period has only its target and the status "upcoming". `current`: period_metrics
    as of `day` when it is already worked out (Metrics.periods).
    """
    periods = plan.periods
    if periods.empty:
        return pd.DataFrame(columns=[*PERIOD_COLUMNS, *PHASE_COLUMNS])
    keyed, actuals = _KeyedSources(plan), _Actuals(facts, people)
    if current is None:
        current = period_metrics(plan, facts, people, calendar, day, pace_at_risk, keyed, actuals=actuals)
    frames = [current[list(PERIOD_COLUMNS)].assign(phase="current")]
    for end in sorted(periods.loc[periods["end"] < day, "end"].unique()):
        # a period's figures depend on its own rows alone: the periods ending that day suffice
        when = pd.Timestamp(end)
        past = period_metrics(plan, facts, people, calendar, when, pace_at_risk, keyed, True, actuals)
        frames.append(past.assign(phase="past"))
    upcoming = periods[periods["start"] > day].assign(
        target=lambda f: f["value"].astype(float), phase="upcoming", status="upcoming"
    )
    frames.append(upcoming.reindex(columns=[*PERIOD_COLUMNS, "phase"]))
    every = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    bounds = periods.drop_duplicates("period").set_index("period")[["start", "end", "rank"]]
    every = every.join(bounds, on="period")
    order = every["scope"].map(SCOPE_ORDER)
    metric = every["metric"].map({m: i for i, m in enumerate(TARGET_METRICS)})
    return (
        every.assign(_o=order, _m=metric)
        .sort_values(["start", "rank", "_o", "id", "_m"])
        .drop(columns=["_o", "_m"])
        .reset_index(drop=True)[[*PERIOD_COLUMNS, *PHASE_COLUMNS]]
    )


def _status(frame: pd.DataFrame, pace_at_risk: float) -> np.ndarray:
    achieved = frame["actual"] >= frame["target"]
    on_track = (frame["pace"] >= 1) | (frame["expected_to_date"] == 0)
    at_risk = frame["pace"] >= pace_at_risk
    return np.select([achieved, on_track, at_risk], ["achieved", "on_track", "at_risk"], "behind")


def _working_days(
    rows: pd.DataFrame,
    people: pd.DataFrame,
    calendar: WorkCalendar,
    start: pd.Timestamp,
    end: pd.Timestamp,
    day: pd.Timestamp,
) -> pd.DataFrame:
    """Working days of the period (`total`) and up to `day` (`elapsed`) for each row's scope.

    A person counts their own working days (the company's working days from their start to
    their end, as workcalendar.person_days marks them); a team and the company count the
    company's working days.
    """
    span = pd.date_range(start, end, freq="D")
    working = np.asarray(calendar.working_mask(span), dtype=bool)
    until = working & (span <= day)
    company = (float(working.sum()), float(until.sum()))
    # each person's days are a run of the span: count them from running totals, not day by day
    total, elapsed = np.r_[0, np.cumsum(working)], np.r_[0, np.cumsum(until)]
    days = span.to_numpy()
    first = people["start"].to_numpy().astype("datetime64[ns]")
    last = people["end"].to_numpy().astype("datetime64[ns]")
    low = np.where(np.isnat(first), 0, np.searchsorted(days, first, side="left"))
    high = np.where(np.isnat(last), len(days), np.searchsorted(days, last, side="right"))
    high = np.maximum(high, low)
    person = pd.DataFrame(
        {"total": total[high] - total[low], "elapsed": elapsed[high] - elapsed[low]}, index=people.index
    )
    is_person = (rows["scope"] == "person").to_numpy()
    out = pd.DataFrame({"total": company[0], "elapsed": company[1]}, index=rows.index)
    own = person.reindex(rows.loc[is_person, "id"]).fillna(0).to_numpy(dtype=float)
    out.loc[is_person, ["total", "elapsed"]] = own
    return out
