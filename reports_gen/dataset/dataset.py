"""Load a data directory: read every file, validate it, and return one typed Dataset."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from reports_gen.dataset.csvfile import CsvSource, CsvTable
from reports_gen.dataset.filecache import ReadCache, read_csv_kind, read_targets_kind
from reports_gen.dataset.model import Config, Organisation, TargetSpec
from reports_gen.dataset.schema import (
    ACTIVITIES,
    CALLS,
    OUTLETS,
    PROSPECTS,
    SALES,
    WEEK_FILES,
    FileSpec,
)
from reports_gen.dataset.settings import (
    read_config,
    read_organisation,
)
from reports_gen.dataset.validate import (
    TableCheck,
    WeekContext,
    check_activities,
    check_calls,
    check_outlets,
    check_prospects,
    check_sales,
)
from reports_gen.errors import DataError, Level, MessageError, Problem
from reports_gen.workcalendar import WEEK_RE, parse_week, person_days, week_codes


@dataclass(frozen=True)
class Dataset:
    """Everything in a valid data directory, typed.

    Week tables have a `date` (datetime64), `week` (ISO week code), their SPEC columns
    (booleans as bool, numbers as float, empty text as ""), and `_file`/`_line`.
    """

    root: Path
    config: Config
    org: Organisation
    outlets: pd.DataFrame
    targets: tuple[TargetSpec, ...]
    weeks: tuple[str, ...]
    calls: pd.DataFrame
    sales: pd.DataFrame
    activities: pd.DataFrame
    prospects: pd.DataFrame

    @property
    def first_day(self) -> pd.Timestamp:
        """Return the Monday of the first week folder."""
        return pd.Timestamp(parse_week(self.weeks[0]).start)

    @property
    def last_day(self) -> pd.Timestamp:
        """Return the Sunday of the latest week folder."""
        return pd.Timestamp(parse_week(self.weeks[-1]).end)


@dataclass
class CheckResult:
    """The outcome of reading a data directory: the dataset when it is valid, and every problem."""

    dataset: Dataset | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Return the problems of level error."""
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Return the problems of level warning."""
        return [p for p in self.problems if p.level == "warning"]


def missing_data_dir(root: Path) -> Problem:
    """Return the problem of a data directory that does not exist."""
    return Problem.error(
        str(root),
        "data.not-found",
    )


@dataclass
class Settings:
    """config.yaml, team.yaml and outlets.csv as read, with what could be relied on."""

    config: Config
    org: Organisation
    outlets: pd.DataFrame
    sources: dict[str, CsvSource]
    people_known: bool  # False when team.yaml had errors: checks relying on it are skipped

    @property
    def outlets_known(self) -> bool:
        """Tell whether outlets.csv could be read."""
        return any(Path(path).name == "outlets.csv" for path in self.sources)


def read_settings(root: Path, problems: list[Problem], cache: ReadCache | None = None) -> Settings:
    """Read and check config.yaml, team.yaml and outlets.csv (through `cache`), adding every problem found."""
    config = read_config(root / "config.yaml", problems)
    before = len(problems)
    org = read_organisation(root / "team.yaml", problems)
    people_known = len(problems) == before  # else every reference to a person would cascade
    sources: dict[str, CsvSource] = {}
    outlets = _read_outlets(root, org.frame() if people_known else None, sources, problems, cache)
    return Settings(config, org, outlets, sources, people_known)


def check_data(root: Path, cache: ReadCache | None = None) -> CheckResult:
    """Read and validate every file under `root`; never raises for bad data.

    With a `cache`, a file read before is not read again (what reading it gave is kept), and
    the entries this read did not use are deleted; every check across rows and files runs.
    """
    problems: list[Problem] = []
    if not root.is_dir():
        return CheckResult(None, [missing_data_dir(root)])
    _warn_stray_files(root, problems)
    settings = read_settings(root, problems, cache)
    config, org, outlets, sources = settings.config, settings.org, settings.outlets, settings.sources
    people_known, outlets_known = settings.people_known, settings.outlets_known
    targets = read_targets_kind(root / "targets.yaml", org, problems, people_known, cache)
    people = org.frame()
    weeks = _week_folders(root, problems)
    tables = {spec.name: _read_week_files(weeks, spec, sources, problems, cache) for spec in WEEK_FILES}
    context = WeekContext(people, pd.Index(outlets["outlet_id"]), people_known, outlets_known)
    checks = {name: TableCheck(t.frame, sources, problems, t.factors) for name, t in tables.items()}
    prospects = check_prospects(checks[PROSPECTS.name], context)
    calls = check_calls(checks[CALLS.name], context)
    sales = check_sales(checks[SALES.name], context)
    activities = check_activities(
        checks[ACTIVITIES.name], context, set(prospects["prospect_id"]), config.activity_types
    )
    _check_growth_bases(root, targets, weeks, problems)
    unread = {
        str(folder)
        for folder in weeks.values()
        for spec in WEEK_FILES
        if (folder / spec.name).exists() and str(folder / spec.name) not in sources
    }
    _warn_silent_people(org, config, weeks, [calls, sales, activities], prospects, unread, problems)
    if cache is not None:
        cache.finish()
    problems = cap_per_file(problems)
    if any(p.level == "error" for p in problems):
        return CheckResult(None, problems)
    dataset = Dataset(
        root, config, org, outlets, tuple(targets), tuple(weeks), calls, sales, activities, prospects
    )
    return CheckResult(dataset, problems)


MAX_PER_FILE = 200  # each rule is capped per file already; this bounds a file that breaks them all
MAX_PROBLEMS = 1000  # and this a folder of thousands of stray files: nobody reads further


def cap_per_file(problems: list[Problem]) -> list[Problem]:
    """Keep the first MAX_PER_FILE problems of each file, and MAX_PROBLEMS in all; count the rest."""
    kept: list[Problem] = []
    seen: Counter[str] = Counter()
    dropped: dict[str, list[Problem]] = {}
    for problem in problems:
        seen[problem.path] += 1
        if seen[problem.path] <= MAX_PER_FILE:
            kept.append(problem)
        else:
            dropped.setdefault(problem.path, []).append(problem)
    for path, rest in dropped.items():
        first = rest[0]
        kept.append(
            Problem.make(_worst(rest), path, "problems.more-in-file", first.line, first.col, count=len(rest))
        )
    if len(kept) > MAX_PROBLEMS:
        rest = kept[MAX_PROBLEMS:]
        more = Problem.make(_worst(rest), rest[0].path, "problems.more-in-other-files", count=len(rest))
        kept = [*kept[:MAX_PROBLEMS], more]
    return kept


def _worst(problems: list[Problem]) -> Level:
    return "error" if any(p.level == "error" for p in problems) else "warning"


def load_dataset(root: Path, strict: bool = False, cache: ReadCache | None = None) -> CheckResult:
    """Return the valid dataset of `root` (files read through `cache` when given), or raise DataError."""
    result = check_data(root, cache)
    if result.dataset is None or (strict and result.warnings):
        raise DataError(result.problems)
    return result


KNOWN_FILES = ("config.yaml", "team.yaml", "outlets.csv", "targets.yaml", "weeks")


def _warn_stray_files(root: Path, problems: list[Problem]) -> None:
    """Warn about files the tool does not read: usually a misspelt name, such as outlet.csv."""
    for entry in sorted(root.iterdir()):
        if (
            entry.name not in KNOWN_FILES
            and not entry.name.startswith(".")
            and not entry.name.lower().startswith("readme")
        ):
            problems.append(
                Problem.warning(
                    str(entry),
                    "data.stray-file",
                    name=entry.name,
                    files=", ".join(KNOWN_FILES),
                )
            )


def _read_outlets(
    root: Path,
    people: pd.DataFrame,
    sources: dict[str, CsvSource],
    problems: list[Problem],
    cache: ReadCache | None = None,
) -> pd.DataFrame:
    path = root / "outlets.csv"
    if not path.exists():
        problems.append(
            Problem.error(
                str(path),
                "outlets.missing",
            )
        )
        read = None
    else:
        table = read_csv_kind([path], OUTLETS.required, OUTLETS.optional, problems, cache=cache)
        read = (table.frame, table.sources[0]) if table.sources else None
    if read is None:
        empty = pd.DataFrame({c: pd.Series([], dtype=str) for c in OUTLETS.required})
        empty["visits_per_week"] = pd.Series([], dtype=float)
        return empty
    frame, source = read
    sources[source.path] = source
    return check_outlets(frame, sources, people, problems)


def _week_folders(root: Path, problems: list[Problem]) -> dict[str, Path]:
    base = root / "weeks"
    if not base.is_dir():
        problems.append(
            Problem.warning(
                str(base),
                "data.no-weeks",
            )
        )
        return {}
    weeks: dict[str, Path] = {}
    for entry in sorted(base.iterdir()):
        if entry.name.startswith("."):
            if entry.is_dir():  # a hidden week would silently drop out of every figure
                problems.append(Problem.warning(str(entry), "week.hidden-folder", name=entry.name))
            continue
        if not entry.is_dir():
            problems.append(
                Problem.error(
                    str(entry),
                    "week.stray-file",
                )
            )
            continue
        if not WEEK_RE.match(entry.name):
            problems.append(
                Problem.error(
                    str(entry),
                    "week.bad-name",
                    name=entry.name,
                )
            )
            continue
        try:
            parse_week(entry.name)
        except MessageError as exc:
            problems.append(Problem.error(str(entry), exc.code, **exc.params))
            continue
        weeks[entry.name] = entry
        known = {spec.name for spec in WEEK_FILES}
        for item in sorted(entry.iterdir()):
            if item.name not in known and not item.name.startswith("."):
                problems.append(
                    Problem.error(
                        str(item),
                        "week.unexpected-file",
                        name=item.name,
                        files=", ".join(sorted(known)),
                    )
                )
        if not (entry / CALLS.name).exists():
            problems.append(
                Problem.error(
                    str(entry / CALLS.name),
                    "week.calls-missing",
                )
            )
    return weeks


def _read_week_files(
    weeks: dict[str, Path],
    spec: FileSpec,
    sources: dict[str, CsvSource],
    problems: list[Problem],
    cache: ReadCache | None = None,
) -> CsvTable:
    """Read every week's file of a kind into one table, with each row's `_week`, `_wstart` and `_wend`."""
    paths = {str(folder / spec.name): code for code, folder in weeks.items() if (folder / spec.name).exists()}
    every = (*spec.required, *spec.optional)
    table = read_csv_kind([Path(p) for p in paths], spec.required, spec.optional, problems, every, cache)
    codes = [paths[source.path] for source in table.sources]
    for source in table.sources:
        sources[source.path] = source
    periods = [parse_week(code) for code in codes]
    frame, index = table.frame, table.file_index
    frame["_week"] = pd.array(np.array(codes, dtype=object), dtype="str").take(index)
    frame["_wstart"] = np.array([p.start for p in periods], dtype="datetime64[ns]")[index]
    frame["_wend"] = np.array([p.end for p in periods], dtype="datetime64[ns]")[index]
    return table


def _check_growth_bases(
    root: Path, targets: list[TargetSpec], weeks: dict[str, Path], problems: list[Problem]
) -> None:
    """A growth target needs data in its basis period: none is an error, a part a warning."""
    spans = [parse_week(code) for code in weeks]
    path = str(root / "targets.yaml")
    days: dict[tuple[object, object], int] = {}  # growth targets share a few basis periods
    for target in targets:
        basis = target.basis_period
        if basis is None:
            continue
        if (basis.start, basis.end) not in days:
            days[basis.start, basis.end] = len(
                {d for w in spans for d in pd.date_range(max(w.start, basis.start), min(w.end, basis.end))}
            )
        covered = days[basis.start, basis.end]
        if not covered:
            problems.append(
                Problem.error(
                    path,
                    "targets.basis-without-data",
                    target.line,
                    None,
                    period=target.period.code,
                    basis=basis.code,
                )
            )
        elif covered < basis.days:
            problems.append(
                Problem.warning(
                    path,
                    "targets.basis-partly-covered",
                    target.line,
                    None,
                    period=target.period.code,
                    basis=basis.code,
                    covered=covered,
                    days=basis.days,
                )
            )


def _warn_silent_people(
    org: Organisation,
    config: Config,
    weeks: dict[str, Path],
    tables: list[pd.DataFrame],
    prospects: pd.DataFrame,
    unread: set[str],
    problems: list[Problem],
) -> None:
    """Warn about people with working days in a week but no row of any kind in it."""
    if not weeks or not org.people:
        return
    logged = pd.concat(
        [
            _week_people(t["week"], t[c])
            for t, c in zip([*tables, prospects], ["rep_id", "rep_id", "person_id", "owner_id"], strict=True)
        ]
    ).drop_duplicates()
    spans = [parse_week(code) for code in weeks]
    grid = person_days(
        org.frame(), config.calendar, pd.Timestamp(spans[0].start), pd.Timestamp(spans[-1].end)
    )
    grid["week"] = week_codes(grid["date"])
    expected = grid[grid["working"] & grid["week"].isin(weeks)][["week", "person_id"]].drop_duplicates()
    silent = expected.merge(logged, how="left", indicator=True).query("_merge == 'left_only'")
    names = {p.id: p.name for p in org.people}
    for week, person_id in zip(silent["week"], silent["person_id"], strict=True):
        folder = weeks[week]
        if str(folder) not in unread:  # a file of the week could not be read: its rows are unknown
            problems.append(
                Problem.warning(
                    str(folder),
                    "week.person-without-rows",
                    name=names[person_id],
                    person=person_id,
                    week=week,
                )
            )


def _week_people(week: pd.Series, person: pd.Series) -> pd.DataFrame:
    """Return the distinct (week, person_id) pairs of a table."""
    weeks, week_values = pd.factorize(week.to_numpy(dtype=object))
    people, person_values = pd.factorize(person.to_numpy(dtype=object))
    size = max(len(person_values), 1)
    seen = np.zeros(len(week_values) * size, dtype=bool)
    seen[weeks.astype(np.int64) * size + people] = True
    pairs = np.flatnonzero(seen)
    return pd.DataFrame({"week": week_values[pairs // size], "person_id": person_values[pairs % size]})
