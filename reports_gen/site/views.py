"""Page-ready views of a Report: formatted figures, deltas, tables and chart inputs."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cached_property
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd
from babel.dates import format_skeleton

from reports_gen.metrics.alerts import alert_severity
from reports_gen.metrics.report import Report
from reports_gen.metrics.weekly import missed_calls
from reports_gen.site.burnups import Burnups
from reports_gen.site.markdown import md
from reports_gen.workcalendar import parse_week, week_codes

_STATUS_ICONS = {
    "achieved": "✓ ",
    "on_track": "→ ",
    "at_risk": "! ",
    "behind": "▼ ",
    "upcoming": "○ ",
    "closed": "■ ",
}
MONEY = {"revenue", "revenue_target", "drop_size", "expected_value"}
RATIOS = {"ec_ratio", "pjp_rate", "coverage", "activity_rate", "win_rate", "attainment", "pace"}


@dataclass(frozen=True)
class Card:
    """A KPI card: label, value and the change against the week before."""

    label: str
    value: str
    delta: str
    trend: str  # "up", "down" or "flat"


class View:
    """Lookups and formatting shared by every page."""

    def __init__(self, report: Report):
        self.report = report
        self.tr = report.tr
        self.ds = report.dataset
        self.metrics = report.metrics
        self.as_of = report.metrics.as_of
        self.weekly = report.metrics.weekly.set_index(["scope", "id", "week"]).sort_index()
        self.people = {p.id: p for p in self.ds.org.people}
        self.teams = {t.id: t for t in self.ds.org.teams}
        self._fmt_cache: dict[str, dict[tuple[Any, ...], str]] = {}
        self._columns: dict[str, np.ndarray] = {}

    # -- weeks -------------------------------------------------------------------------------

    @cached_property
    def weeks(self) -> list[str]:
        """Week folders up to the as-of date (all of them when the date is later)."""
        shown = [w for w in self.ds.weeks if parse_week(w).start <= self.as_of]
        return shown or list(self.ds.weeks)

    @property
    def latest(self) -> str:
        """Return the latest week shown."""
        return self.weeks[-1]

    def previous(self, week: str) -> str | None:
        """Return the week folder before `week`, if any."""
        index = self.ds.weeks.index(week)
        return self.ds.weeks[index - 1] if index > 0 else None

    def span(self, week: str) -> str:
        """Return 'Mon – Sun' dates of a week in the locale's style."""
        period = parse_week(week)
        return f"{self.tr.date(period.start)} – {self.tr.date(period.end)}"

    @cached_property
    def _positions(self) -> dict[tuple[str, str, str], int]:
        frame = self.metrics.weekly
        keys = zip(frame["scope"], frame["id"], frame["week"], strict=True)
        return {key: position for position, key in enumerate(keys)}

    def row(self, scope: str, ident: str, week: str) -> pd.Series:
        """Return the weekly metrics of a scope in a week."""
        return self.metrics.weekly.iloc[self._positions[(scope, ident, week)]]

    def rows(self, scope: str, idents: list[str], week: str) -> pd.DataFrame:
        """Return the weekly metrics of several scopes in a week, in the order given."""
        return self.metrics.weekly.iloc[[self._positions[(scope, i, week)] for i in idents]]

    def positions(self, scope: str, idents: list[str], week: str) -> np.ndarray:
        """Return the rows of several scopes in a week, in the order given (positions in `rows`' frame)."""
        return np.array([self._positions[(scope, i, week)] for i in idents], dtype=np.intp)

    def column(self, metric: str) -> np.ndarray:
        """Return a column of the weekly metrics as an array (taken once)."""
        found = self._columns.get(metric)
        if found is None:
            found = self._columns[metric] = self.metrics.weekly[metric].to_numpy()
        return found

    def series(self, scope: str, ident: str) -> pd.DataFrame:
        """Return the weekly metrics of a scope over every shown week, oldest first."""
        frame, groups = self._series
        return frame.iloc[groups[(scope, ident)]].reset_index(drop=True)

    def series_columns(self, scope: str, ident: str, columns: list[str]) -> pd.DataFrame:
        """Return `series(scope, ident)[columns]`, cutting out only those columns."""
        frame, groups = self._series
        at = groups[(scope, ident)]
        return pd.DataFrame({c: frame[c].array[at] for c in columns})

    @cached_property
    def _series(self) -> tuple[pd.DataFrame, dict[tuple[str, str], np.ndarray]]:
        """The shown weeks' rows (week first, no scope or id) and each scope's positions in them."""
        flat = self.weekly.reset_index()
        flat = flat[flat["week"].isin(self.weeks).to_numpy()]
        groups = dict(flat.groupby(["scope", "id"], sort=False).indices) if len(flat) else {}
        return flat.drop(columns=["scope", "id"]), groups

    # -- formatting --------------------------------------------------------------------------

    def fmt(self, metric: str, value: float | None) -> str:
        """Format a metric's value for the locale: money, percent or a count."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        # tr.money, tr.percent or tr.number (counts are whole: 1.082,2 calls reads as 1.082),
        # each distinct value once, whole figures without Babel (WholeFormat writes them alike)
        return self._fmt_kind(_format_kind(metric), value)

    def fmt_column(self, metric: str, values: Iterable[Any]) -> list[str]:
        """Format a column of a metric's values exactly as `fmt` does, each distinct value once."""
        return self._fmt_each(_format_kind(metric), values)

    def _fmt_each(self, kind: str, values: Iterable[Any]) -> list[str]:
        """`_fmt_kind` of every value; a number met before is looked up without a call."""
        return self._fmt_kinds(repeat(kind), values)

    def fmt_target_column(self, metrics: Iterable[str], column: str, values: Iterable[Any]) -> list[str]:
        """Format a column of target-period figures exactly as `fmt_target` does (`metrics`: each row's)."""
        metrics, values = list(metrics), list(values)
        if len(values) != len(metrics):
            raise ValueError("one metric per value")
        kinds = {m: _target_kind(m, column) for m in set(metrics)}  # each metric's kind, once
        return self._fmt_kinds([kinds[m] for m in metrics], values)

    def _fmt_kinds(self, kinds: Iterable[str], values: Iterable[Any]) -> list[str]:
        """`_fmt_kind` of every (kind, value); a plain number met before is looked up without a call."""
        caches = self._fmt_cache
        out = []
        for kind, value in zip(kinds, values, strict=False):  # `kinds` may be endless (repeat)
            kept = type(value)
            if kept is float or kept is int:  # the key _value_key gives, made here
                if value != value:
                    key: tuple[Any, ...] = (float, "nan")
                else:
                    key = (kept, value, value == 0 and math.copysign(1.0, value) < 0)
                text = caches.setdefault(kind, {}).get(key)
                out.append(text if text is not None else self._fmt_kind(kind, value))
            else:
                out.append(self._fmt_kind(kind, value))
        return out

    def _fmt_kind(self, kind: str, value: Any) -> str:
        """Format a value with the Translator's `kind` method, '–' when missing; cached by value."""
        cache = self._fmt_cache.setdefault(kind, {})
        key = _value_key(value)
        text = cache.get(key)
        if text is None:
            whole = self._whole(kind)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                text = "–"
            elif whole is not None and whole.fits(value):
                text = whole.format(value)
            else:
                text = getattr(self.tr, kind)(value)
            cache[key] = text
        return text

    def _whole(self, kind: str) -> WholeFormat | None:
        """The Babel-free way to write whole figures of a kind, when the locale allows one."""
        key = f"_whole_{kind}"
        if key not in self.__dict__:
            self.__dict__[key] = WholeFormat.of(getattr(self.tr, kind), 100 if kind == "percent" else 1)
        return self.__dict__[key]

    def fmt_target(self, metric: str, column: str, value: float) -> str:
        """Format a target-period figure: money for revenue targets, else a count."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        if column in ("attainment", "pace"):
            return self.tr.percent(value)
        if metric == "revenue":
            return self.tr.money(value)
        return self.tr.number(value)  # counts: a target to date of 304.6 calls reads as 305

    def delta(self, metric: str, now: float, before: float | None) -> tuple[str, str]:
        """Return the change against the week before as text and a trend word."""
        if before is None or any(isinstance(v, float) and math.isnan(v) for v in (now, before)):
            return "", "flat"
        if metric in RATIOS:
            change = (now - before) * 100
            text = self.tr("points", value=self.tr.number(abs(change), 1))
        elif before == 0:
            return "", "flat"
        else:
            change = (now - before) / abs(before)
            text = self._fmt_kind("percent", abs(change))  # tr.percent's text, see fmt
        trend = "up" if change > 0.0005 else "down" if change < -0.0005 else "flat"
        arrow = {"up": "▲", "down": "▼", "flat": "■"}[trend]
        return f"{arrow} {text}", trend

    def status(self, status: str) -> str:
        """Return a status badge (safe HTML): colour, a shape and the word, never colour alone."""
        icon = _STATUS_ICONS.get(status, "")
        return (
            f'<span class="rg-status rg-{status}"><span aria-hidden="true">{icon}</span>'
            f"{self.tr('status.' + status)}</span>"
        )

    def week_label(self, week: str, long: bool = False) -> str:
        """Name a week as people say it ('Minggu ke-47', long: with its dates), never wrapping."""
        return f'<span class="rg-id">{self.tr.period(week, long)}</span>'

    def period_label(self, period: str) -> str:
        """Name a target period as people say it ('November 2026', 'Q4 2026'), never wrapping."""
        return f'<span class="rg-id">{self.tr.period(period)}</span>'

    @cached_property
    def severity(self) -> pd.Series:
        """Return the severity of every alert (3 high, 2 medium, 1 low), by alert row."""
        return alert_severity(self.report.alerts)

    def freshness(self, built: dt.date | None = None, upto: str | None = None) -> str:
        """Return the line that says what data a page shows (and, given `built`, when it was built).

        Only the home page says when it was built: a date that changes every day would make
        every page new on every build, and a rebuild could reuse none of them. A page about a
        week (`upto`) says the data up to that week, so a new week leaves it as it was.
        """
        latest = upto if upto in self.weeks else self.latest
        last, count = parse_week(latest), self.weeks.index(latest) + 1
        return self.tr(
            "generated_note" if built else "data_note",
            last=self.tr.period(latest, False),
            last_day=format_skeleton("MMMEd", last.end, locale=self.tr.locale),  # Min, 22 Nov / Sun, Nov 22
            weeks=self.tr("note_weeks_one" if latest == self.weeks[0] else "note_weeks", count=count),
            first=self.tr.period(self.weeks[0], False),
            built=self.tr.date(built) if built else "",
        )

    def data_warnings(self, built: dt.date) -> list[str]:
        """Return warnings about stale data or missing weeks, for the home page."""
        warnings = []
        last = parse_week(self.ds.weeks[-1])
        if (built - last.end).days > 7:
            warnings.append(
                self.tr("stale_data", last=self.tr.period(self.ds.weeks[-1]), built=self.tr.date(built))
            )
        first = parse_week(self.ds.weeks[0]).start
        expected = week_codes(pd.Series(pd.date_range(first, last.end, freq="7D")))
        missing = [w for w in expected if w not in set(self.ds.weeks)]
        if missing:
            names = ", ".join(self.tr.period(w) for w in missing)
            warnings.append(self.tr("missing_weeks", weeks=names))
        return warnings

    def person_name(self, person_id: str) -> str:
        """Return the escaped display name of a person."""
        person = self.people.get(person_id)
        return md(person.name if person else person_id)

    def team_name(self, team_id: str) -> str:
        """Return the escaped display name of a team."""
        team = self.teams.get(team_id)
        return md(team.name if team else team_id)

    def scope_name(self, scope: str, ident: str) -> str:
        """Return the escaped name of a company, team or person scope."""
        if scope == "company":
            return self.tr("scope.company")
        return self.team_name(ident) if scope == "team" else self.person_name(ident)

    def cards(self, scope: str, ident: str, week: str, metrics: tuple[str, ...]) -> list[Card]:
        """Return KPI cards of a scope for a week with the change against the week before."""
        now = self._positions[(scope, ident, week)]
        before_week = self.previous(week)
        before = self._positions[(scope, ident, before_week)] if before_week else None
        cards = []
        for metric in metrics:
            column = self.column(metric)  # its values are what self.row(...)[metric] gives
            delta, trend = self.delta(metric, column[now], None if before is None else column[before])
            cards.append(Card(self.tr(f"kpi.{metric}"), self.fmt(metric, column[now]), delta, trend))
        return cards

    # -- target periods ----------------------------------------------------------------------

    @property
    def all_periods(self) -> pd.DataFrame:
        """Every target period: current ones as of D, past ones as of their end, upcoming ones."""
        return self.metrics.all_periods

    def burnup(self, period: str, scope: str, ident: str, metric: str) -> pd.DataFrame:
        """Daily cumulative actual (up to the as-of date) and expected for a target period."""
        return self._burnups.burnup(period, scope, ident, metric)

    @cached_property
    def _burnups(self) -> Burnups:
        return Burnups(self.metrics, pd.Timestamp(self.as_of), self.ds.last_day)

    # -- alerts and outlets ------------------------------------------------------------------

    # Groups are kept as row positions and cut out when a page asks: building a frame for every
    # group up front costs more than the pages that use them.

    @cached_property
    def _alerts_by_week(self) -> dict[str, np.ndarray]:
        alerts = self.report.alerts
        return dict(alerts.groupby(week_codes(alerts["date"]), sort=False).indices) if len(alerts) else {}

    @cached_property
    def _alerts_by_person(self) -> dict[str, np.ndarray]:
        return dict(self.report.alerts.groupby("person_id", sort=False).indices)

    @cached_property
    def alert_weeks(self) -> np.ndarray:
        """Return the week code of every alert row (None where it has no date)."""
        weeks = np.full(len(self.report.alerts), None, dtype=object)
        for week, at in self._alerts_by_week.items():
            weeks[at] = week
        return weeks

    def alerts_in(self, week: str) -> pd.DataFrame:
        """Return the alerts dated in a week."""
        return _rows_at(self.report.alerts, self._alerts_by_week.get(week))

    def alerts_of(self, person_id: str) -> pd.DataFrame:
        """Return the alerts of a person."""
        return _rows_at(self.report.alerts, self._alerts_by_person.get(person_id))

    def share(self) -> None:
        """Compute what pages of several parts read, before the parts are shared with a forked
        process (see `Manager.share`)."""
        for name in ("_missed", "_series", "_burnups", "_alerts_by_week", "_alerts_by_person"):
            getattr(self, name)

    @cached_property
    def _missed(self) -> tuple[pd.DataFrame, dict[tuple[str, str], np.ndarray]]:
        missed = missed_calls(self.ds.calls, self.as_of)
        return missed, dict(missed.groupby(["rep_id", "week"], sort=False).indices)

    def missed_calls(self, person_id: str, week: str) -> pd.DataFrame:
        """Return a rep's planned visits not made in a week."""
        missed, groups = self._missed
        positions = groups.get((person_id, week))
        return self.ds.calls.iloc[:0] if positions is None else missed.iloc[positions]

    def missed_call_rows(self, person_id: str, week: str, limit: int) -> tuple[list[Any], list[Any]]:
        """Return the row labels and outlets of a rep's first `limit` missed calls in a week."""
        missed, groups = self._missed
        at = groups.get((person_id, week))
        if at is None:
            return [], []
        at = at[:limit]
        return missed.index[at].tolist(), missed["outlet_id"].array[at].tolist()

    def missed_calls_in(self, week: str) -> pd.DataFrame:
        """Return every rep's planned visits not made in a week, in the order of the calls."""
        missed, groups = self._missed
        mine = [at for (_, w), at in groups.items() if w == week]
        return missed.iloc[np.sort(np.concatenate(mine))] if mine else self.ds.calls.iloc[:0]

    def recent_weeks(self, count: int) -> list[str]:
        """Return the last `count` shown weeks."""
        return self.weeks[-count:]

    @cached_property
    def outlet_names(self) -> dict[str, str]:
        """Return outlet id -> name."""
        return dict(zip(self.ds.outlets["outlet_id"], self.ds.outlets["name"], strict=True))


def _target_kind(metric: str, column: str) -> str:
    """The Translator method that formats a target-period figure: percent, money or number."""
    if column in ("attainment", "pace"):
        return "percent"
    return "money" if metric == "revenue" else "number"


_TARGET_MONEY = ("target", "actual", "expected_to_date", "projection", "required_per_day")


def _format_kind(metric: str) -> str:
    """The Translator method that formats a metric: money, percent or number."""
    if metric in MONEY or metric in _TARGET_MONEY:
        return "money"
    return "percent" if metric in RATIOS else "number"


@dataclass(frozen=True)
class WholeFormat:
    """Write whole figures (money without cents, whole percent, counts) as Babel does, without Babel.

    The prefix, group separator and suffix are read off the Translator's own output, and a value is
    rounded as Babel rounds it: the shortest decimal of the float, scaled, half to even.
    """

    prefix: str
    group: str
    suffix: str
    scale: int  # 100 for a percentage

    @classmethod
    def of(cls, format: Callable[[float], str], scale: int) -> WholeFormat | None:
        """Return the format `format` writes, None when it is not whole numbers with groups."""
        match = re.fullmatch(r"(\D*)1(?P<g>\D?)234(?P=g)567(\D*)", format(1234567 / scale))
        if match is None:
            return None
        whole = cls(match[1], match["g"], match[3], scale)
        samples = [0.0, 0.4, 0.5, 1.5, 2.5, 999.5, 1000.0, 1234567.4, 1234567.6, 98765432.5]
        if any(format(v / scale) != whole.format(v / scale) for v in samples):
            return None  # cents, another rounding or another grouping: leave it to Babel
        return whole

    def fits(self, value: Any) -> bool:
        """Whether `value` is written here exactly as Babel writes it (else ask Babel)."""
        if type(value) not in (float, int, np.float64):
            return False  # Decimal, numpy's ints, bool...
        return 0 < value < 1e15 or (value == 0 and math.copysign(1.0, value) > 0)  # not -0.0

    def format(self, value: float) -> str:
        """Return the text of a value that `fits`."""
        scaled = Decimal(repr(float(value))).scaleb(2 if self.scale == 100 else 0)
        number = int(scaled.quantize(Decimal(1), ROUND_HALF_EVEN))
        return self.prefix + f"{number:,}".replace(",", self.group) + self.suffix


def _rows_at(frame: pd.DataFrame, positions: np.ndarray | None) -> pd.DataFrame:
    """Return the rows of `frame` at `positions` (a group's), none when there are none."""
    return frame.iloc[:0] if positions is None else frame.iloc[positions]


def _value_key(value: Any) -> tuple[Any, ...]:
    """A dict key under which values always format alike: NaN is one key, -0.0 is not 0.0."""
    if isinstance(value, float) and math.isnan(value):
        return (float, "nan")
    return (type(value), value, value == 0 and math.copysign(1.0, value) < 0)


def day_text(view: View, value: pd.Timestamp | dt.date | float) -> str:
    """Format a date cell, '–' when missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or pd.isna(value):
        return "–"
    return view.tr.date(pd.Timestamp(value).date())
