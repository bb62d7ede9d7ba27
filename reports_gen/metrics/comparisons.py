"""Period-to-date comparisons and target breakdowns (by team, by person, by sub-period). Pure pandas."""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from reports_gen.metrics.periods import _status, ratio
from reports_gen.metrics.targets import scope_members
from reports_gen.metrics.weekly import Metrics
from reports_gen.workcalendar import Period, parse_period, period_containing

COMPARED = ("revenue", "units", "actual_calls", "effective_calls", "ec_ratio", "new_prospects")
COMPARED_RATIOS = {"ec_ratio": ("effective_calls", "actual_calls")}
# window -> (period kind, the comparisons it gets)
WINDOWS = {
    "mtd": ("month", ("previous", "last_year")),
    "qtd": ("quarter", ("previous", "last_year")),
    "ytd": ("year", ("last_year",)),
}


def same_days(period: Period, day: dt.date, other: Period) -> tuple[dt.date, dt.date]:
    """Return the days of `other` that match `period`'s first days up to `day` (clipped to its end)."""
    length = (day - period.start).days
    return other.start, min(other.start + dt.timedelta(days=length), other.end)


def to_date_windows(as_of: dt.date) -> pd.DataFrame:
    """Return the compared windows as of D: window, basis (current / previous / last_year), start, end."""
    rows = []
    for window, (kind, bases) in WINDOWS.items():
        period = period_containing(kind, as_of)  # type: ignore[arg-type]
        rows.append(
            {"window": window, "basis": "current", "start": period.start, "end": as_of, "label": period.code}
        )
        for basis in bases:
            other = period.previous() if basis == "previous" else period.last_year()
            start, end = same_days(period, as_of, other)
            rows.append({"window": window, "basis": basis, "start": start, "end": end, "label": other.code})
    frame = pd.DataFrame(rows)
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    return frame


def to_date_comparisons(metrics: Metrics, first_day: pd.Timestamp) -> pd.DataFrame:
    """Compare MTD, QTD and YTD with the same days of the period before and of last year.

    One row per window, basis, scope and id with a column per COMPARED metric and `available`:
    False when the data does not reach back to the start of a comparison window (its figures
    are then empty: "no data", never a zero). The current window is always computed.
    """
    windows = to_date_windows(metrics.as_of)
    coded = _coded(metrics)
    counts = [m for m in COMPARED if m not in COMPARED_RATIOS]
    ordered = np.argsort(coded.order)  # the scopes sorted, as actual_between's group-by gives them
    scopes = coded.scopes.iloc[ordered].reset_index(drop=True)
    frames = []
    for w in windows.itertuples(index=False):
        sums = {m: coded.actual(metrics.facts, m, w.start, w.end)[ordered] for m in counts}
        frame = scopes.assign(**sums).assign(
            window=w.window,
            basis=w.basis,
            label=w.label,
            start=w.start,
            end=w.end,
            available=bool(w.start >= first_day),
        )
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    for name, (numerator, denominator) in COMPARED_RATIOS.items():
        out[name] = ratio(out[numerator], out[denominator])
    # the current window shows what there is (the page says where the data starts); a basis
    # window the data does not reach is "no data", never a zero
    out.loc[out["basis"] == "current", "available"] = True
    out.loc[~out["available"], list(COMPARED)] = np.nan
    return out[["window", "basis", "label", "start", "end", "available", "scope", "id", *COMPARED]]


def change(current: pd.Series, before: pd.Series, metric: str) -> pd.Series:
    """Return the change from `before`: relative for counts and money, in points for ratios."""
    if metric in COMPARED_RATIOS:
        return current - before
    return ratio(current - before, before.abs())


# -- targets in depth ------------------------------------------------------------------------------


def target_breakdown(metrics: Metrics, period: str, pace_at_risk: float) -> pd.DataFrame:
    """Break a target period down: every scope's target, actual, attainment, pace and status.

    For each metric with a company or team target in the period: the company, every team and
    every person. A scope's target is its own (or rolled-up) value for the period where it has
    one, else the sum of its effective daily targets over the period (SPEC section 3); empty
    when no day has one. Actual and expected run to D, or to the period's end when it is over.
    Columns: scope, id, metric, target, actual, attainment, expected_to_date, pace, status.
    """
    bounds = parse_period(period)
    day = pd.Timestamp(min(metrics.as_of, bounds.end))
    start, end = pd.Timestamp(bounds.start), pd.Timestamp(bounds.end)
    plan = metrics.targets
    own = _rows(plan.periods, ("period",), period)
    metric_list = list(dict.fromkeys(own.loc[own["scope"].isin(["company", "team"]), "metric"]))
    coded = _coded(metrics)
    frames = []
    for metric in metric_list:
        frame = coded.scopes.assign(metric=metric)
        rows = coded.effective.get(metric, _NO_ROWS)
        inside = (rows.day >= start.to_datetime64()) & (rows.day <= end.to_datetime64())
        whole = rows.sums(inside, coded.order)
        # a period over: to date is the whole period (the same rows, the same sums)
        so_far = whole if day >= end else rows.sums(inside & (rows.day <= day.to_datetime64()), coded.order)
        mine = own[(own["metric"] == metric).to_numpy()]
        at = coded.at(mine)
        has_own = np.zeros(len(frame), dtype=bool)
        has_own[at[at >= 0]] = True
        own_value = np.full(len(frame), np.nan)
        own_value[at[at >= 0]] = mine["value"].to_numpy(dtype=float)[at >= 0]
        daily = coded.daily(plan.daily, period, metric)
        own_daily = daily.sums(daily.day <= day.to_datetime64(), coded.order)
        frame["target"] = np.where(has_own, own_value, whole)
        frame["expected_to_date"] = np.where(has_own, np.where(np.isnan(own_daily), 0.0, own_daily), so_far)
        frame["actual"] = coded.actual(metrics.facts, metric, start, day)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(
            columns=[
                "scope",
                "id",
                "metric",
                "target",
                "actual",
                "attainment",
                "expected_to_date",
                "pace",
                "status",
            ]
        )
    out = pd.concat(frames, ignore_index=True)
    return _judge(out, pace_at_risk, upcoming=pd.Timestamp(metrics.as_of) < start)


@dataclass
class _ScopeRows:
    """Rows of a frame as arrays: each row's scope number (_Coded), day and figure."""

    code: np.ndarray
    day: np.ndarray
    value: np.ndarray

    def sums(self, mask: np.ndarray, order: np.ndarray) -> np.ndarray:
        """The sum over the rows in `mask` of each scope numbered in `order`, NaN where it has none."""
        sums = pd.Series(self.value[mask]).groupby(self.code[mask]).sum()
        return sums.reindex(order).to_numpy(dtype=float)


_NO_ROWS = _ScopeRows(np.zeros(0, dtype=int), np.zeros(0, dtype="datetime64[ns]"), np.zeros(0))


class _Coded:
    """A report's scopes, and its plan's and facts' rows by scope number, worked out once.

    A breakdown asks per period and metric. A scope's number is its place among the (scope, id)
    pairs sorted, as a group-by on the two columns numbers them: grouping by the number gives the
    same groups, numbered alike, with their rows in the same order, so pandas adds them up the
    same way (its sum takes another path when the groups' rows come sorted) to the same bits.
    """

    def __init__(self, metrics: Metrics):
        self.members = scope_members(metrics.people)
        self.scopes = self.members.drop_duplicates(["scope", "id"])[["scope", "id"]]
        self.keys = pd.MultiIndex.from_frame(self.scopes)
        self.order = _ranks(self.keys)  # each scope's number, in the order of `scopes`
        self.member_scope = self.order[self.keys.get_indexer(_pairs(self.members))]
        people = pd.Index(metrics.people.index)
        self.person_of = _ranks(people)[people.get_indexer(self.members["person_id"])]
        self.people = people
        effective = metrics.targets.effective
        code = self._codes(effective)
        self.effective = {
            metric: _ScopeRows(
                code[at], effective["date"].to_numpy()[at], effective["target"].to_numpy(dtype=float)[at]
            )
            for metric, at in _positions(effective, "metric").items()
        }
        self._daily_code: np.ndarray | None = None
        self._place: dict[tuple[str, str], int] | None = None
        self._facts: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def at(self, frame: pd.DataFrame) -> np.ndarray:
        """Each row's place in `scopes`, -1 for a scope the report does not know (a few rows)."""
        if self._place is None:
            pairs = zip(self.scopes["scope"].tolist(), self.scopes["id"].tolist(), strict=True)
            self._place = {pair: i for i, pair in enumerate(pairs)}
        pairs = zip(frame["scope"].tolist(), frame["id"].tolist(), strict=True)
        return np.array([self._place.get(pair, -1) for pair in pairs], dtype=np.intp)

    def _codes(self, frame: pd.DataFrame) -> np.ndarray:
        """Each row's scope number, -1 for a scope the report does not know (left out)."""
        if frame.empty:
            return np.zeros(0, dtype=int)
        at = self.keys.get_indexer(_pairs(frame))
        return np.where(at >= 0, self.order[at], -1)

    def daily(self, daily: pd.DataFrame, period: str, metric: str) -> _ScopeRows:
        """The plan's daily targets of a period and metric."""
        if self._daily_code is None:
            self._daily_code = self._codes(daily)
        at = _positions(daily, ("period", "metric")).get((period, metric))
        if at is None:
            return _NO_ROWS
        at = at[self._daily_code[at] >= 0]
        return _ScopeRows(self._daily_code[at], daily["date"].to_numpy()[at], daily["daily"].to_numpy()[at])

    def actual(self, facts: pd.DataFrame, metric: str, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
        """targets.actual_between for every scope in order, 0 where none (the same sums, row order)."""
        if "_days" not in self._facts:
            at = self.people.get_indexer(facts["person_id"])
            person = np.where(at >= 0, _ranks(self.people)[at], -1)
            self._facts["_days"] = (person, facts["date"].to_numpy())
        person, days = self._facts["_days"]
        inside = (days >= start.to_datetime64()) & (days <= end.to_datetime64()) & (person >= 0)
        per_person = pd.Series(facts[metric].to_numpy()[inside]).groupby(person[inside]).sum()
        values = per_person.reindex(self.person_of).fillna(0).to_numpy()
        sums = pd.Series(values).groupby(self.member_scope).sum()
        return sums.reindex(self.order).fillna(0).to_numpy()


def _ranks(keys: pd.Index) -> np.ndarray:
    """Each key's place among the keys sorted (unique keys)."""
    ranks = np.empty(len(keys), dtype=int)
    ranks[keys.argsort()] = np.arange(len(keys))
    return ranks


def _pairs(frame: pd.DataFrame) -> pd.MultiIndex:
    return pd.MultiIndex.from_frame(frame[["scope", "id"]])


class _Recent:
    """What was worked out from the last few objects (known by identity, with a key), kept only
    while they live: a cache of this module must not keep a report alive after its build (a
    large company's report is hundreds of MB, which MkDocs needs next)."""

    def __init__(self, size: int):
        self._size = size
        self._entries: list[tuple[weakref.ref[Any], object, Any]] = []

    def find(self, owner: object, key: object = None) -> Any:
        return next((value for ref, k, value in self._entries if ref() is owner and k == key), None)

    def keep(self, owner: object, key: object, value: Any) -> None:
        self._entries.insert(0, (weakref.ref(owner, self._forget), key, value))
        del self._entries[self._size :]

    def _forget(self, ref: weakref.ref[Any]) -> None:
        self._entries = [entry for entry in self._entries if entry[0] is not ref]


# the coded rows of the last report or two
_CODED = _Recent(2)


def _coded(metrics: Metrics) -> _Coded:
    """The metrics' rows by scope number, worked out once per report."""
    found = _CODED.find(metrics)
    if found is None:
        found = _Coded(metrics)
        _CODED.keep(metrics, None, found)
    return found


def sub_periods(metrics: Metrics, period: str, pace_at_risk: float) -> pd.DataFrame:
    """Break a quarter into its months (a half or year into its quarters) for every own or
    rolled-up company and team target of the period: the period's own daily targets summed
    per sub-period against the actual of each. Columns: sub_period, scope, id, metric, target,
    actual, attainment, expected_to_date, pace, status (upcoming for sub-periods after D)."""
    bounds = parse_period(period)
    kind = {"quarter": "month", "half": "quarter", "year": "quarter"}.get(bounds.kind)
    plan = metrics.targets
    rows = plan.periods[(plan.periods["period"] == period) & plan.periods["scope"].isin(["company", "team"])]
    if kind is None or rows.empty:
        return pd.DataFrame(columns=["sub_period", "scope", "id", "metric", "target", "actual", "status"])
    coded = _coded(metrics)
    as_of = pd.Timestamp(metrics.as_of)
    daily = _rows(plan.daily, ("period",), period)
    frames = []
    day = bounds.start
    while day <= bounds.end:
        sub = period_containing(kind, day)  # type: ignore[arg-type]
        start, end = pd.Timestamp(sub.start), pd.Timestamp(sub.end)
        upto = min(as_of, end)
        inside = daily[daily["date"].between(start, end)]
        frame = rows[["scope", "id", "metric"]].assign(sub_period=sub.code)
        keys = pd.MultiIndex.from_frame(frame[["scope", "id", "metric"]])
        frame["target"] = (
            inside.groupby(["scope", "id", "metric"])["daily"].sum().reindex(keys).fillna(0).to_numpy()
        )
        frame["expected_to_date"] = (
            inside[inside["date"] <= upto]
            .groupby(["scope", "id", "metric"])["daily"]
            .sum()
            .reindex(keys)
            .fillna(0)
            .to_numpy()
        )
        actual = np.zeros(len(frame))
        if start <= as_of:
            for metric in frame["metric"].unique():
                sums = coded.actual(metrics.facts, metric, start, upto)  # actual_between's, in scope order
                mask = (frame["metric"] == metric).to_numpy()
                at = coded.at(frame.loc[mask])
                actual[mask] = np.where(at >= 0, sums[at], 0.0)
        frame["actual"] = actual
        frame = _judge(frame, pace_at_risk, upcoming=as_of < start)
        frames.append(frame)
        day = sub.end + dt.timedelta(days=1)
    return pd.concat(frames, ignore_index=True)


# the positions by key of the frames split last (the plans of the last report or two): a page
# asks per period and metric
_SPLITS = _Recent(6)


def _rows(frame: pd.DataFrame, keys: tuple[str, ...], value: object) -> pd.DataFrame:
    """Return the rows of `frame` whose `keys` equal `value`, in order (the frame split once)."""
    positions = _positions(frame, keys).get(value)
    return frame.iloc[positions] if positions is not None else frame.iloc[:0]


def _positions(frame: pd.DataFrame, keys: tuple[str, ...] | str) -> dict:
    """The row positions of each value of `keys` in `frame` (the frame split once)."""
    keys = (keys,) if isinstance(keys, str) else keys
    split = _SPLITS.find(frame, keys)
    if split is None:
        split = (
            frame.groupby(keys[0] if len(keys) == 1 else list(keys), sort=False).indices if len(frame) else {}
        )
        _SPLITS.keep(frame, keys, split)
    return split


def _judge(frame: pd.DataFrame, pace_at_risk: float, upcoming: bool) -> pd.DataFrame:
    """Add attainment, pace and the SPEC status (the metrics layer's one status rule)."""
    frame = frame.copy()
    frame["attainment"] = ratio(frame["actual"], frame["target"])
    frame["pace"] = ratio(frame["actual"], frame["expected_to_date"])
    status = _status(frame, pace_at_risk)
    frame["status"] = np.where(frame["target"].isna(), "", "upcoming" if upcoming else status)
    return frame
