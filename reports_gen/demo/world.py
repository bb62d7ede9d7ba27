"""The demo world: everything fixed before the weeks are generated."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .calendar import Calendar
from .outlets import build_outlets, journey_plan, outlet_ids
from .people import People, build_people
from .prospects import build_prospects, open_won_outlets


@dataclass(frozen=True)
class World:
    """Everything fixed before the weeks are generated, as arrays for vectorised lookups."""

    cal: Calendar
    people: People
    outlets: pd.DataFrame  # owner, team, kind, name, vpw, lat, lon, opened, size, price
    outlet_ids: np.ndarray
    slots: pd.DataFrame  # journey plan: outlet, weekday, parity
    prospects: pd.DataFrame  # one row per prospect: pid, owner, team, created
    events: pd.DataFrame  # one row per prospect event
    drift: np.ndarray  # (weeks, people) slow change of each person's effective-call ratio


def build_world(people: int, cal: Calendar, rng: np.random.Generator) -> World:
    """Draw the company, its outlets and prospects, and each person's drift over the weeks."""
    staff = build_people(people, cal, rng)
    outlets = build_outlets(staff, rng)
    prospects, events = build_prospects(staff, cal, rng)
    outlets, events = open_won_outlets(outlets, prospects, events, staff, rng)
    drift = np.cumsum(rng.normal(0, 0.012, (cal.weeks, len(staff.frame))), axis=0)
    return World(
        cal, staff, outlets, outlet_ids(len(outlets)), journey_plan(outlets), prospects, events, drift
    )
