"""Every rule of SPEC section 2 for the CSV tables, as vectorised checks that yield Problems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from reports_gen.dataset.csvfile import CsvSource
from reports_gen.dataset.schema import (
    FALSE_WORDS,
    FILE,
    ID_RE,
    LINE,
    OUTLET_TYPES,
    STAGES,
    TRUE_WORDS,
)
from reports_gen.errors import Choices, Level, Param, Place, Problem, Term
from reports_gen.workcalendar import FIRST_YEAR, LAST_YEAR, week_code

MAX_PER_RULE = 10  # per file: a systematic mistake is shown ten times, then counted

# ASCII digits only: `\d` would also take Arabic-Indic and other digits that do not parse.
_NUMBER_RE = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$"
_DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


class TableCheck:
    """Vectorised checks over one kind of table (every file of it, concatenated)."""

    def __init__(
        self,
        frame: pd.DataFrame,
        sources: dict[str, CsvSource],
        problems: list[Problem],
        factors: dict[str, tuple[np.ndarray, pd.Series]] | None = None,
    ):
        self.frame = frame
        self.sources = sources
        self.problems = problems
        # column -> (code per row, distinct values): given by the reader, or worked out when first asked
        self._factors: dict[str, tuple[np.ndarray, pd.Series]] = dict(factors or {})

    def flag(
        self,
        mask: pd.Series | np.ndarray,
        column: str | None,
        code: str,
        params: dict[str, Param] | Callable[[pd.Series], dict[str, Param]] | None = None,
        level: Level = "error",
    ) -> None:
        """Add a Problem `code` for every row where `mask` holds.

        Its message may use `{column}` and `{value}` (the row's cell), and `params`, given
        as they are or computed from the row.
        """
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        bad = self.frame[mask]
        for path, rows in bad.groupby(FILE, sort=False):
            for _, row in rows.head(MAX_PER_RULE).iterrows():
                values: dict[str, Param] = {"column": column, "value": str(row[column])} if column else {}
                values |= (params(row) if callable(params) else params) or {}
                col = self.sources[path].column_of(int(row[LINE]), column) if column else None
                self.problems.append(Problem.make(level, str(path), code, int(row[LINE]), col, **values))
            if len(rows) > MAX_PER_RULE:
                first = rows.iloc[MAX_PER_RULE]
                self.problems.append(
                    Problem.make(
                        level,
                        str(path),
                        "rows.more",
                        int(first[LINE]),
                        None,
                        count=len(rows) - MAX_PER_RULE,
                    )
                )

    def per_value(self, column: str, func: Callable[[pd.Series], object]) -> np.ndarray:
        """Apply `func` to the distinct values of a column and spread the result over its rows.

        Week files repeat the same ids, dates and flags thousands of times: checking each
        distinct value once keeps validation fast on a year of data.
        """
        if column not in self._factors:
            codes, uniques = pd.factorize(self.frame[column].to_numpy(dtype=object))
            self._factors[column] = (codes, pd.Series(uniques, dtype=object))
        codes, uniques = self._factors[column]
        return np.asarray(func(uniques))[codes] if len(codes) else np.asarray(func(uniques))

    def required(self, column: str) -> np.ndarray:
        """Flag empty values of a column that must be filled; return the filled mask."""
        filled = self.per_value(column, lambda u: u != "")
        self.flag(~filled, column, "cell.missing")
        return filled

    def ident(self, column: str) -> np.ndarray:
        """Flag values that are not valid ids; return the mask of valid, filled ids."""
        valid = self.per_value(column, lambda u: u.str.match(ID_RE.pattern).astype(bool))
        filled = self.per_value(column, lambda u: u != "")
        self.flag(filled & ~valid, column, "id.invalid", lambda r: {"value": repr(r[column])})
        return valid & filled

    def date(self, column: str = "date") -> pd.Series:
        """Parse an ISO date column, flagging bad and missing values."""
        filled = self.per_value(column, lambda u: u != "")
        shaped = self.per_value(column, lambda u: u.str.match(_DATE_RE).astype(bool))
        in_range = self.per_value(column, lambda u: _year_in_range(u))
        parsed = pd.Series(
            self.per_value(
                column,
                lambda u: pd.to_datetime(
                    u.where(_year_in_range(u), None), format="%Y-%m-%d", errors="coerce"
                ).to_numpy(dtype="datetime64[ns]"),
            ),
            index=self.frame.index,
        )
        self.flag(~filled, column, "date.missing")
        self.flag(filled & ~shaped, column, "date.not-iso")
        self.flag(shaped & ~in_range, column, "date.outside-years", {"first": FIRST_YEAR, "last": LAST_YEAR})
        self.flag(in_range & parsed.isna().to_numpy(), column, "date.not-real")
        return parsed

    def boolean(self, column: str) -> np.ndarray:
        """Parse a yes/no column (empty = no), flagging unknown spellings."""
        known = self.per_value(column, lambda u: u.str.lower().isin(TRUE_WORDS + FALSE_WORDS))
        self.flag(~known, column, "cell.not-yes-no")
        return self.per_value(column, lambda u: u.str.lower().isin(TRUE_WORDS))

    def count_per_file(self, mask: np.ndarray, column: str, code: str) -> None:
        """Add one warning `code` per file where `mask` holds, at its first row, with the `count` of rows."""
        bad = self.frame[np.asarray(mask, dtype=bool)]
        for path, rows in bad.groupby(FILE, sort=False):
            line = int(rows[LINE].min())
            col = self.sources[path].column_of(line, column)
            self.problems.append(Problem.warning(str(path), code, line, col, count=len(rows)))

    def number(self, column: str, empty: float = 0.0, negative_ok: bool = False) -> pd.Series:
        """Parse a plain-number column (empty = `empty`), flagging text and negative values."""
        if column not in self.frame:
            return pd.Series(empty, index=self.frame.index, dtype=float)
        filled = self.per_value(column, lambda u: u != "")
        shaped = self.per_value(column, lambda u: u.str.match(_NUMBER_RE).astype(bool))
        self.flag(filled & ~shaped, column, "cell.not-number")
        parsed = pd.Series(
            self.per_value(
                column,
                lambda u: pd.to_numeric(
                    u.where(u.str.match(_NUMBER_RE).astype(bool), None), errors="coerce"
                ).astype(float),
            ),
            index=self.frame.index,
        )
        finite = np.isfinite(parsed.fillna(0))
        self.flag(shaped & ~finite, column, "cell.too-large")
        parsed = parsed.where(finite)
        if not negative_ok:
            self.flag(parsed < 0, column, "cell.negative")
        return parsed.fillna(empty).astype(float)

    def choice(self, column: str, choices: tuple[str, ...], code: str, labels: str = "") -> None:
        """Flag filled values that are not one of `choices` (`labels`: the key prefix of their labels)."""
        bad = self.per_value(column, lambda u: (u != "") & ~u.isin(choices))
        self.flag(bad, column, code, {"choices": Choices(choices, labels)})

    def known(self, column: str, valid: np.ndarray, ids: pd.Index | set, code: str) -> np.ndarray:
        """Flag valid ids that are not defined; return the mask of defined ones."""
        defined = self.per_value(column, lambda u: u.isin(ids))
        self.flag(valid & ~defined, column, code)
        return valid & defined

    def active(self, column: str, defined: np.ndarray, dates: pd.Series, people: pd.DataFrame) -> None:
        """Flag people who are not active (before start, after end) on the row's date."""
        # Compare whole days: an open end such as 9999-12-31 does not fit in nanoseconds.
        start = self.per_value(column, lambda u: people["start"].reindex(u).to_numpy().astype("M8[D]"))
        end = self.per_value(column, lambda u: people["end"].reindex(u).to_numpy().astype("M8[D]"))
        day = dates.to_numpy().astype("M8[D]")
        before = defined & (day < start)
        after = defined & (day > end)
        self.flag(
            before,
            column,
            "person.not-started",
            lambda r: {"date": r["date"], "start": str(people.at[r[column], "start"].date())},
        )
        self.flag(
            after,
            column,
            "person.left",
            lambda r: {"date": r["date"], "end": str(people.at[r[column], "end"].date())},
        )

    def sales_role(self, column: str, defined: np.ndarray, people: pd.DataFrame, what: str) -> None:
        """Flag people named where only sales people may be (reps of `what`: outlets, calls, sales)."""
        roles = self.per_value(column, lambda u: people["role"].reindex(u).to_numpy())
        self.flag(
            defined & (roles != "sales"),
            column,
            "person.not-sales",
            {"rows": Term(f"problem.word.{what}", what)},
        )

    def duplicates(self, keys: list[str], what: str) -> None:
        """Flag rows repeating the key of an earlier row (`what`: outlet, call or prospect-event)."""
        """Flag rows repeating the key of an earlier row."""
        key = np.zeros(len(self.frame), dtype=np.int64)
        for column in keys:  # one integer per row from the columns' value codes: fast to compare
            codes = self.per_value(column, lambda u: np.arange(len(u)))
            key = key * (int(codes.max()) + 1 if len(codes) else 1) + codes
        dup = pd.Series(pd.Series(key).duplicated(keep="first").to_numpy(), index=self.frame.index)
        if not dup.any():
            return
        first = self.frame[~dup].set_index(keys)[[FILE, LINE]]
        earlier = (
            first.reindex(pd.MultiIndex.from_frame(self.frame.loc[dup, keys]))
            if len(keys) > 1
            else first.reindex(self.frame.loc[dup, keys[0]])
        )
        where = dict(zip(self.frame.index[dup], zip(earlier[FILE], earlier[LINE], strict=True), strict=True))
        self.flag(
            dup,
            None,
            "rows.duplicate",
            lambda r: {
                "row": Term(f"problem.word.{what}", what),
                "keys": ", ".join(keys),
                "first": _place(where[r.name], r[FILE]),
            },
        )


def _year_in_range(values: pd.Series) -> np.ndarray:
    """Tell which texts are ISO-shaped dates whose year lies in FIRST_YEAR..LAST_YEAR."""
    shaped = values.str.match(_DATE_RE).astype(bool)
    years = pd.to_numeric(values.str[:4].where(shaped), errors="coerce")
    return (shaped & years.between(FIRST_YEAR, LAST_YEAR)).to_numpy(dtype=bool)


def _place(where: tuple[str, int], path: str) -> Place:
    # Another file is named from the data directory down, e.g. weeks/2026-W47/calls.csv:2.
    return Place(int(where[1]), "" if where[0] == path else "/".join(Path(where[0]).parts[-3:]))


def check_outlets(
    frame: pd.DataFrame, sources: dict[str, CsvSource], people: pd.DataFrame | None, problems: list[Problem]
) -> pd.DataFrame:
    """Validate outlets.csv and return it typed."""
    t = TableCheck(frame, sources, problems)
    t.required("outlet_id")
    t.ident("outlet_id")
    t.duplicates(["outlet_id"], "outlet")
    t.required("name")
    t.required("type")
    t.choice("type", OUTLET_TYPES, "outlets.unknown-type", "outlet_type.")
    t.required("rep_id")
    if people is None:  # team.yaml has errors of its own
        t.ident("rep_id")
    else:
        rep = t.known("rep_id", t.ident("rep_id"), people.index, "person.unknown")
        t.sales_role("rep_id", rep, people, "outlets")
    visits = t.number("visits_per_week", empty=1.0)
    t.flag(
        visits == 0,
        "visits_per_week",
        "outlets.no-visits",
    )
    out = frame[[c for c in ("outlet_id", "name", "type", "area", "rep_id") if c in frame]].copy()
    out["visits_per_week"] = visits
    for column, limit in (("lat", 90), ("lon", 180)):
        value = t.number(column, empty=np.nan, negative_ok=True)
        t.flag(value.abs() > limit, column, "outlets.out-of-range", {"limit": limit})
        out[column] = value
    out[FILE], out[LINE] = frame[FILE], frame[LINE]
    return out


def check_calls(t: TableCheck, ctx: WeekContext) -> pd.DataFrame:
    """Validate calls.csv rows of every week and return them typed."""
    f = t.frame
    dates = ctx.dates(t)
    ctx.person(t, "rep_id", dates, role_what="calls")
    t.required("outlet_id")
    ctx.outlet(t, "outlet_id")
    planned, visited = t.boolean("planned"), t.boolean("visited")
    value, units = t.number("order_value"), t.number("units")
    t.flag(
        ~planned & ~visited,
        "planned",
        "calls.neither-planned-nor-visited",
    )
    t.flag(
        ~visited & ((value > 0) | (units > 0)),
        "visited",
        "calls.order-without-visit",
    )
    t.duplicates(["date", "rep_id", "outlet_id"], "call")
    reported = t.per_value("visited", lambda u: u.str.strip() != "")
    t.count_per_file(planned & ~reported, "visited", "calls.no-outcome-yet")
    out = _typed(f, dates, ("rep_id", "outlet_id", "no_order_reason", "notes"))
    out["planned"], out["visited"], out["order_value"], out["units"] = planned, visited, value, units
    out["reported"] = reported  # a blank visited is "not reported yet"
    return out


def check_sales(t: TableCheck, ctx: WeekContext) -> pd.DataFrame:
    """Validate sales.csv rows of every week and return them typed."""
    dates = ctx.dates(t)
    ctx.person(t, "rep_id", dates, role_what="sales")
    t.required("outlet_id")
    ctx.outlet(t, "outlet_id")
    out = _typed(t.frame, dates, ("rep_id", "outlet_id", "channel", "notes"))
    out["order_value"], out["units"] = t.number("order_value"), t.number("units")
    return out


def check_activities(
    t: TableCheck, ctx: WeekContext, prospect_ids: set[str], activity_types: tuple[str, ...]
) -> pd.DataFrame:
    """Validate activities.csv rows of every week and return them typed."""
    dates = ctx.dates(t)
    ctx.person(t, "person_id", dates)
    t.required("type")
    t.choice(
        "type",
        activity_types,
        "activities.unknown-type",
        "chart.activity.",
    )
    planned, done = t.boolean("planned"), t.boolean("done")
    t.flag(
        ~planned & ~done,
        "planned",
        "activities.neither-planned-nor-done",
    )
    ctx.outlet(t, "outlet_id")
    if "prospect_id" in t.frame:
        t.known(
            "prospect_id",
            t.ident("prospect_id"),
            prospect_ids,
            "prospects.unknown",
        )
    reported = t.per_value("done", lambda u: u.str.strip() != "")
    t.count_per_file(planned & ~reported, "done", "activities.no-outcome-yet")
    out = _typed(t.frame, dates, ("person_id", "type", "outlet_id", "prospect_id", "outcome", "notes"))
    out["planned"], out["done"] = planned, done
    out["reported"] = reported  # a blank done is "not reported yet"
    return out


def check_prospects(t: TableCheck, ctx: WeekContext) -> pd.DataFrame:
    """Validate prospects.csv events of every week and return them typed."""
    f = t.frame
    dates = ctx.dates(t)
    t.required("prospect_id")
    t.ident("prospect_id")
    t.required("stage")
    t.choice("stage", STAGES, "prospects.unknown-stage", "stage.")
    owner_given = f["owner_id"] != ""
    ctx.person(t, "owner_id", dates, required=False)
    order = pd.DataFrame({"pid": f["prospect_id"], "date": dates, "file": f[FILE], "line": f[LINE]})
    first = ~order.sort_values(["pid", "date", "file", "line"]).duplicated("pid").sort_index()
    first &= f["prospect_id"] != ""
    t.flag(
        first & (f["name"] == ""),
        "name",
        "prospects.first-without-name",
        lambda r: {"prospect": r["prospect_id"]},
    )
    t.flag(
        first & ~owner_given,
        "owner_id",
        "prospects.first-without-owner",
        lambda r: {"prospect": r["prospect_id"]},
    )
    t.duplicates(["date", "prospect_id", "stage"], "prospect-event")
    ctx.outlet(t, "outlet_id")
    out = _typed(f, dates, ("prospect_id", "name", "owner_id", "source", "stage", "outlet_id", "notes"))
    out["expected_value"] = t.number("expected_value", empty=np.nan)
    return out


def _typed(frame: pd.DataFrame, dates: pd.Series, text_columns: tuple[str, ...]) -> pd.DataFrame:
    out = pd.DataFrame({"date": dates, "week": frame["_week"]})
    for column in text_columns:
        out[column] = frame.get(column, "")
    out[FILE], out[LINE] = frame[FILE], frame[LINE]
    return out


@dataclass
class WeekContext:
    """What week-file checks need to know: people, outlets, and each file's ISO week."""

    people: pd.DataFrame
    outlet_ids: pd.Index
    people_known: bool = True  # False when team.yaml had errors: skip checks that rely on it
    outlets_known: bool = True

    def dates(self, t: TableCheck) -> pd.Series:
        """Parse dates and flag those outside the row's week folder."""
        dates = t.date("date")
        start, end = t.frame["_wstart"], t.frame["_wend"]
        outside = dates.notna() & ((dates < start) | (dates > end))
        t.flag(
            outside,
            "date",
            "date.outside-week",
            lambda r: {
                "week": r["_week"],
                "start": str(r["_wstart"].date()),
                "end": str(r["_wend"].date()),
                "belongs": week_code(dt.date.fromisoformat(r["date"])),
            },
        )
        return dates

    def person(
        self, t: TableCheck, column: str, dates: pd.Series, role_what: str = "", required: bool = True
    ) -> pd.Series:
        """Check a person column: filled, valid, defined, active on the date and of the right role."""
        if required:
            t.required(column)
        if not self.people_known:
            t.ident(column)
            return np.zeros(len(t.frame), dtype=bool)
        defined = t.known(column, t.ident(column), self.people.index, "person.unknown")
        t.active(column, defined & dates.notna().to_numpy(), dates, self.people)
        if role_what:
            t.sales_role(column, defined, self.people, role_what)
        return defined

    def outlet(self, t: TableCheck, column: str) -> None:
        """Check an outlet column: when filled, a valid id listed in outlets.csv."""
        if column in t.frame and not self.outlets_known:
            t.ident(column)
        elif column in t.frame:
            t.known(column, t.ident(column), self.outlet_ids, "outlets.unknown")
