"""The typed models of config.yaml, team.yaml and targets.yaml."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from reports_gen.dataset.schema import DEFAULT_ACTIVITY_TYPES
from reports_gen.workcalendar import Period, WorkCalendar

Language = Literal["id", "en"]
LANGUAGES: tuple[Language, ...] = ("id", "en")
Role = Literal["sales", "marketing"]
Scope = Literal["company", "team", "person"]
Basis = Literal["previous", "last_year"]
Split = Literal["working_days", "calendar_days"]


@dataclass(frozen=True)
class Thresholds:
    """Alert thresholds of config.yaml."""

    ec_ratio: float = 0.6
    pjp_rate: float = 0.9
    coverage: float = 0.9
    pace_at_risk: float = 0.9
    stale_prospect_days: int = 14
    home_alerts_per_team: int = 3  # alerts each team shows on the home page
    home_min_severity: int = 2  # the least severity shown there: 3 high, 2 medium, 1 low


@dataclass(frozen=True)
class Config:
    """The company settings of config.yaml (every key optional)."""

    company: str = "Sales Performance"
    language: Language = "id"
    currency: str = "IDR"
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    thresholds: Thresholds = field(default_factory=Thresholds)
    activity_types: tuple[str, ...] = DEFAULT_ACTIVITY_TYPES


@dataclass(frozen=True)
class Team:
    """A team of team.yaml."""

    id: str
    name: str
    manager: str | None
    line: int | None = None


@dataclass(frozen=True)
class Person:
    """A person of team.yaml; `start`/`end` bound their working days."""

    id: str
    name: str
    role: Role
    team: str
    start: dt.date | None = None
    end: dt.date | None = None
    line: int | None = None

    def active_on(self, day: dt.date) -> bool:
        """Tell whether the person works for the company on `day`."""
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Organisation:
    """Teams and people of team.yaml, in file order."""

    teams: tuple[Team, ...] = ()
    people: tuple[Person, ...] = ()

    def person(self, person_id: str) -> Person | None:
        """Return the person with this id, if any."""
        return next((p for p in self.people if p.id == person_id), None)

    def members(self, team_id: str) -> list[Person]:
        """Return the people of a team."""
        return [p for p in self.people if p.team == team_id]

    def frame(self) -> pd.DataFrame:
        """Return people indexed by `person_id` with team, role and start/end (NaT when open)."""
        return pd.DataFrame(
            {
                "team": [p.team for p in self.people],
                "role": [p.role for p in self.people],
                "start": pd.to_datetime([p.start for p in self.people]),
                "end": pd.to_datetime([p.end for p in self.people]),
            },
            index=pd.Index([p.id for p in self.people], name="person_id", dtype=str),
        )


@dataclass(frozen=True)
class TargetSpec:
    """One entry of targets.yaml as written (growth targets get their value later)."""

    period: Period
    scope: Scope
    scope_id: str  # "" for the company
    metric: str
    value: float | None
    growth: float | None  # 0.10 for "10%"
    basis: Basis
    split: Split
    line: int | None = None

    @property
    def basis_period(self) -> Period | None:
        """Return the period a growth target is computed from."""
        if self.growth is None:
            return None
        return self.period.previous() if self.basis == "previous" else self.period.last_year()
