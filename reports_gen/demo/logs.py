"""The weekly logs: calls, sales and activities, and what they add up to per person and day."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .calendar import WORKDAYS
from .draw import pick, round_to, sample_groups
from .outlets import BIWEEKLY
from .words import (
    ACTIVITY_TYPES,
    CHANNELS,
    MARKETING_MIX,
    MISSED_VISIT_NOTES,
    NO_ORDER_REASONS,
    NOT_DONE_NOTES,
    ORDER_NOTES,
    OUTCOMES,
    SALES_MIX,
    SALES_NOTES,
)
from .world import World


@dataclass(frozen=True)
class Actuals:
    """Per person and day: what the generated files add up to, to set realistic targets."""

    revenue: np.ndarray
    actual_calls: np.ndarray
    effective_calls: np.ndarray
    activities_done: np.ndarray


@dataclass(frozen=True)
class WeekLogs:
    """One generated week: its calls, sales, activities and prospect events (index columns)."""

    calls: pd.DataFrame  # day, rep, outlet, planned, visited, value, units, reason, notes
    sales: pd.DataFrame  # day, rep, outlet, value, units, channel, notes
    activities: pd.DataFrame  # day, person, kind, planned, done, outlet, prospect, outcome, notes
    events: pd.DataFrame  # the rows of `World.events` that fall in the week


def empty_actuals(world: World) -> Actuals:
    """Return all-zero actuals, one row per person and one column per calendar day."""
    shape = (len(world.people.frame), len(world.cal.labels))
    return Actuals(*(np.zeros(shape) for _ in range(4)))


def simulate_week(world: World, k: int, rng: np.random.Generator) -> WeekLogs:
    """Generate the calls, sales and activities of the k-th week, and pick its prospect events."""
    n_people = len(world.people.frame)
    days = world.cal.first + 7 * k + np.arange(7)
    # A rep who logs nothing on a day leaves no row at all that day (~1.5 % of days).
    gaps = rng.random((n_people, 7)) < 0.015
    person = np.arange(n_people)[:, None]
    usable = world.cal.working[days] & _active(world, person, days) & ~gaps
    calls = _week_calls(world, k, days, usable, rng)
    sales = _week_sales(world, days, usable, rng)
    acts = _week_activities(world, days, usable, rng)
    events = world.events[world.events["day"].between(days[0], days[-1])]
    return WeekLogs(calls, sales, acts, events)


def record_week(acc: Actuals, week: WeekLogs) -> None:
    """Add a week's revenue, calls and activities done to the running actuals."""
    calls, sales, acts = week.calls, week.sales, week.activities
    _add(acc.revenue, calls, "rep", calls["value"])
    _add(acc.revenue, sales, "rep", sales["value"])
    _add(acc.actual_calls, calls, "rep", calls["visited"])
    _add(acc.effective_calls, calls, "rep", calls["value"] > 0)
    _add(acc.activities_done, acts, "person", acts["done"])


def _add(total: np.ndarray, rows: pd.DataFrame, who: str, amount: pd.Series) -> None:
    np.add.at(total, (rows[who].to_numpy(), rows["day"].to_numpy()), amount.to_numpy(float))


def _active(world: World, person: np.ndarray, day: np.ndarray) -> np.ndarray:
    frame = world.people.frame
    return (frame["start"].to_numpy()[person] <= day) & (day <= frame["end"].to_numpy()[person])


def _spread(person: np.ndarray, usable: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Put each row on one of its person's usable weekdays (-1 when the person has none)."""
    count = usable.sum(axis=1)[person]
    nth = (rng.random(len(person)) * count).astype(int)
    weekday = np.argmax(usable.cumsum(axis=1)[person] > nth[:, None], axis=1)
    return np.where(count > 0, weekday, -1)


def _week_calls(
    world: World, k: int, days: np.ndarray, usable: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    plan = _planned_visits(world, days, usable)
    extra = _unplanned_visits(world, plan, rng)
    calls = pd.concat([plan, extra], ignore_index=True)
    calls = calls.drop_duplicates(["day", "rep", "outlet"], keep="first")
    calls = calls.sort_values(["day", "rep", "outlet"], kind="stable").reset_index(drop=True)
    rep, outlet, planned = (calls[c].to_numpy() for c in ("rep", "outlet", "planned"))
    n = len(calls)
    traits = world.people.traits
    bad_day = rng.random(usable.shape) < 0.03  # rain, a flat tyre, a long meeting at the office
    weekday = calls["day"].to_numpy() - days[0]
    p_visit = traits["pjp"].to_numpy()[rep] * np.where(bad_day[rep, weekday], 0.55, 1.0)
    visited = ~planned | (rng.random(n) < p_visit)
    kind = world.outlets["kind"].to_numpy()[outlet]
    p_order = (
        traits["ec"].to_numpy()[rep]
        + world.drift[k, rep]
        + np.array([0, 0.05, -0.05])[kind]
        + 0.08 * ~planned
    )
    order = visited & (rng.random(n) < p_order.clip(0.05, 0.95))
    value, units = _order_amounts(world, outlet, 0.0, rng)
    calls["visited"] = visited
    calls["value"] = np.where(order, value, 0)
    calls["units"] = np.where(order, units, 0)
    calls["reason"] = np.where(visited & ~order & (rng.random(n) < 0.92), pick(NO_ORDER_REASONS, n, rng), "")
    calls["notes"] = np.select(
        [~visited & (rng.random(n) < 0.85), order & (rng.random(n) < 0.06)],
        [pick(MISSED_VISIT_NOTES, n, rng), pick(ORDER_NOTES, n, rng)],
        "",
    )
    return calls


def _planned_visits(world: World, days: np.ndarray, usable: np.ndarray) -> pd.DataFrame:
    slots = world.slots
    parity = (world.cal.day(days[0]).toordinal() // 7) % 2
    slots = slots[(slots["parity"] == BIWEEKLY) | (slots["parity"] == parity)]
    outlet, weekday = slots["outlet"].to_numpy(), slots["weekday"].to_numpy()
    day = days[weekday]
    rep = world.outlets["owner"].to_numpy()[outlet]
    # Before a newcomer starts, the rep who left worked these outlets.
    for leaver, newcomer in world.people.successor.items():
        rep = np.where((rep == newcomer) & (day < world.people.frame.loc[newcomer, "start"]), leaver, rep)
    keep = usable[rep, weekday] & (world.outlets["opened"].to_numpy()[outlet] <= day)
    return pd.DataFrame({"day": day[keep], "rep": rep[keep], "outlet": outlet[keep], "planned": True})


def _unplanned_visits(world: World, plan: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Add visits off the plan: mostly own outlets, sometimes a colleague's (cross-rep)."""
    if plan.empty:
        return plan.iloc[0:0]
    base = plan.sort_values(["rep", "day"], kind="stable")
    reps, starts, counts = np.unique(base["rep"].to_numpy(), return_index=True, return_counts=True)
    n_extra = rng.poisson(world.people.traits["unplanned"].to_numpy()[reps] * counts)
    pick = np.repeat(starts, n_extra) + (rng.random(n_extra.sum()) * np.repeat(counts, n_extra)).astype(int)
    day, rep = base["day"].to_numpy()[pick], base["rep"].to_numpy()[pick]
    own = sample_groups(world.outlets["owner"].to_numpy(), world.people.portfolio[rep], rng)
    team = world.people.frame["team"].to_numpy()[rep]
    colleague = sample_groups(world.outlets["team"].to_numpy(), team, rng)
    outlet = np.where(rng.random(len(rep)) < 0.82, own, colleague)
    opened = world.outlets["opened"].to_numpy()
    keep = (outlet >= 0) & (opened[np.maximum(outlet, 0)] <= day)
    return pd.DataFrame({"day": day[keep], "rep": rep[keep], "outlet": outlet[keep], "planned": False})


def _order_amounts(
    world: World, outlet: np.ndarray, boost: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Return order values in whole rupiah (multiples of 500 or 1000) and their units."""
    n = len(outlet)
    raw = world.outlets["size"].to_numpy()[outlet] * rng.lognormal(boost, 0.35, n).clip(0.4, 2.5)
    raw = np.where(raw < 150_000, rng.uniform(150_000, 250_000, n), raw)  # the minimum order
    step = np.where(rng.random(n) < 0.3, 500, 1000)
    value = round_to(raw, step)
    units = np.maximum(1, np.rint(value / world.outlets["price"].to_numpy()[outlet])).astype(np.int64)
    return value, units


def _week_sales(world: World, days: np.ndarray, usable: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Orders by phone, chat or online shop from a rep's own outlets, a few a week."""
    frame = world.people.frame
    sellers = frame.index[frame["role"] == "sales"].to_numpy()
    rep = np.repeat(sellers, rng.poisson(0.37 * usable[sellers].sum(axis=1)))
    weekday = _spread(rep, usable, rng)
    outlet = sample_groups(world.outlets["owner"].to_numpy(), world.people.portfolio[rep], rng)
    keep = (weekday >= 0) & (outlet >= 0)
    keep &= world.outlets["opened"].to_numpy()[np.maximum(outlet, 0)] <= days[weekday]
    rep, outlet, day = rep[keep], outlet[keep], days[weekday][keep]
    value, units = _order_amounts(world, outlet, 0.1, rng)
    n = len(rep)
    sales = pd.DataFrame(
        {
            "day": day,
            "rep": rep,
            "outlet": outlet,
            "value": value,
            "units": units,
            "channel": pick(CHANNELS, n, rng, p=[0.35, 0.5, 0.15]),
            "notes": np.where(rng.random(n) < 0.3, pick(SALES_NOTES, n, rng), ""),
        }
    )
    return sales.sort_values(["day", "rep", "outlet"], kind="stable").reset_index(drop=True)


def _week_activities(
    world: World, days: np.ndarray, usable: np.ndarray, rng: np.random.Generator
) -> pd.DataFrame:
    """Plan activities (most get done), and record some done without a plan."""
    frame = world.people.frame
    marketing = (frame["role"] == "marketing").to_numpy()
    share = usable.sum(axis=1) / WORKDAYS
    n_plan = rng.poisson(np.where(marketing, 4.5, 0.8) * share)
    # Marketing people log something every week they work: their activities are their log.
    n_plan = np.where(marketing & (share > 0), np.maximum(n_plan, 1), n_plan)
    n_ad_hoc = rng.poisson(np.where(marketing, 1.0, 0.4) * share)
    everyone = frame.index.to_numpy()
    person = np.concatenate([np.repeat(everyone, n_plan), np.repeat(everyone, n_ad_hoc)])
    planned = np.arange(len(person)) < n_plan.sum()
    weekday = _spread(person, usable, rng)
    keep = weekday >= 0
    person, planned, day = person[keep], planned[keep], days[weekday][keep]
    n = len(person)
    done = ~planned | (rng.random(n) < world.people.traits["done"].to_numpy()[person])
    kind = np.where(
        marketing[person],
        rng.choice(len(ACTIVITY_TYPES), n, p=MARKETING_MIX),
        rng.choice(len(ACTIVITY_TYPES), n, p=SALES_MIX),
    )
    acts = pd.DataFrame({"day": day, "person": person, "kind": kind, "planned": planned, "done": done})
    acts["outlet"], acts["prospect"] = _activity_links(world, acts, rng)
    outcomes = np.array([pick(OUTCOMES[t], n, rng) for t in ACTIVITY_TYPES]).reshape(len(ACTIVITY_TYPES), n)
    acts["outcome"] = np.where(done, outcomes[kind, np.arange(n)], "")
    acts["notes"] = np.where(~done & (rng.random(n) < 0.8), pick(NOT_DONE_NOTES, n, rng), "")
    return acts.sort_values(["day", "person"], kind="stable").reset_index(drop=True)


def _activity_links(
    world: World, acts: pd.DataFrame, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Link visits to an outlet of the person's team, talks to a prospect already known."""
    n = len(acts)
    day = acts["day"].to_numpy()
    team = world.people.frame["team"].to_numpy()[acts["person"].to_numpy()]
    type_name = np.array(ACTIVITY_TYPES)[acts["kind"].to_numpy()]
    outlet = sample_groups(world.outlets["team"].to_numpy(), team, rng)
    opened = world.outlets["opened"].to_numpy()[np.maximum(outlet, 0)]
    use_outlet = np.isin(type_name, ["demo", "promotion", "follow_up"]) & (rng.random(n) < 0.5)
    outlet = np.where(use_outlet & (outlet >= 0) & (opened <= day), outlet, -1)
    # Prospects of the same team whose first event is on or before the activity's day.
    span = len(world.cal.labels) + 1
    key = world.prospects["team"].to_numpy() * span + world.prospects["created"].to_numpy()
    order = np.argsort(key, kind="stable")
    keys = key[order]
    lo = np.searchsorted(keys, team * span, "left")
    hi = np.searchsorted(keys, team * span + day, "right")
    pick = np.minimum(lo + (rng.random(n) * (hi - lo)).astype(int), max(len(order) - 1, 0))
    wants = (
        np.isin(type_name, ["follow_up", "demo", "meeting"])
        & (outlet < 0)
        & (rng.random(n) < 0.45)
        & (hi > lo)
    )
    prospect = np.where(wants, order[pick], -1) if len(order) else np.full(n, -1)
    return outlet, prospect
