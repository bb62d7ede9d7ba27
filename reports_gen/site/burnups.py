"""Burn-up charts' inputs: a target period's daily running totals, actual and expected, per scope.

The plan's daily targets and the facts' daily totals per scope are grouped once per view (every
target page asks for a few burn-ups); each burn-up then cuts its rows out by position.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from reports_gen.dataset.schema import TARGET_METRICS
from reports_gen.metrics.grouping import group_positions
from reports_gen.metrics.targets import scope_members
from reports_gen.metrics.weekly import Metrics


class Burnups:
    """The burn-ups of a report's target periods (View.burnup)."""

    def __init__(self, metrics: Metrics, as_of: pd.Timestamp, last_day: pd.Timestamp):
        self.metrics, self.as_of, self.last_day = metrics, as_of, last_day
        self._scope_cache: dict[str, tuple[np.ndarray, pd.Index, dict[tuple[str, str], np.ndarray]]] = {}

    def burnup(self, period: str, scope: str, ident: str, metric: str) -> pd.DataFrame:
        """Daily cumulative actual (up to the as-of date) and expected for a target period."""
        start, end = self._period_bounds[period]
        days = pd.date_range(start, end, freq="D")
        own = self._daily_targets.get((period, scope, ident, metric))
        if own is None:
            expected = np.zeros(len(days))
        else:
            rows = self.metrics.targets.daily
            daily = rows["daily"].to_numpy(dtype=float)[own]
            expected = _running_total(days, rows["date"].to_numpy()[own], daily)
        values, dates, groups = self._scope_days(metric)
        at = groups.get((scope, ident))
        actual = np.zeros(len(days)) if at is None else _running_total(days, dates[at], values[at])
        last = min(self.as_of, days[-1], self.last_day)
        shown = days <= last
        if not shown.all():  # no figures after the last day with data (Series.where's NaN, floats)
            actual = np.where(shown, actual, np.nan)
        return pd.DataFrame({"date": days, "actual_cum": actual, "expected_cum": expected})

    @cached_property
    def _period_bounds(self) -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
        """Each target period's first and last day."""
        bounds = self.metrics.targets.periods.drop_duplicates("period")
        return dict(zip(bounds["period"], zip(bounds["start"], bounds["end"], strict=True), strict=True))

    @cached_property
    def _daily_targets(self) -> dict[tuple[str, str, str, str], np.ndarray]:
        """(period, scope, id, metric) -> its rows of the plan's daily targets, in order."""
        return group_positions(self.metrics.targets.daily, ["period", "scope", "id", "metric"])

    def _scope_days(self, metric: str) -> tuple[np.ndarray, pd.Index, dict[tuple[str, str], np.ndarray]]:
        """Daily totals of a metric for every scope (values, days, each scope's rows), once per metric.

        The target metrics are summed in one group-by when the first is asked for: pandas sums each
        column of a group-by alike, alone or beside others.
        """
        if metric not in self._scope_cache:
            facts = self.metrics.facts
            wanted = [m for m in dict.fromkeys([metric, *TARGET_METRICS]) if m in facts.columns]
            wanted = [m for m in wanted if m not in self._scope_cache]
            members = scope_members(self.metrics.people)
            joined = facts[["person_id", "date", *wanted]].merge(members, on="person_id")
            totals = joined.groupby(["scope", "id", "date"])[wanted].sum()
            groups = dict(totals.groupby(level=[0, 1], sort=False).indices) if len(totals) else {}
            days = totals.index.get_level_values(2)
            for m in wanted:
                self._scope_cache[m] = (totals[m].to_numpy(), days, groups)
        return self._scope_cache[metric]


def _running_total(days: pd.DatetimeIndex, dates: np.ndarray, values: np.ndarray) -> np.ndarray:
    """pd.Series(values, index=dates).reindex(days, fill_value=0.0).cumsum(), as an array.

    Dated figures (one per day) put on the days they fall on, 0 on the others, then added up.
    Done on arrays when the figures are floats without gaps (the cumulative sum is numpy's either
    way); otherwise pandas' own way, whose types (counts stay whole) and NaN handling it keeps.
    """
    if values.dtype != np.float64 or np.isnan(values).any():
        return pd.Series(values, index=dates).reindex(days, fill_value=0.0).cumsum().to_numpy()
    at = days.get_indexer(dates)  # -1: a day outside `days`
    grid = np.zeros(len(days))
    grid[at[at >= 0]] = values[at >= 0]
    return np.cumsum(grid)
