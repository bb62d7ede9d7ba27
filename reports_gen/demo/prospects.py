"""Prospects and their walk through the pipeline; won ones become outlets."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .calendar import NEVER, Calendar
from .draw import pick, round_to
from .outlets import VISIT_FREQS, outlet_names, outlet_rows
from .people import People
from .words import SOURCES, STAGE_NOTES


def build_prospects(
    staff: People, cal: Calendar, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Create prospects and walk each through the pipeline; some stall, some are lost."""
    frame = staff.frame
    created = []
    for p in frame.index:
        lo, hi = max(cal.first, frame.loc[p, "start"]), min(cal.last, frame.loc[p, "end"])
        if lo > hi:
            continue
        rate = 1.2 if frame.loc[p, "role"] == "marketing" else 0.3
        days = cal.next_work[lo + rng.integers(0, hi - lo + 1, rng.poisson(rate * (hi - lo + 1) / 7))]
        days = days[(days >= 0) & (days <= hi)]
        created.append(pd.DataFrame({"owner": p, "created": days}))
    prospects = pd.concat(created, ignore_index=True).sort_values(["created", "owner"], kind="stable")
    prospects = prospects.reset_index(drop=True)
    n = len(prospects)
    prospects["pid"] = [f"PR-{i + 1:04d}" for i in range(n)]
    prospects["team"] = frame["team"].to_numpy()[prospects["owner"]]
    prospects["kind"] = rng.choice(3, size=n, p=[0.6, 0.25, 0.15])
    prospects["name"] = outlet_names(prospects["kind"].to_numpy(), rng)
    prospects["source"] = pick(SOURCES, n, rng, p=[0.2, 0.1, 0.15, 0.35, 0.2])
    prospects["value"] = round_to(rng.lognormal(np.log(12e6), 0.6, n).clip(2e6, 150e6), 500_000)
    return prospects, _prospect_events(prospects, frame, cal, rng)


def _prospect_events(
    prospects: pd.DataFrame, frame: pd.DataFrame, cal: Calendar, rng: np.random.Generator
) -> pd.DataFrame:
    n = len(prospects)
    u = rng.random((n, 4))
    reached = (u[:, 0] < 0.9).astype(int)
    reached += (reached == 1) & (u[:, 1] < 0.75)
    reached += (reached == 2) & (u[:, 2] < 0.7)
    final = np.where(
        reached == 3, np.where(u[:, 3] < 0.55, "won", "lost"), np.where(u[:, 3] < 0.6, "lost", "")
    )  # the rest stall and go stale
    ladder = np.array(["new", "contacted", "qualified", "proposal"], dtype=object)
    stages = np.full((n, 5), "", dtype=object)
    for j in range(4):
        stages[:, j] = np.where(reached >= j, ladder[j], "")
    stages[np.arange(n), reached + 1] = final
    days = np.full((n, 5), -1)
    days[:, 0] = prospects["created"].to_numpy()
    end = frame["end"].to_numpy()[prospects["owner"].to_numpy()]
    gaps = rng.integers(3, 16, (n, 4))
    for j in range(1, 5):
        proposed = np.where(days[:, j - 1] >= 0, days[:, j - 1] + gaps[:, j - 1], -1)
        nxt = np.where(
            (proposed >= 0) & (proposed <= cal.last),
            cal.next_work[np.clip(proposed, 0, len(cal.next_work) - 1)],
            -1,
        )
        days[:, j] = np.where((nxt >= 0) & (nxt <= end) & (stages[:, j] != ""), nxt, -1)
    keep = days >= 0
    rows, cols = np.nonzero(keep)
    stage = stages[rows, cols].astype(object)
    value = prospects["value"].to_numpy()[rows]
    revised = round_to(value * rng.uniform(0.8, 1.2, len(rows)), 500_000)
    return (
        pd.DataFrame(
            {
                "day": days[rows, cols],
                "prospect": rows,
                "stage": stage,
                "value": np.where(
                    cols == 0, value, np.where(np.isin(stage, ["proposal", "won"]), revised, -1)
                ),
                "outlet": -1,
                "notes": _stage_notes(stage, rng),
            }
        )
        .sort_values(["day", "prospect"], kind="stable")
        .reset_index(drop=True)
    )


def _stage_notes(stage: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    notes = np.full(len(stage), "", dtype=object)
    for name, texts in STAGE_NOTES.items():
        mask = (stage == name) & (rng.random(len(stage)) < 0.8)
        notes[mask] = pick(texts, int(mask.sum()), rng)
    return notes


def open_won_outlets(
    outlets: pd.DataFrame,
    prospects: pd.DataFrame,
    events: pd.DataFrame,
    staff: People,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn most won prospects into outlets a staying rep of the owner's team starts to visit."""
    frame = staff.frame
    stays = (frame["role"] == "sales") & (frame["end"] == NEVER) & (staff.portfolio == frame.index)
    won = events.index[(events["stage"] == "won") & (rng.random(len(events)) < 0.7)]
    new_owner, new_events, opened = [], [], []
    for e in won:
        p = events.loc[e, "prospect"]
        day, owner, team = events.loc[e, "day"], prospects.loc[p, "owner"], prospects.loc[p, "team"]
        eligible = frame.index[stays & (frame["team"] == team) & (frame["start"] <= day)]
        if len(eligible) == 0:
            continue
        new_owner.append(owner if owner in eligible else eligible[rng.integers(len(eligible))])
        new_events.append(e)
        opened.append(day + 1)
    if not new_events:
        return outlets, events
    pros = prospects.loc[events.loc[new_events, "prospect"]]
    kind = pros["kind"].to_numpy()
    vpw = rng.choice(VISIT_FREQS[1:3], size=len(kind), p=[0.7, 0.3])
    added = outlet_rows(np.array(new_owner), kind, vpw, np.array(opened), pros["name"].to_numpy(), staff, rng)
    outlets = pd.concat([outlets, added], ignore_index=True)
    events = events.copy()
    events.loc[new_events, "outlet"] = np.arange(len(outlets) - len(added), len(outlets))
    return outlets, events
