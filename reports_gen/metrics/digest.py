"""The weekly digest's figures for a team or the company: pure selections from the report."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from reports_gen.metrics.alerts import alert_severity
from reports_gen.metrics.report import Report
from reports_gen.workcalendar import period_containing

DIGEST_METRICS = (
    "revenue",
    "revenue_target",
    "attainment",
    "actual_calls",
    "effective_calls",
    "ec_ratio",
    "pjp_rate",
    "coverage",
)
# Within one severity (metrics.alerts.alert_severity), what a manager acts on first.
ALERT_PRIORITY = (
    "behind_target",
    "low_pjp_rate",
    "low_ec_ratio",
    "low_coverage",
    "stale_prospect",
    "overdue_outlet",
    "missed_call",
    "missed_activity",
    "log_gap",
)


@dataclass(frozen=True)
class MonthStatus:
    """A scope's revenue target period of the current month, as of D."""

    period: str
    target: float
    actual: float
    attainment: float
    status: str


@dataclass(frozen=True)
class Digest:
    """One week's summary for a scope: figures, the week before, the month's target status, alerts.

    `figures`/`before`: DIGEST_METRICS of the week and the week before (before is None for the
    first week). `month`: the scope's revenue row of the current month's target period as of
    D (period, target, actual, attainment, status) or None. `alert_counts`: kind -> count for the
    week, in ALERT_PRIORITY order; `top_alerts`: the first details by severity (highest first,
    metrics.alerts.alert_severity), then ALERT_PRIORITY.
    """

    week: str
    scope: str
    id: str
    figures: dict[str, float]
    before: dict[str, float] | None
    month: MonthStatus | None
    alert_counts: dict[str, int]
    top_alerts: tuple[str, ...]


def digest_weeks(report: Report) -> list[str]:
    """Return the week folders that start on or before D (the weeks a digest can cover)."""
    day = pd.Timestamp(report.metrics.as_of)
    weekly = report.metrics.weekly
    starts = {w: pd.Timestamp.fromisocalendar(int(w[:4]), int(w[6:]), 1) for w in weekly["week"].unique()}
    weeks = sorted(w for w, s in starts.items() if s <= day)
    return weeks or sorted(starts)


def weekly_digest(report: Report, team: str | None = None, week: str | None = None, top: int = 3) -> Digest:
    """Collect the figures of a week's digest for a team (or the company when `team` is None)."""
    weeks = digest_weeks(report)
    week = week or weeks[-1]
    scope, ident = ("team", team) if team else ("company", "")
    weekly = report.metrics.weekly
    mine = weekly[(weekly["scope"] == scope) & (weekly["id"] == ident)].set_index("week")
    figures = {m: float(mine.at[week, m]) for m in DIGEST_METRICS}
    index = weeks.index(week)
    before = {m: float(mine.at[weeks[index - 1], m]) for m in DIGEST_METRICS} if index else None
    alerts = report.alerts
    start = pd.Timestamp.fromisocalendar(int(week[:4]), int(week[6:]), 1)
    if team:
        alerts = alerts[alerts["team_id"] == team]
    in_week = alerts[(alerts["date"] >= start) & (alerts["date"] < start + pd.Timedelta(days=7))]
    as_of_kinds = alerts["kind"].isin(["overdue_outlet", "behind_target"])
    if week == weeks[-1]:  # the as-of alerts (overdue outlets, behind target) belong to the latest week
        in_week = pd.concat(
            [in_week[~in_week["kind"].isin(["overdue_outlet", "behind_target"])], alerts[as_of_kinds]]
        )
    order = {k: i for i, k in enumerate(ALERT_PRIORITY)}
    # within a kind, a team's or the company's alert before a person's
    in_week = in_week.assign(
        _s=-alert_severity(in_week), _p=in_week["kind"].map(order), _who=in_week["person_id"] != ""
    )
    in_week = in_week.sort_values(["_s", "_p", "_who", "date"], kind="stable")
    counts = in_week["kind"].value_counts()
    alert_counts = {k: int(counts[k]) for k in ALERT_PRIORITY if k in counts.index}
    return Digest(
        week,
        scope,
        ident,
        figures,
        before,
        _month_status(report, scope, ident, week, weeks),
        alert_counts,
        tuple(in_week["detail"].head(top)),
    )


def _month_status(report: Report, scope: str, ident: str, week: str, weeks: list[str]) -> MonthStatus | None:
    if week != weeks[-1]:
        return None
    periods = report.metrics.periods
    month = period_containing("month", report.metrics.as_of).code
    row = periods[
        (periods["period"] == month)
        & (periods["scope"] == scope)
        & (periods["id"] == ident)
        & (periods["metric"] == "revenue")
    ]
    if row.empty:
        return None
    first = row.iloc[0]
    return MonthStatus(
        str(first["period"]),
        float(first["target"]),
        float(first["actual"]),
        float(first["attainment"]),
        str(first["status"]),
    )
