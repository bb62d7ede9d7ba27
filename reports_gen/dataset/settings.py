"""config.yaml, team.yaml and targets.yaml: typed models, read and validated with positions."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any, TypeGuard

from babel.numbers import list_currencies

from reports_gen.dataset.model import (
    LANGUAGES,
    Basis,
    Config,
    Language,
    Organisation,
    Person,
    Role,
    Scope,
    Split,
    TargetSpec,
    Team,
    Thresholds,
)
from reports_gen.dataset.schema import ID_RE, ROLES, TARGET_METRICS
from reports_gen.dataset.yamlfile import YamlDoc, YamlPath, read_yaml
from reports_gen.errors import MessageError, Place, Problem
from reports_gen.workcalendar import (
    FIRST_YEAR,
    LAST_YEAR,
    WEEKDAYS,
    WorkCalendar,
    parse_period,
    supported_countries,
)

_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_GROWTH_RE = re.compile(r"^\s*([+-]?[0-9]+(?:\.[0-9]+)?)\s*%\s*$")
_ISO_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


# -- config.yaml -------------------------------------------------------------------------------

_CONFIG_KEYS = {
    "company",
    "language",
    "currency",
    "working_days",
    "holidays",
    "thresholds",
    "activity_types",
}


def read_config(path: Path, problems: list[Problem]) -> Config:
    """Read config.yaml (missing file = all defaults), adding a Problem for every bad value."""
    if not path.exists():
        return Config()
    doc = read_yaml(path, problems)
    if doc is None or doc.data is None:
        return Config()
    data = _mapping(doc, (), problems, _CONFIG_KEYS)
    if data is None:
        return Config()
    defaults = Config()
    company = _string(doc, ("company",), data.get("company"), problems) or defaults.company
    language = data.get("language", defaults.language)
    if not _is_language(language):
        problems.append(doc.problem(("language",), "config.language", value=repr(language)))
        language = defaults.language
    currency = str(data.get("currency", defaults.currency))
    if currency not in list_currencies():
        problems.append(doc.problem(("currency",), "config.currency", value=currency))
        currency = defaults.currency
    calendar = _read_calendar(doc, data, problems)
    thresholds = _read_thresholds(doc, data.get("thresholds"), problems)
    types = _read_id_list(doc, ("activity_types",), data.get("activity_types"), problems)
    return Config(
        company, language, currency, calendar, thresholds, tuple(types) if types else defaults.activity_types
    )


def read_language(root: Path) -> Language:
    """Return the language of the data's messages: config.yaml's, English when it cannot be read.

    A data directory without config.yaml speaks the default language, like its site.
    """
    path = root / "config.yaml"
    if not root.is_dir():
        return "en"
    if not path.exists():
        return Config().language
    doc = read_yaml(path, [])
    data = doc.data if doc is not None else None
    language = data.get("language", Config().language) if isinstance(data, dict) else None
    return language if _is_language(language) else "en"


def _is_language(value: object) -> TypeGuard[Language]:
    return value in LANGUAGES


def _is_role(value: object) -> TypeGuard[Role]:
    return value in ROLES


def _is_basis(value: object) -> TypeGuard[Basis]:
    return value in ("previous", "last_year")


def _is_split(value: object) -> TypeGuard[Split]:
    return value in ("working_days", "calendar_days")


def _read_calendar(doc: YamlDoc, data: dict, problems: list[Problem]) -> WorkCalendar:
    weekdays: set[int] = set(range(5))
    days = data.get("working_days")
    if days is not None:
        if not isinstance(days, list) or not days:
            problems.append(
                doc.problem(
                    ("working_days",),
                    "config.working-days",
                )
            )
        else:
            weekdays = set()
            for i, day in enumerate(days):
                text = str(day).strip().lower()
                name = text[:3]
                if name not in WEEKDAYS or text not in (name, _FULL_DAYS[WEEKDAYS.index(name)]):
                    problems.append(
                        doc.problem(
                            ("working_days", i),
                            "config.weekday",
                            value=repr(day),
                        )
                    )
                else:
                    weekdays.add(WEEKDAYS.index(name))
            weekdays = weekdays or set(range(5))
    hol = data.get("holidays") or {}
    if not isinstance(hol, dict):
        problems.append(doc.problem(("holidays",), "config.holidays-mapping"))
        hol = {}
    for key in hol:
        if key not in ("country", "extra", "working"):
            problems.append(doc.key_problem(("holidays", key), "config.holidays-key", key=str(key)))
    country = hol.get("country")
    if country is False:  # YAML 1.1 reads a bare NO (Norway) as false
        country = "NO"
    if country is not None:
        country = str(country).strip().upper()
        if country not in supported_countries():
            problems.append(
                doc.problem(
                    ("holidays", "country"),
                    "config.holiday-country",
                    value=country,
                )
            )
            country = None
    extra = _read_dates(doc, ("holidays", "extra"), hol.get("extra"), problems)
    working = _read_dates(doc, ("holidays", "working"), hol.get("working"), problems)
    return WorkCalendar(frozenset(weekdays), country, frozenset(extra), frozenset(working))


# Whole-number thresholds of the home page's alert triage and their allowed ranges.
_WHOLE_NUMBERS = {"home_alerts_per_team": (0, 50), "home_min_severity": (1, 3)}


def _read_thresholds(doc: YamlDoc, data: Any, problems: list[Problem]) -> Thresholds:
    if data is None:
        return Thresholds()
    if not isinstance(data, dict):
        problems.append(doc.problem(("thresholds",), "config.thresholds-mapping"))
        return Thresholds()
    values: dict[str, float | int] = {}
    names = Thresholds.__dataclass_fields__
    for key, value in data.items():
        at = ("thresholds", key)
        if key not in names:
            problems.append(
                doc.key_problem(at, "config.threshold-unknown", key=repr(key), allowed=", ".join(names))
            )
        elif key == "stale_prospect_days":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                problems.append(doc.problem(at, "config.stale-days"))
            else:
                values[key] = value
        elif key in _WHOLE_NUMBERS:
            low, high = _WHOLE_NUMBERS[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                problems.append(doc.problem(at, f"{key} must be a whole number from {low} to {high}"))
            else:
                values[key] = value
        elif isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            problems.append(doc.problem(at, "config.threshold-range", key=str(key), value=repr(value)))
        else:
            values[key] = float(value)
    return Thresholds(**values)  # type: ignore[arg-type]


# -- team.yaml ---------------------------------------------------------------------------------


def read_organisation(path: Path, problems: list[Problem]) -> Organisation:
    """Read team.yaml, adding a Problem for every bad or inconsistent entry."""
    if not path.exists():
        problems.append(
            Problem.error(
                str(path),
                "team.missing",
            )
        )
        return Organisation()
    doc = read_yaml(path, problems)
    if doc is None:
        return Organisation()
    data = _mapping(doc, (), problems, {"teams", "people"}, empty_code="team.empty")
    if data is None:
        return Organisation()
    raw_teams, raw_people = _list(doc, "teams", data, problems), _list(doc, "people", data, problems)
    teams = [t for i, raw in enumerate(raw_teams) if (t := _read_team(doc, i, raw, problems))]
    people = [p for i, raw in enumerate(raw_people) if (p := _read_person(doc, i, raw, problems))]
    _check_unique(doc, "teams", teams, problems)
    _check_unique(doc, "people", people, problems)
    # Check references against every id written, so that an entry with an error of its own
    # (say a missing name) does not also make each reference to it "unknown".
    team_ids, person_ids = _listed_ids(doc, "teams", raw_teams), _listed_ids(doc, "people", raw_people)
    for i, raw in enumerate(raw_people):
        team = _id_text(doc, ("people", i), raw, "team")
        if team is not None and str(team) not in team_ids:
            problems.append(doc.problem(("people", i, "team"), "team.unknown-team", team=str(team)))
    for i, raw in enumerate(raw_teams):
        manager = _id_text(doc, ("teams", i), raw, "manager")
        if manager is not None and str(manager) not in person_ids:
            problems.append(
                doc.problem(
                    ("teams", i, "manager"),
                    "team.unknown-manager",
                    person=str(manager),
                )
            )
    return Organisation(tuple(teams), tuple(people))


def _listed_ids(doc: YamlDoc, key: str, entries: list) -> set[str]:
    ids = (_id_text(doc, (key, i), e, "id") for i, e in enumerate(entries))
    return {str(i) for i in ids if i is not None}  # a list or mapping as an id is reported by _ident


def _id_text(doc: YamlDoc, at: YamlPath, entry: Any, key: str) -> Any:
    """Return an id field as written (`0123` stays '0123'); None when absent or not in a mapping."""
    if not isinstance(entry, dict):
        return None
    value = entry.get(key)
    return value if isinstance(value, dict | list) else doc.text((*at, key), value)


def _read_team(doc: YamlDoc, i: int, raw: Any, problems: list[Problem]) -> Team | None:
    entry = _mapping(doc, ("teams", i), problems, {"id", "name", "manager"})
    ident = _id_text(doc, ("teams", i), entry, "id")
    if entry is None or not _ident(doc, ("teams", i, "id"), ident, problems):
        return None
    name = _string(doc, ("teams", i, "name"), entry.get("name"), problems) or ident
    manager = _id_text(doc, ("teams", i), entry, "manager")
    return Team(ident, name, manager, doc.where("teams", i)[0])


def _read_person(doc: YamlDoc, i: int, raw: Any, problems: list[Problem]) -> Person | None:
    at: YamlPath = ("people", i)
    entry = _mapping(doc, at, problems, {"id", "name", "role", "team", "start", "end"})
    ident, team = _id_text(doc, at, entry, "id"), _id_text(doc, at, entry, "team")
    if entry is None or not _ident(doc, (*at, "id"), ident, problems):
        return None
    ok = True
    name = _string(doc, (*at, "name"), entry.get("name"), problems, required=True)
    role = entry.get("role")
    if not _is_role(role):
        problems.append(doc.problem((*at, "role") if "role" in entry else at, "team.role", value=repr(role)))
        ok = False
    if team is None:
        problems.append(doc.problem(at, "team.no-team", person=str(ident)))
        ok = False
    start = _date(doc, (*at, "start"), entry.get("start"), problems)
    end = _date(doc, (*at, "end"), entry.get("end"), problems)
    if start and end and end < start:
        problems.append(doc.problem((*at, "end"), "team.end-before-start", end=str(end), start=str(start)))
    if not ok or name is None or not _is_role(role):
        return None
    return Person(str(ident), name, role, str(team), start, end, doc.where(*at)[0])


# -- targets.yaml ------------------------------------------------------------------------------

_TARGET_KEYS = {"period", "scope", "metric", "value", "growth", "basis", "split"}


def read_targets(
    path: Path,
    org: Organisation,
    problems: list[Problem],
    check_scopes: bool = True,
    raw: bytes | None = None,
) -> list[TargetSpec]:
    """Read targets.yaml (optional), checking periods, scopes, metrics and value/growth.

    `raw` is the file's bytes when the caller has read them already.
    """
    if raw is None and not path.exists():
        return []
    doc = read_yaml(path, problems, raw)
    if doc is None or doc.data is None:
        return []
    data = _mapping(doc, (), problems, {"targets"})
    if data is None:
        return []
    targets: list[TargetSpec] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for i in range(len(_list(doc, "targets", data, problems))):
        target = _read_target(doc, i, org if check_scopes else None, problems)
        if target is None:
            continue
        key = (target.period.code, target.scope, target.scope_id, target.metric)
        if key in seen:
            problems.append(
                doc.problem(
                    ("targets", i),
                    "targets.duplicate",
                    period=target.period.code,
                    scope=_scope_text(target),
                    metric=target.metric,
                    first=Place(seen[key]),
                )
            )
            continue
        seen[key] = target.line or 0
        targets.append(target)
    return targets


def _read_target(
    doc: YamlDoc, i: int, org: Organisation | None, problems: list[Problem]
) -> TargetSpec | None:
    at: YamlPath = ("targets", i)
    entry = _mapping(doc, at, problems, _TARGET_KEYS)
    if entry is None:
        return None
    before = len(problems)
    period = None
    if "period" not in entry:
        problems.append(doc.problem(at, "targets.no-period"))
    else:
        try:
            period = parse_period(str(entry["period"]))
        except MessageError as exc:
            problems.append(doc.problem((*at, "period"), "targets.invalid-period", reason=exc.message))
    scope, scope_id = _read_scope(doc, at, entry.get("scope"), org, problems)
    metric = entry.get("metric")
    if metric not in TARGET_METRICS:
        problems.append(
            doc.problem(
                (*at, "metric") if "metric" in entry else at,
                "targets.unknown-metric",
                value=repr(metric),
                metrics=", ".join(TARGET_METRICS),
            )
        )
    value, growth = _read_amount(doc, at, entry, problems)
    basis = entry.get("basis", "previous")
    if not _is_basis(basis):
        problems.append(doc.problem((*at, "basis"), "targets.basis", value=repr(basis)))
    elif "basis" in entry and growth is None and value is not None:
        problems.append(
            doc.problem(
                (*at, "basis"),
                "targets.basis-without-growth",
            )
        )
    split = entry.get("split", "working_days")
    if not _is_split(split):
        problems.append(doc.problem((*at, "split"), "targets.split", value=repr(split)))
    if len(problems) > before or period is None or not (_is_basis(basis) and _is_split(split)):
        return None
    target = TargetSpec(period, scope, scope_id, str(metric), value, growth, basis, split, doc.where(*at)[0])
    if growth is not None:
        try:
            target.basis_period  # noqa: B018 - raises for a week 53 without a predecessor
        except MessageError as exc:
            problems.append(doc.problem((*at, "basis"), exc.code, **exc.params))
            return None
    return target


def _read_scope(
    doc: YamlDoc, at: YamlPath, raw: Any, org: Organisation | None, problems: list[Problem]
) -> tuple[Scope, str]:
    text = "" if raw is None else str(raw).strip()
    if text == "company":
        return "company", ""
    kind, _, ident = text.partition(":")
    kind, ident = kind.strip(), ident.strip()
    where = (*at, "scope") if raw is not None else at
    if kind == "team" and ident:
        if org is not None and ident not in {t.id for t in org.teams}:
            problems.append(doc.problem(where, "targets.unknown-team", team=ident))
        return "team", ident
    if kind == "person" and ident:
        if org is not None and org.person(ident) is None:
            problems.append(doc.problem(where, "targets.unknown-person", person=ident))
        return "person", ident
    problems.append(
        doc.problem(where, "targets.invalid-scope", value=text)
        if text
        else doc.problem(where, "targets.no-scope")
    )
    return "company", ""


def _read_amount(
    doc: YamlDoc, at: YamlPath, entry: dict, problems: list[Problem]
) -> tuple[float | None, float | None]:
    has_value, has_growth = "value" in entry, "growth" in entry
    if has_value == has_growth:
        problems.append(doc.problem(at, "targets.value-or-growth"))
        return None, None
    if has_value:
        value = entry["value"]
        number = _finite(value)
        if number is None:
            problems.append(
                doc.problem(
                    (*at, "value"),
                    "targets.value-not-number",
                    value=repr(value),
                )
            )
            return None, None
        if number < 0:
            problems.append(doc.problem((*at, "value"), "targets.value-negative", value=str(value)))
            return None, None
        return number, None
    match = _GROWTH_RE.match(str(entry["growth"]))
    if not match or isinstance(entry["growth"], bool):
        problems.append(
            doc.problem(
                (*at, "growth"),
                "targets.growth-not-percent",
                value=repr(entry["growth"]),
            )
        )
        return None, None
    growth = float(match[1]) / 100
    if growth <= -1:
        problems.append(doc.problem((*at, "growth"), "targets.growth-too-low"))
        return None, None
    return None, growth


def _finite(value: Any) -> float | None:
    """Return a YAML number as a finite float, or None for text, booleans, .nan, .inf and huge ints."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _scope_text(t: TargetSpec) -> str:
    return "company" if t.scope == "company" else f"{t.scope}:{t.scope_id}"


# -- shared helpers ----------------------------------------------------------------------------


def _mapping(
    doc: YamlDoc, at: YamlPath, problems: list[Problem], allowed: set[str], empty_code: str = ""
) -> dict | None:
    node = doc.data
    for key in at:
        node = node[key]
    if node is None and empty_code:
        problems.append(doc.problem(at, empty_code))
        return None
    if not isinstance(node, dict):
        if at:
            problems.append(doc.problem(at, "yaml.entry-not-mapping", entry=".".join(str(k) for k in at)))
        else:
            problems.append(doc.problem(at, "yaml.file-not-mapping"))
        return None
    for key in node:
        if key not in allowed:
            problems.append(
                doc.key_problem(
                    (*at, key), "yaml.unknown-key", key=repr(key), allowed=", ".join(sorted(allowed))
                )
            )
    return node


def _list(doc: YamlDoc, key: str, data: dict, problems: list[Problem]) -> list:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(doc.problem((key,), "yaml.not-list", key=key))
        return []
    return value


def _ident(doc: YamlDoc, at: YamlPath, value: Any, problems: list[Problem]) -> bool:
    if value is None:
        problems.append(doc.problem(at, "id.missing"))
        return False
    if not isinstance(value, str | int) or isinstance(value, bool) or not ID_RE.match(str(value)):
        problems.append(doc.problem(at, "id.invalid", value=repr(value)))
        return False
    return True


def _string(
    doc: YamlDoc, at: YamlPath, value: Any, problems: list[Problem], required: bool = False
) -> str | None:
    if value is None:
        if required:
            problems.append(doc.problem(at, "yaml.missing", key=str(at[-1])))
        return None
    if isinstance(value, dict | list):
        problems.append(doc.problem(at, "yaml.not-text", key=str(at[-1])))
        return None
    text = str(value).strip()
    if required and not text:
        problems.append(doc.problem(at, "yaml.missing", key=str(at[-1])))
    return text or None


def _date(doc: YamlDoc, at: YamlPath, value: Any, problems: list[Problem]) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        if isinstance(value, str) and _ISO_DATE_RE.match(value.strip()):
            problems.append(doc.problem(at, "date.not-real", value=value.strip()))
        else:
            problems.append(doc.problem(at, "yaml.invalid-date", value=repr(value)))
        return None


def _read_dates(doc: YamlDoc, at: YamlPath, value: Any, problems: list[Problem]) -> list[dt.date]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(doc.problem(at, "yaml.not-date-list", key=str(at[-1])))
        return []
    dates = []
    for i, raw in enumerate(value):
        day = _date(doc, (*at, i), raw, problems)
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            problems.append(
                doc.problem(
                    (*at, i), "yaml.date-outside-years", value=str(day), first=FIRST_YEAR, last=LAST_YEAR
                )
            )
        elif day is not None:
            dates.append(day)
    return dates


def _read_id_list(doc: YamlDoc, at: YamlPath, value: Any, problems: list[Problem]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not value:
        problems.append(doc.problem(at, "yaml.empty-list", key=str(at[-1])))
        return []
    texts = [doc.text((*at, i), v) for i, v in enumerate(value)]
    ids = [str(v) for i, v in enumerate(texts) if _ident(doc, (*at, i), v, problems)]
    return list(dict.fromkeys(ids))


def _check_unique(doc: YamlDoc, key: str, items: list, problems: list[Problem]) -> None:
    seen: dict[str, int | None] = {}
    folded: dict[str, str] = {}
    unique = []
    for item in items:
        if item.id in seen:
            problems.append(
                Problem.error(
                    doc.path,
                    "id.duplicate",
                    item.line,
                    None,
                    id=item.id,
                    section=key,
                    first=Place(seen[item.id] or 0),
                )
            )
            continue
        other = folded.get(item.id.lower())
        if other is not None:  # ids are URLs: two pages differing only in case collide on many disks
            problems.append(
                Problem.error(
                    doc.path,
                    "id.case-clash",
                    item.line,
                    None,
                    id=item.id,
                    other=other,
                    first=Place(seen[other] or 0),
                )
            )
        seen[item.id] = item.line
        folded[item.id.lower()] = item.id
        unique.append(item)
    items[:] = unique
