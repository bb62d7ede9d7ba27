"""The demo company's teams and people, with handovers and each person's habits."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .calendar import NEVER, Calendar
from .words import AREAS, FAMILY, FEMALE_FIRST, FEMALE_LAST, MALE_FIRST, MALE_LAST


@dataclass(frozen=True)
class People:
    """Teams and people, with the behaviour each person shows in the data."""

    teams: pd.DataFrame  # id, name, lat, lon, manager (person index)
    frame: pd.DataFrame  # id, name, role, team (index), start, end (day indices)
    portfolio: np.ndarray  # whose outlets a person works (a leaver works their successor's)
    successor: dict[int, int]  # leaver -> the person who took over their outlets
    traits: pd.DataFrame  # ec, pjp, unplanned, done per person


def build_people(n: int, cal: Calendar, rng: np.random.Generator) -> People:
    """Draw `n` people (one in five in marketing) in teams, with their habits and handovers."""
    n_marketing = n // 5
    n_sales = n - n_marketing
    n_teams = 1 if n < 6 else max(2, round(n / 4.5))
    roles = np.array(["sales"] * n_sales + ["marketing"] * n_marketing, dtype=object)
    team = np.concatenate([np.arange(n_sales) % n_teams, np.arange(n_marketing) % n_teams])
    order = np.lexsort((roles != "sales", team))
    roles, team = roles[order], team[order]
    names = _person_names(n, rng)
    # Everyone joined between two months and four years before the range, on a Monday.
    start = cal.first - 7 * rng.integers(9, 210, n)
    frame = pd.DataFrame(
        {
            "id": _person_ids(names),
            "name": names,
            "role": roles,
            "team": team,
            "start": start,
            "end": np.full(n, NEVER),
        }
    )
    teams = _teams(n_teams, frame)
    portfolio, successor = _handovers(frame, teams, cal)
    traits = pd.DataFrame(
        {
            "ec": rng.uniform(0.45, 0.8, n),
            "pjp": np.where(rng.random(n) < 0.12, rng.uniform(0.78, 0.88, n), rng.uniform(0.9, 0.985, n)),
            "unplanned": rng.uniform(0.015, 0.06, n),
            "done": rng.uniform(0.7, 0.95, n),
            # Each rep's outlets cluster around a point of the team's area.
            "dlat": rng.normal(0, 0.04, n),
            "dlon": rng.normal(0, 0.04, n),
        }
    )
    for person in successor.values():
        traits.loc[person, "ec"] = rng.uniform(0.4, 0.5)  # a new rep converts less at first
    return People(teams, frame, portfolio, successor, traits)


def _person_names(n: int, rng: np.random.Generator) -> list[str]:
    """Draw full names, avoiding namesakes until a big company runs out of combinations."""
    names: list[str] = []
    seen: set[str] = set()
    tries = 0
    while len(names) < n:
        if rng.random() < 0.5:
            first, last = MALE_FIRST, MALE_LAST + FAMILY
        else:
            first, last = FEMALE_FIRST, FEMALE_LAST + FAMILY
        name = f"{first[rng.integers(len(first))]} {last[rng.integers(len(last))]}"
        tries += 1
        if name not in seen or tries > 20:
            names.append(name)
            seen.add(name)
            tries = 0
    return names


def _person_ids(names: list[str]) -> list[str]:
    """Use the first name as id, else first name and initial, else first name and a number."""
    ids: list[str] = []
    taken: set[str] = set()
    for name in names:
        first, last = name.lower().split(" ", 1)
        ident, number = (first if first not in taken else f"{first}-{last[0]}"), 2
        while ident in taken:
            ident, number = f"{first}-{number}", number + 1
        ids.append(ident)
        taken.add(ident)
    return ids


def _teams(n_teams: int, frame: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for t in range(n_teams):
        ident, name, lat, lon = AREAS[t % len(AREAS)]
        if t >= len(AREAS):  # big companies split an area: Surabaya Timur 2
            round_ = t // len(AREAS) + 1
            ident, name = f"{ident}-{round_}", f"{name} {round_}"
        sales = frame[(frame["team"] == t) & (frame["role"] == "sales")]
        # The longest-serving sales person leads the team.
        rows.append((ident, name, lat, lon, int(sales["start"].idxmin())))
    return pd.DataFrame(rows, columns=["id", "name", "lat", "lon", "manager"])


def _handovers(frame: pd.DataFrame, teams: pd.DataFrame, cal: Calendar) -> tuple[np.ndarray, dict[int, int]]:
    """Let a few reps leave mid-range and a newcomer take over their outlets weeks later."""
    portfolio = np.arange(len(frame))
    successor: dict[int, int] = {}
    n_pairs = (1 + len(frame) // 80) if len(frame) >= 6 else 0
    candidates = [
        frame.index[
            (frame["team"] == t) & (frame["role"] == "sales") & (frame.index != teams.loc[t, "manager"])
        ]
        for t in teams.index
    ]
    usable = [c for c in candidates if len(c) >= 2][:n_pairs]
    for j, members in enumerate(usable):
        leaver, newcomer = int(members[-2]), int(members[-1])
        leave_week = max(1, int(cal.weeks * (0.3 + 0.15 * j)))
        if leave_week + 2 >= cal.weeks:
            break
        saturday = cal.first + 7 * leave_week + 5
        end = saturday - int(np.argmax(cal.working[saturday::-1]))
        start = int(cal.next_work[cal.first + 7 * (leave_week + 2)])
        if start < 0:
            break
        frame.loc[leaver, "end"] = end
        frame.loc[newcomer, "start"] = start
        portfolio[leaver] = newcomer
        successor[leaver] = newcomer
    return portfolio, successor
