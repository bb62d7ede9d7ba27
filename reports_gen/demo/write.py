"""Write the demo files: the weekly CSVs, outlets.csv and the YAML settings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from reports_gen.dataset.schema import ACTIVITIES, CALLS, OUTLETS, PROSPECTS, SALES
from reports_gen.fileio import atomic_write

from .calendar import NEVER, Calendar
from .logs import Actuals, empty_actuals, record_week, simulate_week
from .people import People
from .targets import target_lines
from .words import ACTIVITY_TYPES, COMPANY
from .world import World

CALL_COLUMNS = list(CALLS.columns)
SALES_COLUMNS = list(SALES.columns)
ACTIVITY_COLUMNS = list(ACTIVITIES.columns)
PROSPECT_COLUMNS = list(PROSPECTS.columns)
OUTLET_COLUMNS = list(OUTLETS.columns)
WEEK_FILES = {spec.name: list(spec.columns) for spec in (CALLS, SALES, ACTIVITIES, PROSPECTS)}
_OUTLET_TYPES = np.array(["store", "reseller", "buyer"], dtype=object)


def write_weeks(out: Path, world: World, rng: np.random.Generator) -> Actuals:
    """Generate and write weeks/<YYYY-Www>/*.csv one week at a time; return their actuals."""
    acc = empty_actuals(world)
    for k in range(world.cal.weeks):
        week = simulate_week(world, k, rng)
        record_week(acc, week)
        folder = out / "weeks" / world.cal.week_code(k)
        folder.mkdir(parents=True, exist_ok=True)
        _write_csv(folder / "calls.csv", _calls_frame(world, week.calls))
        _write_csv(folder / "sales.csv", _sales_frame(world, week.sales))
        _write_csv(folder / "activities.csv", _activities_frame(world, week.activities))
        _write_csv(folder / "prospects.csv", _prospects_frame(world, week.events))
    return acc


def write_outlets(path: Path, world: World) -> None:
    """Write outlets.csv: every outlet with its type, area, rep and visit frequency."""
    _write_csv(path, _outlets_frame(world))


def write_config(path: Path, cal: Calendar) -> None:
    """Write config.yaml: company, working days, the calendar's days off and thresholds."""
    extra = [f"    - {day.isoformat()}   # {name}" for day, name in cal.days_off]
    lines = [
        "# Settings of the sales performance site (demo data from `reports-gen demo-data`).",
        f"company: {COMPANY}",
        "language: id                 # id | en",
        "currency: IDR",
        "# Field sales work Monday to Saturday.",
        "working_days: [mon, tue, wed, thu, fri, sat]",
        "holidays:",
        "  country: ID                # Indonesian public holidays (hari libur nasional)",
        *(
            ["  extra:                     # company days off (cuti bersama, company events)", *extra]
            if extra
            else ["  extra: []"]
        ),
        "  working: []                # days worked although weekend or holiday",
        "thresholds:",
        "  ec_ratio: 0.6              # effective calls / actual calls below this -> alert",
        "  pjp_rate: 0.9              # journey-plan compliance below this -> alert",
        "  coverage: 0.9              # share of assigned outlets visited below this -> alert",
        "  pace_at_risk: 0.9",
        "  stale_prospect_days: 14",
        "activity_types: [" + ", ".join(ACTIVITY_TYPES) + "]",
    ]
    atomic_write(path, "\n".join(lines) + "\n")


def write_team(path: Path, staff: People, cal: Calendar) -> None:
    """Write team.yaml: the teams with their managers, and every person's role and dates."""
    frame, ids = staff.frame, staff.frame["id"].to_numpy()
    lines = ["# Teams (one per sales area) and the people in them.", "teams:"]
    lines += [
        f"  - {{id: {t.id}, name: {t.name}, manager: {ids[t.manager]}}}" for t in staff.teams.itertuples()
    ]
    lines.append("people:")
    team_ids = staff.teams["id"].to_numpy()
    for p in frame.itertuples():
        lines += [
            f"  - id: {p.id}",
            f"    name: {p.name}",
            f"    role: {p.role}",
            f"    team: {team_ids[p.team]}",
            f"    start: {cal.day(p.start).isoformat()}",
        ]
        if p.Index in staff.successor.values():
            lines[-1] += "   # new rep: took over the outlets of someone who left"
        if p.end != NEVER:
            successor = ids[staff.successor[p.Index]]
            lines.append(f"    end: {cal.day(p.end).isoformat()}     # left; outlets now with {successor}")
    atomic_write(path, "\n".join(lines) + "\n")


def write_targets(path: Path, world: World, actuals: Actuals, rng: np.random.Generator) -> None:
    """Write targets.yaml with targets set against the actuals of the generated weeks."""
    atomic_write(path, "\n".join(target_lines(world, actuals, rng)) + "\n")


def _calls_frame(world: World, calls: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": world.cal.labels[calls["day"].to_numpy()],
            "rep_id": world.people.frame["id"].to_numpy()[calls["rep"].to_numpy()],
            "outlet_id": world.outlet_ids[calls["outlet"].to_numpy()],
            "planned": np.where(calls["planned"], "ya", "tidak"),
            "visited": np.where(calls["visited"], "ya", "tidak"),
            "order_value": calls["value"].astype(np.int64),
            "units": calls["units"].astype(np.int64),
            "no_order_reason": calls["reason"],
            "notes": calls["notes"],
        },
        columns=CALL_COLUMNS,
    )


def _sales_frame(world: World, sales: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": world.cal.labels[sales["day"].to_numpy()],
            "rep_id": world.people.frame["id"].to_numpy()[sales["rep"].to_numpy()],
            "outlet_id": world.outlet_ids[sales["outlet"].to_numpy()],
            "order_value": sales["value"].astype(np.int64),
            "units": sales["units"].astype(np.int64),
            "channel": sales["channel"],
            "notes": sales["notes"],
        },
        columns=SALES_COLUMNS,
    )


def _activities_frame(world: World, acts: pd.DataFrame) -> pd.DataFrame:
    pids = world.prospects["pid"].to_numpy()
    return pd.DataFrame(
        {
            "date": world.cal.labels[acts["day"].to_numpy()],
            "person_id": world.people.frame["id"].to_numpy()[acts["person"].to_numpy()],
            "type": np.array(ACTIVITY_TYPES, dtype=object)[acts["kind"].to_numpy()],
            "planned": np.where(acts["planned"], "ya", "tidak"),
            "done": np.where(acts["done"], "ya", "tidak"),
            "outlet_id": _lookup(world.outlet_ids, acts["outlet"].to_numpy()),
            "prospect_id": _lookup(pids, acts["prospect"].to_numpy()),
            "outcome": acts["outcome"],
            "notes": acts["notes"],
        },
        columns=ACTIVITY_COLUMNS,
    )


def _prospects_frame(world: World, events: pd.DataFrame) -> pd.DataFrame:
    pros = world.prospects.loc[events["prospect"].to_numpy()]
    first = (events["stage"] == "new").to_numpy()
    value = events["value"].to_numpy()
    return pd.DataFrame(
        {
            "date": world.cal.labels[events["day"].to_numpy()],
            "prospect_id": pros["pid"].to_numpy(),
            "name": np.where(first, pros["name"].to_numpy(), ""),
            "owner_id": world.people.frame["id"].to_numpy()[pros["owner"].to_numpy()],
            "source": np.where(first, pros["source"].to_numpy(), ""),
            "stage": events["stage"].to_numpy(),
            "expected_value": pd.arrays.IntegerArray(np.maximum(value, 0).astype(np.int64), value < 0),
            "outlet_id": _lookup(world.outlet_ids, events["outlet"].to_numpy()),
            "notes": events["notes"].to_numpy(),
        },
        columns=PROSPECT_COLUMNS,
    )


def _outlets_frame(world: World) -> pd.DataFrame:
    o = world.outlets
    return pd.DataFrame(
        {
            "outlet_id": world.outlet_ids,
            "name": o["name"].to_numpy(),
            "type": _OUTLET_TYPES[o["kind"].to_numpy()],
            "area": world.people.teams["name"].to_numpy()[o["team"].to_numpy()],
            "rep_id": world.people.frame["id"].to_numpy()[o["owner"].to_numpy()],
            "visits_per_week": o["vpw"].map({0.5: "0.5", 1.0: "1", 2.0: "2", 3.0: "3"}),
            "lat": [f"{v:.6f}" for v in o["lat"]],
            "lon": [f"{v:.6f}" for v in o["lon"]],
        },
        columns=OUTLET_COLUMNS,
    )


def _lookup(ids: np.ndarray, index: np.ndarray) -> np.ndarray:
    if len(ids) == 0:
        return np.full(len(index), "", dtype=object)
    return np.where(index >= 0, ids[np.maximum(index, 0)], "")


def _write_csv(path: Path, frame: pd.DataFrame) -> None:
    atomic_write(path, frame.to_csv(index=False, lineterminator="\n"))
