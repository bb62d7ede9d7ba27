"""Working days, public holidays, ISO weeks and target periods."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

import holidays as holidays_lib
import numpy as np
import pandas as pd

from reports_gen.errors import MessageError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

PeriodKind = Literal["week", "month", "quarter", "half", "year"]
# Finest first: when periods overlap on a day, the lowest rank's daily target is used.
PERIOD_RANK: dict[str, int] = {"week": 0, "month": 1, "quarter": 2, "half": 3, "year": 4}

_PERIOD_RE = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|H(?P<half>\d)|Q(?P<quarter>\d)|W(?P<week>\d{2})))?$"
)
WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
# The years a date may have: pandas counts time in nanoseconds (1677..2262 only), and a sales
# record outside this century is a typo (0026 or 2206 for 2026), not history or a plan.
FIRST_YEAR, LAST_YEAR = 2000, 2099


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period with inclusive bounds, e.g. 2026-Q4 = 2026-10-01..2026-12-31."""

    start: date
    end: date
    kind: PeriodKind
    code: str

    @property
    def rank(self) -> int:
        """Return the period's fineness: 0 for a week up to 4 for a year."""
        return PERIOD_RANK[self.kind]

    @property
    def days(self) -> int:
        """Return the number of calendar days."""
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        """Tell whether `day` lies in the period."""
        return self.start <= day <= self.end

    def previous(self) -> Period:
        """Return the period of the same kind just before this one."""
        return period_containing(self.kind, self.start - timedelta(days=1))

    def last_year(self) -> Period:
        """Return the same period one year earlier (ISO week number for weeks)."""
        if self.kind == "week":
            year, week = int(self.code[:4]) - 1, int(self.code[6:])
            if week == 53 and date(year, 12, 28).isocalendar()[1] != 53:
                raise MessageError("period.no-week-53", year=year, period=self.code)
            return parse_period(f"{year}-W{week:02d}")
        return parse_period(f"{int(self.code[:4]) - 1}{self.code[4:]}")


def parse_period(text: str) -> Period:
    """Parse `YYYY`, `YYYY-Hn`, `YYYY-Qn`, `YYYY-MM` or `YYYY-Www`; raise ValueError if invalid."""
    match = _PERIOD_RE.match(str(text).strip())
    if not match:
        raise MessageError("period.invalid", text=repr(text))
    year = int(match["year"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise MessageError("period.year-range", text=repr(text), first=FIRST_YEAR, last=LAST_YEAR)
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise MessageError("period.month-range", text=repr(text))
        return _month(year, month)
    if match["quarter"]:
        quarter = int(match["quarter"])
        if not 1 <= quarter <= 4:
            raise MessageError("period.quarter-range", text=repr(text))
        first = _month(year, 3 * quarter - 2)
        return Period(first.start, _month(year, 3 * quarter).end, "quarter", f"{year}-Q{quarter}")
    if match["half"]:
        half = int(match["half"])
        if half not in (1, 2):
            raise MessageError("period.half-range", text=repr(text))
        first = _month(year, 6 * half - 5)
        return Period(first.start, _month(year, 6 * half).end, "half", f"{year}-H{half}")
    if match["week"]:
        return parse_week(f"{year}-W{match['week']}")
    return Period(date(year, 1, 1), date(year, 12, 31), "year", f"{year}")


def parse_week(code: str) -> Period:
    """Parse an ISO week code `YYYY-Www` into its Monday..Sunday period."""
    match = WEEK_RE.match(code)
    if not match:
        raise MessageError("week.invalid", week=repr(code))
    year, week = int(match[1]), int(match[2])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise MessageError("week.year-range", week=repr(code), first=FIRST_YEAR, last=LAST_YEAR)
    try:
        monday = date.fromisocalendar(year, week, 1)
        sunday = monday + timedelta(days=6)
    except ValueError:
        raise MessageError("week.no-such-week", week=repr(code), year=year, number=week) from None
    except OverflowError:  # the last weeks of year 9999 end after the last date Python knows
        raise MessageError("week.beyond-9999", week=repr(code)) from None
    return Period(monday, sunday, "week", f"{year}-W{week:02d}")


def week_code(day: date) -> str:
    """Return the ISO week code of a day, e.g. 2026-W48."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_codes(days: pd.Series) -> pd.Series:
    """Return the ISO week code of every date in a datetime Series (vectorised)."""
    codes, uniques = pd.factorize(days, use_na_sentinel=False)  # each distinct day worked out once
    iso = pd.Series(uniques).dt.isocalendar()
    text = iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)
    return pd.Series(text.array.take(codes), index=days.index)


def period_containing(kind: PeriodKind, day: date) -> Period:
    """Return the period of `kind` that contains `day`."""
    if kind == "week":
        return parse_week(week_code(day))
    if kind == "month":
        return _month(day.year, day.month)
    if kind == "quarter":
        return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    if kind == "half":
        return parse_period(f"{day.year}-H{1 if day.month <= 6 else 2}")
    return parse_period(f"{day.year}")


def _month(year: int, month: int) -> Period:
    start = date(year, month, 1)
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return Period(start, nxt - timedelta(days=1), "month", f"{year}-{month:02d}")


@dataclass(frozen=True)
class WorkCalendar:
    """The company's working days: weekdays minus public holidays and days off, plus overrides."""

    weekdays: frozenset[int] = frozenset(range(5))  # 0 = Monday
    country: str | None = None
    extra_off: frozenset[date] = frozenset()
    extra_working: frozenset[date] = frozenset()

    def holidays_in(self, years: Iterable[int]) -> dict[date, str]:
        """Return public holidays of `country` (date -> name) for the given years."""
        if not self.country:
            return {}
        return _country_holidays(self.country, tuple(sorted(set(years))))

    def working_mask(self, days: pd.DatetimeIndex | pd.Series) -> np.ndarray:
        """Return a boolean array: which of `days` are working days (vectorised)."""
        index = pd.DatetimeIndex(days)
        if len(index) == 0:
            return np.zeros(0, dtype=bool)
        normalized = index.normalize()
        mask = np.isin(normalized.day_of_week, sorted(self.weekdays))
        years = range(normalized.min().year, normalized.max().year + 1)
        off = set(self.holidays_in(years)) | set(self.extra_off)
        if off:
            mask &= ~normalized.isin(pd.DatetimeIndex(sorted(off)))
        if self.extra_working:
            mask |= normalized.isin(pd.DatetimeIndex(sorted(self.extra_working)))
        return np.asarray(mask, dtype=bool)

    def working_days(self, start: date, end: date) -> pd.DatetimeIndex:
        """Return the working days from `start` to `end`, both included."""
        days = pd.date_range(start, end, freq="D")
        return days[self.working_mask(days)]


@lru_cache(maxsize=32)
def _country_holidays(country: str, years: tuple[int, ...]) -> dict[date, str]:
    return dict(holidays_lib.country_holidays(country, years=years).items())


def supported_countries() -> set[str]:
    """Return the country codes the `holidays` package knows."""
    try:  # the registry's codes: listing the countries would import all 250 of them (0.2 s)
        from holidays.registry import EntityLoader

        return set(EntityLoader.get_country_codes())
    except (ImportError, AttributeError):
        return set(holidays_lib.list_supported_countries())


def person_days(
    people: pd.DataFrame, calendar: WorkCalendar, start: pd.Timestamp, end: pd.Timestamp
) -> pd.DataFrame:
    """Return every (person, day) from start to end with `working`: a working day of that person."""
    days = pd.date_range(start, end, freq="D")
    working = calendar.working_mask(days)
    grid = pd.DataFrame(
        {
            "person_id": np.repeat(people.index.to_numpy(), len(days)),
            "date": np.tile(days.to_numpy(), len(people)),
            "company_working": np.tile(working, len(people)),
        }
    )
    first = people["start"].reindex(grid["person_id"]).to_numpy()
    last = people["end"].reindex(grid["person_id"]).to_numpy()
    employed = ~(grid["date"].to_numpy() < first) & ~(grid["date"].to_numpy() > last)
    grid["working"] = grid["company_working"] & employed
    return grid
