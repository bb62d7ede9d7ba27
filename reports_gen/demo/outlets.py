"""The outlets each rep serves and the journey plan that fixes their visit days."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .calendar import NEVER, WORKDAYS
from .draw import pick
from .people import People
from .words import FEMALE_FIRST, MALE_FIRST, NAME_FIRST_WORDS, NAME_SECOND_WORDS, OUTLET_PREFIXES

VISIT_FREQS = np.array([0.5, 1.0, 2.0, 3.0])
BIWEEKLY = -1  # parity of a journey-plan slot visited every week


def build_outlets(staff: People, rng: np.random.Generator) -> pd.DataFrame:
    """Give each rep enough outlets for 22–31 planned visits per working day."""
    reps = [p for p in staff.frame.index if staff.frame.loc[p, "role"] == "sales" and staff.portfolio[p] == p]
    owners, freqs = [], []
    for rep in reps:
        weekly = WORKDAYS * rng.uniform(22, 31)
        draw = rng.choice(VISIT_FREQS, size=400, p=[0.05, 0.5, 0.35, 0.1])
        count = int(np.searchsorted(np.cumsum(draw), weekly)) + 1
        owners.append(np.full(count, rep))
        freqs.append(draw[:count])
    owner = np.concatenate(owners)
    kind = rng.choice(3, size=len(owner), p=[0.78, 0.14, 0.08])
    return outlet_rows(
        owner, kind, np.concatenate(freqs), np.full(len(owner), -NEVER), outlet_names(kind, rng), staff, rng
    )


def outlet_rows(
    owner: np.ndarray,
    kind: np.ndarray,
    vpw: np.ndarray,
    opened: np.ndarray,
    names: np.ndarray,
    staff: People,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Place outlets near their owner's area and draw each one's order size and unit price."""
    n = len(owner)
    team = staff.frame["team"].to_numpy()[owner]
    lat = (
        staff.teams["lat"].to_numpy()[team] + staff.traits["dlat"].to_numpy()[owner] + rng.normal(0, 0.02, n)
    )
    lon = (
        staff.teams["lon"].to_numpy()[team] + staff.traits["dlon"].to_numpy()[owner] + rng.normal(0, 0.02, n)
    )
    size = (np.array([420_000, 1_600_000, 2_400_000])[kind] * rng.lognormal(0, 0.45, n)).clip(
        200_000, 4_000_000
    )
    price = rng.uniform(*np.array([[12_000, 35_000], [20_000, 45_000], [25_000, 60_000]])[kind].T)
    return pd.DataFrame(
        {
            "owner": owner,
            "team": team,
            "kind": kind,
            "name": names,
            "vpw": vpw,
            "lat": lat,
            "lon": lon,
            "opened": opened,
            "size": size,
            "price": price,
        }
    )


def outlet_names(kind: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw a store name for each outlet type, such as Toko Sumber Jaya or Warung Bu Siti."""
    n = len(kind)
    prefixes = [np.array(p, dtype=object) for p in OUTLET_PREFIXES]
    prefix = np.empty(n, dtype=object)
    for k, options in enumerate(prefixes):
        mask = kind == k
        prefix[mask] = options[rng.integers(0, len(options), mask.sum())]
    core = pick(NAME_FIRST_WORDS, n, rng) + " " + pick(NAME_SECOND_WORDS, n, rng)
    owner_name = np.where(
        rng.random(n) < 0.5, "Bu " + pick(FEMALE_FIRST, n, rng), "Pak " + pick(MALE_FIRST, n, rng)
    )
    personal = np.isin(prefix, ["Toko", "Warung"]) & (rng.random(n) < 0.25)  # Warung Bu Siti
    return prefix + " " + np.where(personal, owner_name, core)


def journey_plan(outlets: pd.DataFrame) -> pd.DataFrame:
    """Give every outlet fixed visit days, spreading each rep's load evenly over the week."""
    patterns: dict[float, list[tuple[int, ...]]] = {
        3.0: [(0, 2, 4), (1, 3, 5)],
        2.0: [(0, 3), (1, 4), (2, 5)],
        1.0: [(d,) for d in range(WORKDAYS)],
    }
    rows: list[tuple[int, int, int]] = []
    loads: dict[int, list[list[float]]] = {}
    order = outlets.sort_values(["owner", "opened", "vpw"], ascending=[True, True, False], kind="stable")
    for outlet, owner, vpw in zip(order.index, order["owner"], order["vpw"], strict=True):
        load = loads.setdefault(int(owner), [[0.0] * WORKDAYS, [0.0] * WORKDAYS])
        if vpw == 0.5:
            parity, day = min(
                ((p, d) for p in (0, 1) for d in range(WORKDAYS)), key=lambda pd_: load[pd_[0]][pd_[1]]
            )
            load[parity][day] += 1
            rows.append((int(outlet), day, parity))
            continue
        days = min(patterns[vpw], key=lambda ds: sum(load[0][d] + load[1][d] for d in ds))
        for day in days:
            load[0][day] += 1
            load[1][day] += 1
            rows.append((int(outlet), day, BIWEEKLY))
    return pd.DataFrame(rows, columns=["outlet", "weekday", "parity"])


def outlet_ids(n: int) -> np.ndarray:
    """Return the ids OUT-00001, OUT-00002, ... of `n` outlets."""
    width = max(5, len(str(n)))
    return np.array([f"OUT-{i + 1:0{width}d}" for i in range(n)], dtype=object)
