"""The lines of targets.yaml: targets a sales manager would set for the generated data."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from .calendar import NEVER, Calendar
from .logs import Actuals
from .world import World


def target_lines(world: World, acc: Actuals, rng: np.random.Generator) -> list[str]:
    """Set the targets a sales manager would set: steady, reachable, some missed, some beaten."""
    cal, frame = world.cal, world.people.frame
    ids, team_ids = frame["id"].to_numpy(), world.people.teams["id"].to_numpy()
    span = np.arange(len(cal.labels))
    workdays = (
        cal.working
        & (frame["start"].to_numpy()[:, None] <= span)
        & (span <= frame["end"].to_numpy()[:, None])
    )
    months = _periods(cal, months=True)
    growth = _growth_targets(world, acc, months, rng)
    sales = frame.index[frame["role"] == "sales"].to_numpy()
    lines = [
        "# Targets per period, scope and metric. Teams without their own target get the",
        "# sum of their people's targets, and the company the sum of its teams'.",
        "targets:",
        "  # Company revenue per quarter.",
    ]
    lines += _series(
        cal, _periods(cal, months=False), "company", "revenue", acc.revenue.sum(axis=0), cal.working, rng
    )
    lines.append("  # Monthly revenue per sales person; some must beat last month by a margin.")
    lines += [
        f'  - {{period: {code}, scope: "person:{ids[p]}", metric: revenue, growth: {pct}%, basis: previous}}'
        for code, p, pct in growth
    ]
    for p in sales:
        skip = {code for code, q, _ in growth if q == p}
        lines += _series(cal, months, f"person:{ids[p]}", "revenue", acc.revenue[p], workdays[p], rng, skip)
    # Every rep gets one, so team and company roll-ups compare like with like.
    lines.append("  # Effective-call targets for every rep, activity targets for marketing.")
    for p in sales:
        lines += _series(
            cal, months, f"person:{ids[p]}", "effective_calls", acc.effective_calls[p], workdays[p], rng
        )
    for p in frame.index[frame["role"] == "marketing"]:
        lines += _series(
            cal, months, f"person:{ids[p]}", "activities_done", acc.activities_done[p], workdays[p], rng
        )
    lines.append("  # New prospects per team and month.")
    created = np.zeros((len(team_ids), len(span)))
    np.add.at(created, (world.prospects["team"].to_numpy(), world.prospects["created"].to_numpy()), 1)
    for t, team in enumerate(team_ids):
        lines += _series(cal, months, f"team:{team}", "new_prospects", created[t], cal.working, rng)
    return lines


def _series(
    cal: Calendar,
    periods: list[tuple[str, int, int]],
    scope: str,
    metric: str,
    actual: np.ndarray,
    workdays: np.ndarray,
    rng: np.random.Generator,
    skip: set[str] | frozenset[str] = frozenset(),
) -> list[str]:
    """Write one scope's targets: its pace over the range, times each period's working days.

    Each scope gets a fixed ambition (attainment 86-108 % on average) and targets creep up
    by about 1 % a period, as targets do.
    """
    seen = slice(cal.first, cal.last + 1)
    if workdays[seen].sum() == 0 or actual[seen].sum() == 0:
        return []
    rate = actual[seen].sum() / workdays[seen].sum() / rng.uniform(0.86, 1.08)
    scope_text = scope if scope == "company" else f'"{scope}"'
    lines = []
    for i, (code, lo, hi) in enumerate(periods):
        days = workdays[lo : hi + 1].sum()
        if code in skip or days == 0:
            continue
        value = _nice(rate * days * (1 + 0.01 * (i - len(periods) / 2)) * rng.uniform(0.97, 1.03))
        lines.append(f"  - {{period: {code}, scope: {scope_text}, metric: {metric}, value: {value}}}")
    return lines


def _periods(cal: Calendar, *, months: bool) -> list[tuple[str, int, int]]:
    """List the months (or quarters) overlapping the range: (code, first day, last day)."""
    periods = []
    day = cal.day(cal.first)
    while (day - cal.origin).days <= cal.last:
        length = 1 if months else 3
        start = date(day.year, day.month if months else 3 * ((day.month - 1) // 3) + 1, 1)
        month_after = start.month + length - 1
        end = date(start.year + month_after // 12, month_after % 12 + 1, 1) - timedelta(days=1)
        code = f"{start:%Y-%m}" if months else f"{start.year}-Q{(start.month + 2) // 3}"
        periods.append((code, (start - cal.origin).days, (end - cal.origin).days))
        day = end + timedelta(days=1)
    return periods


def _nice(value: float) -> int:
    """Round to the three significant figures (in steps of five) a manager would write."""
    step = 5 * 10 ** max(0, len(str(int(value))) - 3) if value >= 1000 else 1
    return int(max(step, round(value / step) * step))


def _growth_targets(
    world: World, acc: Actuals, months: list[tuple[str, int, int]], rng: np.random.Generator
) -> list[tuple[str, int, int]]:
    """Pick reps whose last month's target is the month before plus a few percent.

    The basis month must lie wholly inside the range, so that it has data; when the range is
    too short for that, use the last week against the week before.
    """
    cal, frame = world.cal, world.people.frame
    stays = frame.index[(frame["role"] == "sales") & (frame["end"] == NEVER)].to_numpy()
    if len(months) >= 2 and months[-2][1] >= cal.first:
        code, (_, lo, hi) = months[-1][0], months[-2]
        period_pick = stays[frame["start"].to_numpy()[stays] <= lo]
        period_pick = period_pick[acc.revenue[period_pick, lo : hi + 1].sum(axis=1) > 0][::4]
    elif cal.weeks >= 2:
        code, lo = cal.week_code(cal.weeks - 1), cal.first + 7 * (cal.weeks - 2)
        period_pick = stays[frame["start"].to_numpy()[stays] <= lo][:1]
        period_pick = period_pick[acc.revenue[period_pick, lo : lo + 7].sum(axis=1) > 0]
    else:
        return []
    return [(code, int(p), int(rng.choice([5, 8, 10, 12]))) for p in period_pick]
