"""Write a realistic synthetic data directory: an Indonesian distributor's sales team."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .calendar import build_calendar, parse_week
from .world import build_world
from .write import (
    ACTIVITY_COLUMNS,
    CALL_COLUMNS,
    OUTLET_COLUMNS,
    PROSPECT_COLUMNS,
    SALES_COLUMNS,
    WEEK_FILES,
    write_config,
    write_outlets,
    write_targets,
    write_team,
    write_weeks,
)

__all__ = [
    "ACTIVITY_COLUMNS",
    "CALL_COLUMNS",
    "OUTLET_COLUMNS",
    "PROSPECT_COLUMNS",
    "SALES_COLUMNS",
    "WEEK_FILES",
    "generate_demo_data",
]


def generate_demo_data(
    out: Path, *, people: int = 11, weeks: int = 26, seed: int = 1, end_week: str = "2026-W47"
) -> None:
    """Write a realistic synthetic data directory to `out`.

    It holds config.yaml, team.yaml, outlets.csv, targets.yaml and
    weeks/<YYYY-Www>/{calls,sales,activities,prospects}.csv for `weeks` ISO weeks ending with
    `end_week`. The same arguments always give byte-identical files. Files already in `out`
    with those names are overwritten; others are left alone. Raise ValueError for arguments
    that cannot be used.
    """
    for name, value, least in (("people", people, 2), ("weeks", weeks, 1), ("seed", seed, 0)):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise ValueError(f"{name} must be a whole number of at least {least}, got {value!r}")
    cal = build_calendar(parse_week(end_week), weeks)
    out = Path(out)
    # One generator drives every draw, in this order, so a seed always gives the same files.
    rng = np.random.default_rng(seed)
    world = build_world(people, cal, rng)
    out.mkdir(parents=True, exist_ok=True)
    # Weeks are generated and written one at a time; their totals then set the targets.
    actuals = write_weeks(out, world, rng)
    write_config(out / "config.yaml", cal)
    write_team(out / "team.yaml", world.people, cal)
    write_outlets(out / "outlets.csv", world)
    write_targets(out / "targets.yaml", world, actuals, rng)
