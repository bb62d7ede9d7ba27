"""Import the master data: people into team.yaml, and init's example entries out of the way."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import yaml

from reports_gen.dataset.schema import LINE
from reports_gen.errors import DataError, Problem
from reports_gen.workflow.csvedit import CsvText
from reports_gen.workflow.importcheck import FilePlan, changed_values
from reports_gen.workflow.spreadsheet import RawExport

EXAMPLE_PREFIX = "example-"  # the ids of the example entries `init --empty` writes
_PERSON_FIELDS = ("name", "role", "team", "start", "end")


def plan_team(
    data_dir: Path, rows: pd.DataFrame, raw: RawExport, problems: list[Problem], replace: bool
) -> FilePlan:
    """Plan team.yaml with the export's people added or completed, and any team they name."""
    path = data_dir / "team.yaml"
    original = path.read_bytes() if path.is_file() else b""
    teams, people = _read_team(path, original)
    plan = FilePlan(path, "", not original, original)
    origins: dict[str, int] = {}
    for record in rows.to_dict("records"):
        person = _person(record)
        team_id = person.get("team") or ""
        if team_id and not any(str(t.get("id")) == team_id for t in teams):
            teams.append({"id": team_id, "name": record.get("team_name") or record["team"], "manager": None})
        existing = next((p for p in people if str(p.get("id")) == person["id"]), None)
        if existing is None:
            people.append(person)
            plan.added += 1
            origins[person["id"]] = int(record[LINE])
            continue
        _complete(plan, existing, person, int(record[LINE]), raw, problems, replace, origins)
    real = [p for p in people if not str(p.get("id")).startswith(EXAMPLE_PREFIX)]
    used = {str(p.get("team")) for p in real}
    kept_teams = [t for t in teams if not str(t.get("id")).startswith(EXAMPLE_PREFIX) or t.get("id") in used]
    plan.removed = len(people) - len(real) + len(teams) - len(kept_teams)
    plan.whole, plan.sources = _render(kept_teams, real, origins)
    plan.added_text = ""
    return plan


def _person(record: dict) -> dict:
    person: dict = {"id": record["person_id"], "name": record["name"], "role": record["role"] or "sales"}
    person["team"] = _slug(record["team"])
    for day in ("start", "end"):
        if record.get(day):
            person[day] = dt.date.fromisoformat(record[day])
    return person


def _slug(text: str) -> str:
    """Turn a team written as a name (`Surabaya Timur`) into an id (`surabaya-timur`)."""
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_") if text else ""


def _complete(
    plan: FilePlan,
    existing: dict,
    person: dict,
    line: int,
    raw: RawExport,
    problems: list[Problem],
    replace: bool,
    origins: dict[str, int],
) -> None:
    """Fill a known person's blank fields; a changed filled field is a conflict unless `replace`."""
    filled: list[tuple[str, object, object]] = []
    conflicts: list[tuple[str, object, object]] = []
    for key in _PERSON_FIELDS:
        new, old = person.get(key), existing.get(key)
        if new in (None, "") or str(new) == str(old):
            continue
        (conflicts if old not in (None, "") else filled).append((key, old, new))
    if conflicts and not replace:
        problems.append(
            Problem.warning(
                str(raw.path),
                "import.person-differs",
                line,
                None,
                person=repr(existing["id"]),
                changes=changed_values(conflicts, in_team=True),
            )
        )
    changes = filled + (conflicts if replace else [])
    for key, _, new in changes:
        existing[key] = new
    if changes:
        origins[str(existing["id"])] = line
        if conflicts and replace:
            plan.replaced += 1
        else:
            plan.completed += 1
    else:
        plan.already += 1


def _read_team(path: Path, original: bytes) -> tuple[list[dict], list[dict]]:
    if not original.strip():
        return [], []
    try:
        doc = yaml.safe_load(original.decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError):
        doc = None
    if not isinstance(doc, dict) or not isinstance(doc.get("teams") or [], list):
        raise DataError([Problem.error(str(path), "import.team-unreadable")])
    teams = [dict(t) for t in doc.get("teams") or [] if isinstance(t, dict)]
    people = [dict(p) for p in doc.get("people") or [] if isinstance(p, dict)]
    for entry in teams + people:
        if "id" in entry:
            entry["id"] = str(entry["id"])
    return teams, people


def _render(teams: list[dict], people: list[dict], origins: dict[str, int]) -> tuple[bytes, dict[int, int]]:
    """Write team.yaml with one entry a line, so that each problem's line names one person."""
    lines = [
        "# Teams and people (rewritten by `reports-gen import --kind team`: one entry a line).",
        "teams:",
        *(f"  - {_flow(t)}" for t in teams),
        "people:",
    ]
    sources: dict[int, int] = {}
    for person in people:
        lines.append(f"  - {_flow(person)}")
        if person["id"] in origins:
            sources[len(lines)] = origins[person["id"]]
    if not teams:
        lines[1] = "teams: []"
    if not people:
        lines[-1] = "people: []"
    return ("\n".join(lines) + "\n").encode("utf-8"), sources


def _flow(entry: dict) -> str:
    clean = {k: v for k, v in entry.items() if v not in (None, "") or k == "manager"}
    if clean.get("manager") in (None, ""):
        clean.pop("manager", None)
    text = yaml.safe_dump(
        clean, default_flow_style=True, allow_unicode=True, sort_keys=False, width=float("inf")
    )
    return text.strip()


def plan_example_removal(data_dir: Path, kind: str, outlets: FilePlan | None = None) -> list[FilePlan]:
    """Plan the removal of init's example entries from the file the import does not write itself."""
    if kind == "outlets":
        assert outlets is not None and outlets.text is not None
        _drop_example_outlets(outlets)
        path = data_dir / "team.yaml"
        original = path.read_bytes() if path.is_file() else b""
        if EXAMPLE_PREFIX.encode() not in original:
            return []
        teams, people = _read_team(path, original)
        plan = plan_team_removal(path, original, teams, people)
        return [plan] if plan.removed else []
    path = data_dir / "outlets.csv"
    original = path.read_bytes() if path.is_file() else b""
    plan = FilePlan(path, "", False, original, CsvText.parse(original), shown=False)
    _drop_example_outlets(plan)
    return [plan] if plan.removed else []


def plan_team_removal(path: Path, original: bytes, teams: list[dict], people: list[dict]) -> FilePlan:
    """Plan team.yaml without its example people and teams."""
    real = [p for p in people if not str(p.get("id")).startswith(EXAMPLE_PREFIX)]
    used = {str(p.get("team")) for p in real}
    kept = [t for t in teams if not str(t.get("id")).startswith(EXAMPLE_PREFIX) or t.get("id") in used]
    plan = FilePlan(path, "", False, original, shown=False)
    plan.removed = len(people) - len(real) + len(teams) - len(kept)
    plan.whole = _render(kept, real, {})[0]
    return plan


def _drop_example_outlets(plan: FilePlan) -> None:
    assert plan.text is not None
    for record in plan.text.records:
        if record.values.get("outlet_id", "").startswith(EXAMPLE_PREFIX):
            plan.text.removed.add(record.start)
            plan.removed += 1
