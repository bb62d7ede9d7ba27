"""The demo calendar: the ISO weeks generated, working days and company days off."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import holidays
import numpy as np

_WEEK_RE = re.compile(r"(\d{4})-W(\d{2})")
NEVER = 10**7  # a day index after every date we generate (for people without `end`)
WORKDAYS = 6  # Monday..Saturday


@dataclass(frozen=True)
class Calendar:
    """Days from the start of the first quarter to the end of the last quarter of the range.

    Day indices count from `origin`; `first`..`last` is the generated range (whole ISO weeks).
    """

    origin: date
    first: int
    last: int
    weeks: int
    working: np.ndarray  # bool per day, by the rules config.yaml states
    labels: np.ndarray  # ISO date strings per day
    days_off: tuple[tuple[date, str], ...]  # company days off (holidays.extra)
    next_work: np.ndarray  # the first working day in the range on or after each day, else -1

    def day(self, index: int) -> date:
        """Return the date of a day index."""
        return self.origin + timedelta(days=int(index))

    def week_code(self, k: int) -> str:
        """Return the ISO week code of the k-th generated week."""
        year, week, _ = self.day(self.first + 7 * k).isocalendar()
        return f"{year}-W{week:02d}"


def parse_week(code: str) -> date:
    """Return the Monday of an ISO week code such as 2026-W47; raise ValueError otherwise."""
    match = _WEEK_RE.fullmatch(code) if isinstance(code, str) else None
    if match:
        try:
            return date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass
    raise ValueError(f"end_week must be an ISO week such as 2026-W47, got {code!r}")


def build_calendar(last_monday: date, weeks: int) -> Calendar:
    """Build the calendar of `weeks` ISO weeks ending with the week of `last_monday`."""
    try:
        first_monday = last_monday - timedelta(weeks=weeks - 1)
        origin = date(first_monday.year, 3 * ((first_monday.month - 1) // 3) + 1, 1)
    except (OverflowError, ValueError):
        raise ValueError(f"{weeks} weeks before {last_monday} is out of the calendar") from None
    range_end = last_monday + timedelta(days=6)
    span_end = _quarter_end(range_end)
    years = list(range(origin.year, span_end.year + 1))
    public = holidays.country_holidays("ID", years=years)
    days_off = _company_days_off(first_monday, range_end, public, years)
    closed = set(public) | {d for d, _ in days_off}
    n = (span_end - origin).days + 1
    dates = [origin + timedelta(days=i) for i in range(n)]
    working = np.array([d.weekday() < WORKDAYS and d not in closed for d in dates])
    labels = np.array([d.isoformat() for d in dates], dtype=object)
    first, last = (first_monday - origin).days, (range_end - origin).days
    in_range = working.copy()
    in_range[:first] = in_range[last + 1 :] = False
    candidates = np.where(in_range, np.arange(n), n)
    next_work = np.minimum.accumulate(candidates[::-1])[::-1]
    next_work = np.where(next_work < n, next_work, -1)
    return Calendar(origin, first, last, weeks, working, labels, days_off, next_work)


def _quarter_end(day: date) -> date:
    month = 3 * ((day.month - 1) // 3) + 3
    return date(day.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _company_days_off(
    first: date, last: date, public: dict, years: list[int]
) -> tuple[tuple[date, str], ...]:
    """Pick the government's cuti bersama in the range, plus the company's anniversary."""
    try:
        joint: Mapping[date, str] = holidays.country_holidays(
            "ID", years=years, categories=("government",), language="id"
        )
    except (NotImplementedError, ValueError, KeyError):  # an older `holidays` release
        joint = {}
    days = {
        d: str(name)
        for d, name in joint.items()
        if first <= d <= last and d.weekday() < WORKDAYS and d not in public
    }
    anniversary = first + timedelta(weeks=((last - first).days // 7) * 3 // 5, days=4)
    if anniversary not in public and anniversary not in days:
        days[anniversary] = "HUT perusahaan"
    return tuple(sorted(days.items()))
