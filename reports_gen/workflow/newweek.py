"""`new-week`: start a week folder with calls.csv pre-filled from the journey plan.

The plan puts every outlet of every sales rep working that week on the rep's working days,
as often as its `visits_per_week` says, spaced apart and with the rep's load spread evenly
over the days. The same input always gives the same file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import math
import zlib
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pandas as pd

from reports_gen.dataset.dataset import missing_data_dir, read_settings
from reports_gen.dataset.model import Config, Organisation, Person
from reports_gen.dataset.schema import WEEK_FILES
from reports_gen.errors import DataError, Problem
from reports_gen.i18n import Translator
from reports_gen.workcalendar import Period, parse_week

# Column order of SPEC section 2, which is also the order people see in a spreadsheet.
HEADERS = {spec.name: spec.columns for spec in WEEK_FILES}
# Two visits of one outlet in a week are never on consecutive days when the week allows it.
MIN_GAP_DAYS = 2


@dataclass(frozen=True)
class PlannedVisit:
    """One row of the journey plan."""

    date: dt.date
    rep_id: str
    outlet_id: str


@dataclass(frozen=True)
class JourneyPlan:
    """The planned visits of a week, the reps who work in it, and outlets whose rep does not."""

    week: str
    visits: tuple[PlannedVisit, ...]
    reps: tuple[str, ...]
    idle_outlets: tuple[str, ...]


@dataclass(frozen=True)
class NewWeek:
    """What `create_week` did: the files it created and the existing ones it left alone."""

    week: str
    folder: Path
    created: tuple[Path, ...]
    skipped: tuple[Path, ...]
    plan: JourneyPlan | None  # None when calls.csv already existed


def create_week(data_dir: Path, week: str) -> NewWeek:
    """Create `weeks/WEEK/` with a pre-filled calls.csv and header-only files; never overwrite.

    Raises ValueError for an invalid week code and DataError when config.yaml, team.yaml or
    outlets.csv have errors (then nothing is written).
    """
    period = parse_week(week)
    folder = data_dir / "weeks" / period.code
    missing = [name for name in HEADERS if not (folder / name).exists()]
    plan = None
    yes = "yes"
    if "calls.csv" in missing:
        config, org, outlets = read_plan_inputs(data_dir)
        plan = plan_week(period, config, org, outlets)
        yes = Translator(config.language)("data.yes")  # the team's own word: ya in Indonesian
    created = []
    for name in missing:
        rows = _call_rows(plan, yes) if name == "calls.csv" and plan else []
        if _write_new(folder / name, HEADERS[name], rows):
            created.append(folder / name)
    skipped = tuple(folder / name for name in HEADERS if folder / name not in created)
    return NewWeek(period.code, folder, tuple(created), skipped, plan)


def read_plan_inputs(data_dir: Path) -> tuple[Config, Organisation, pd.DataFrame]:
    """Read config.yaml, team.yaml and outlets.csv, raising DataError if any has errors."""
    if not data_dir.is_dir():
        raise DataError([missing_data_dir(data_dir)])
    problems: list[Problem] = []
    settings = read_settings(data_dir, problems)
    if any(p.level == "error" for p in problems):
        raise DataError(problems)
    return settings.config, settings.org, settings.outlets


def plan_week(week: Period, config: Config, org: Organisation, outlets: pd.DataFrame) -> JourneyPlan:
    """Spread every outlet of every rep working in `week` over the rep's working days."""
    company_days = [d.date() for d in config.calendar.working_days(week.start, week.end)]
    visits: list[PlannedVisit] = []
    reps: list[str] = []
    idle: list[str] = []
    for person in org.people:
        mine = outlets[outlets["rep_id"] == person.id]
        days = rep_days(person, company_days)
        if not days:
            idle.extend(mine["outlet_id"])
            continue
        if person.role == "sales":
            reps.append(person.id)
        # Most frequent first (they have the fewest good choices), then in file order. Ordering
        # by rate, not by this week's count, keeps weekly outlets on the same days whether or
        # not the fortnightly ones are due.
        ranked = mine.assign(_pos=range(len(mine))).sort_values(
            ["visits_per_week", "_pos"], ascending=[False, True]
        )
        counts = [
            (outlet_id, min(visits_in_week(rate, outlet_id, week.start), len(days)))
            for outlet_id, rate in zip(ranked["outlet_id"], ranked["visits_per_week"], strict=True)
        ]
        position = {outlet_id: i for i, outlet_id in enumerate(mine["outlet_id"])}
        placed = sorted(spread_visits(days, counts), key=lambda p: (p[0], position[p[1]]))
        visits.extend(PlannedVisit(day, person.id, outlet_id) for day, outlet_id in placed)
    return JourneyPlan(week.code, tuple(visits), tuple(reps), tuple(idle))


def rep_days(person: Person, company_days: list[dt.date]) -> list[dt.date]:
    """Return the company working days on which the person works (bounded by start/end)."""
    return [day for day in company_days if person.active_on(day)]


def visits_in_week(visits_per_week: float, outlet_id: str, monday: dt.date) -> int:
    """Return how many visits an outlet is due in the week starting `monday`.

    Whole rates give that many visits every week. A fraction is paid out over the weeks so
    that the visits average the rate: 0.5 visits in every second week, 1.5 alternates 1 and 2.
    Weeks are counted continuously (ISO years with a week 53 do not break the rhythm), and
    each outlet gets a fixed phase from its id, so fortnightly outlets are split between
    the even and odd weeks and each stays in its own.
    """
    rate = Fraction(str(visits_per_week))
    week_index = (monday.toordinal() - 1) // 7  # day 1 of the proleptic calendar is a Monday
    phase = Fraction(zlib.crc32(outlet_id.encode("utf-8")), 2**32)
    return math.floor((week_index + 1) * rate + phase) - math.floor(week_index * rate + phase)


def spread_visits(days: list[dt.date], counts: list[tuple[str, int]]) -> list[tuple[dt.date, str]]:
    """Assign each outlet its number of visits on distinct days, spaced apart, levelling the load.

    Outlets are placed one by one in the order given. For each, among the sets of days whose
    visits are at least MIN_GAP_DAYS apart (or as far apart as the week allows), take the one
    whose busiest day stays lightest, then the least loaded, the widest spaced, the earliest.
    Returns (day, outlet_id) pairs in the order they were placed.
    """
    load = [0] * len(days)
    placed: list[tuple[dt.date, str]] = []
    for outlet_id, count in counts:
        if count <= 0:
            continue
        combos = list(itertools.combinations(range(len(days)), count))
        gaps = {combo: _min_gap([days[i] for i in combo]) for combo in combos}
        needed = min(MIN_GAP_DAYS, max(gaps.values()))
        best = min(
            (c for c in combos if gaps[c] >= needed),
            key=lambda c: (max(load[i] for i in c) + 1, sum(load[i] for i in c), -gaps[c], c),
        )
        for i in best:
            load[i] += 1
            placed.append((days[i], outlet_id))
    return placed


def _min_gap(chosen: list[dt.date]) -> int:
    """Return the fewest calendar days between consecutive visits, into the next week too."""
    if len(chosen) == 1:
        return 7
    gaps = [(b - a).days for a, b in itertools.pairwise(chosen)]
    gaps.append((chosen[0] - chosen[-1]).days + 7)
    return min(gaps)


def _call_rows(plan: JourneyPlan, yes: str) -> list[tuple[str, ...]]:
    return [(v.date.isoformat(), v.rep_id, v.outlet_id, yes, "", "", "", "", "") for v in plan.visits]


def _write_new(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> bool:
    """Write a CSV file unless one exists (checked atomically); tell whether it was written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())
    except FileExistsError:
        return False
    return True
