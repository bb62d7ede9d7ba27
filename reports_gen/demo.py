"""Write a realistic synthetic data directory: an Indonesian distributor's sales team."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import holidays
import numpy as np
import pandas as pd

CALL_COLUMNS = ["date", "rep_id", "outlet_id", "planned", "visited", "order_value", "units",
                "no_order_reason", "notes"]
SALES_COLUMNS = ["date", "rep_id", "outlet_id", "order_value", "units", "channel", "notes"]
ACTIVITY_COLUMNS = ["date", "person_id", "type", "planned", "done", "outlet_id", "prospect_id",
                    "outcome", "notes"]
PROSPECT_COLUMNS = ["date", "prospect_id", "name", "owner_id", "source", "stage",
                    "expected_value", "outlet_id", "notes"]
OUTLET_COLUMNS = ["outlet_id", "name", "type", "area", "rep_id", "visits_per_week", "lat", "lon"]
WEEK_FILES = {"calls.csv": CALL_COLUMNS, "sales.csv": SALES_COLUMNS,
              "activities.csv": ACTIVITY_COLUMNS, "prospects.csv": PROSPECT_COLUMNS}

_WEEK_RE = re.compile(r"(\d{4})-W(\d{2})")
_NEVER = 10**7  # a day index after every date we generate (for people without `end`)
_WORKDAYS = 6  # Monday..Saturday
_OUTLET_TYPES = np.array(["store", "reseller", "buyer"], dtype=object)
_VISIT_FREQS = np.array([0.5, 1.0, 2.0, 3.0])
_BIWEEKLY = -1  # parity of a journey-plan slot visited every week


@dataclass(frozen=True)
class _Calendar:
    """Days from the start of the first quarter to the end of the last quarter of the range.

    Day indices count from `origin`; `first`..`last` is the generated range (whole ISO weeks).
    """

    origin: date
    first: int
    last: int
    weeks: int
    working: np.ndarray  # bool per day, by the rules config.yaml states
    labels: np.ndarray  # ISO date strings per day
    days_off: tuple[tuple[date, str], ...]  # company days off (holidays.extra)
    next_work: np.ndarray  # the first working day in the range on or after each day, else -1

    def day(self, index: int) -> date:
        """Return the date of a day index."""
        return self.origin + timedelta(days=int(index))

    def week_code(self, k: int) -> str:
        """Return the ISO week code of the k-th generated week."""
        year, week, _ = self.day(self.first + 7 * k).isocalendar()
        return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class _People:
    """Teams and people, with the behaviour each person shows in the data."""

    teams: pd.DataFrame  # id, name, lat, lon, manager (person index)
    frame: pd.DataFrame  # id, name, role, team (index), start, end (day indices)
    portfolio: np.ndarray  # whose outlets a person works (a leaver works their successor's)
    successor: dict[int, int]  # leaver -> the person who took over their outlets
    traits: pd.DataFrame  # ec, pjp, unplanned, done per person


@dataclass(frozen=True)
class _World:
    """Everything fixed before the weeks are generated, as arrays for vectorised lookups."""

    cal: _Calendar
    people: _People
    outlets: pd.DataFrame  # owner, team, kind, name, vpw, lat, lon, opened, size, price
    outlet_ids: np.ndarray
    slots: pd.DataFrame  # journey plan: outlet, weekday, parity
    prospects: pd.DataFrame  # one row per prospect: pid, owner, team, created
    events: pd.DataFrame  # one row per prospect event
    drift: np.ndarray  # (weeks, people) slow change of each person's effective-call ratio


def generate_demo_data(out: Path, *, people: int = 11, weeks: int = 26, seed: int = 1,
                       end_week: str = "2026-W47") -> None:
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
    cal = _build_calendar(_parse_week(end_week), weeks)
    out = Path(out)
    rng = np.random.default_rng(seed)
    staff = _build_people(people, cal, rng)
    outlets = _build_outlets(staff, rng)
    prospects, events = _build_prospects(staff, cal, rng)
    outlets, events = _open_won_outlets(outlets, prospects, events, staff, rng)
    drift = np.cumsum(rng.normal(0, 0.012, (weeks, len(staff.frame))), axis=0)
    world = _World(cal, staff, outlets, _outlet_ids(len(outlets)), _journey_plan(outlets),
                   prospects, events, drift)
    out.mkdir(parents=True, exist_ok=True)
    actuals = _write_weeks(out, world, rng)
    _write_config(out / "config.yaml", cal)
    _write_team(out / "team.yaml", staff, cal)
    _write_csv(out / "outlets.csv", _outlets_frame(world))
    _write_targets(out / "targets.yaml", world, actuals, rng)


def _parse_week(code: str) -> date:
    match = _WEEK_RE.fullmatch(code) if isinstance(code, str) else None
    if match:
        try:
            return date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass
    raise ValueError(f"end_week must be an ISO week such as 2026-W47, got {code!r}")


# -- calendar ----------------------------------------------------------------------------------


def _build_calendar(last_monday: date, weeks: int) -> _Calendar:
    try:
        first_monday = last_monday - timedelta(weeks=weeks - 1)
        origin = date(first_monday.year, 3 * ((first_monday.month - 1) // 3) + 1, 1)
    except (OverflowError, ValueError):
        raise ValueError(f"{weeks} weeks before {last_monday} is out of the calendar") from None
    range_end = last_monday + timedelta(days=6)
    span_end = _quarter_end(range_end)
    years = list(range(origin.year, span_end.year + 1))
    public = holidays.country_holidays("ID", years=years)
    days_off = _company_days_off(first_monday, range_end, public, years)
    closed = set(public) | {d for d, _ in days_off}
    n = (span_end - origin).days + 1
    dates = [origin + timedelta(days=i) for i in range(n)]
    working = np.array([d.weekday() < _WORKDAYS and d not in closed for d in dates])
    labels = np.array([d.isoformat() for d in dates], dtype=object)
    first, last = (first_monday - origin).days, (range_end - origin).days
    in_range = working.copy()
    in_range[:first] = in_range[last + 1:] = False
    candidates = np.where(in_range, np.arange(n), n)
    next_work = np.minimum.accumulate(candidates[::-1])[::-1]
    next_work = np.where(next_work < n, next_work, -1)
    return _Calendar(origin, first, last, weeks, working, labels, days_off, next_work)


def _quarter_end(day: date) -> date:
    month = 3 * ((day.month - 1) // 3) + 3
    return date(day.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _company_days_off(first: date, last: date, public: dict, years: list[int]
                      ) -> tuple[tuple[date, str], ...]:
    """Pick the government's cuti bersama in the range, plus the company's anniversary."""
    try:
        joint = holidays.country_holidays("ID", years=years, categories=("government",),
                                          language="id")
    except (NotImplementedError, ValueError, KeyError):  # an older `holidays` release
        joint = {}
    days = {d: str(name) for d, name in joint.items()
            if first <= d <= last and d.weekday() < _WORKDAYS and d not in public}
    anniversary = first + timedelta(weeks=((last - first).days // 7) * 3 // 5, days=4)
    if anniversary not in public and anniversary not in days:
        days[anniversary] = "HUT perusahaan"
    return tuple(sorted(days.items()))


# -- people ------------------------------------------------------------------------------------


def _build_people(n: int, cal: _Calendar, rng: np.random.Generator) -> _People:
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
    frame = pd.DataFrame({"id": _person_ids(names), "name": names, "role": roles, "team": team,
                          "start": start, "end": np.full(n, _NEVER)})
    teams = _teams(n_teams, frame)
    portfolio, successor = _handovers(frame, teams, cal)
    traits = pd.DataFrame({
        "ec": rng.uniform(0.45, 0.8, n),
        "pjp": np.where(rng.random(n) < 0.12, rng.uniform(0.78, 0.88, n), rng.uniform(0.9, 0.985, n)),
        "unplanned": rng.uniform(0.015, 0.06, n),
        "done": rng.uniform(0.7, 0.95, n),
        # Each rep's outlets cluster around a point of the team's area.
        "dlat": rng.normal(0, 0.04, n),
        "dlon": rng.normal(0, 0.04, n),
    })
    for person in successor.values():
        traits.loc[person, "ec"] = rng.uniform(0.4, 0.5)  # a new rep converts less at first
    return _People(teams, frame, portfolio, successor, traits)


def _person_names(n: int, rng: np.random.Generator) -> list[str]:
    """Draw full names, avoiding namesakes until a big company runs out of combinations."""
    names: list[str] = []
    seen: set[str] = set()
    tries = 0
    while len(names) < n:
        if rng.random() < 0.5:
            first, last = _MALE_FIRST, _MALE_LAST + _FAMILY
        else:
            first, last = _FEMALE_FIRST, _FEMALE_LAST + _FAMILY
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
        ident, name, lat, lon = _AREAS[t % len(_AREAS)]
        if t >= len(_AREAS):  # big companies split an area: Surabaya Timur 2
            round_ = t // len(_AREAS) + 1
            ident, name = f"{ident}-{round_}", f"{name} {round_}"
        sales = frame[(frame["team"] == t) & (frame["role"] == "sales")]
        # The longest-serving sales person leads the team.
        rows.append((ident, name, lat, lon, int(sales["start"].idxmin())))
    return pd.DataFrame(rows, columns=["id", "name", "lat", "lon", "manager"])


def _handovers(frame: pd.DataFrame, teams: pd.DataFrame, cal: _Calendar
               ) -> tuple[np.ndarray, dict[int, int]]:
    """Let a few reps leave mid-range and a newcomer take over their outlets weeks later."""
    portfolio = np.arange(len(frame))
    successor: dict[int, int] = {}
    n_pairs = (1 + len(frame) // 80) if len(frame) >= 6 else 0
    candidates = [frame.index[(frame["team"] == t) & (frame["role"] == "sales")
                              & (frame.index != teams.loc[t, "manager"])] for t in teams.index]
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


# -- outlets and journey plan ------------------------------------------------------------------


def _build_outlets(staff: _People, rng: np.random.Generator) -> pd.DataFrame:
    """Give each rep enough outlets for 22–31 planned visits per working day."""
    reps = [p for p in staff.frame.index
            if staff.frame.loc[p, "role"] == "sales" and staff.portfolio[p] == p]
    owners, freqs = [], []
    for rep in reps:
        weekly = _WORKDAYS * rng.uniform(22, 31)
        draw = rng.choice(_VISIT_FREQS, size=400, p=[0.05, 0.5, 0.35, 0.1])
        count = int(np.searchsorted(np.cumsum(draw), weekly)) + 1
        owners.append(np.full(count, rep))
        freqs.append(draw[:count])
    owner = np.concatenate(owners)
    kind = rng.choice(3, size=len(owner), p=[0.78, 0.14, 0.08])
    return _outlet_rows(owner, kind, np.concatenate(freqs), np.full(len(owner), -_NEVER),
                        _outlet_names(kind, rng), staff, rng)


def _outlet_rows(owner: np.ndarray, kind: np.ndarray, vpw: np.ndarray, opened: np.ndarray,
                 names: np.ndarray, staff: _People, rng: np.random.Generator) -> pd.DataFrame:
    n = len(owner)
    team = staff.frame["team"].to_numpy()[owner]
    lat = (staff.teams["lat"].to_numpy()[team] + staff.traits["dlat"].to_numpy()[owner]
           + rng.normal(0, 0.02, n))
    lon = (staff.teams["lon"].to_numpy()[team] + staff.traits["dlon"].to_numpy()[owner]
           + rng.normal(0, 0.02, n))
    size = (np.array([420_000, 1_600_000, 2_400_000])[kind] * rng.lognormal(0, 0.45, n)).clip(
        200_000, 4_000_000)
    price = rng.uniform(*np.array([[12_000, 35_000], [20_000, 45_000], [25_000, 60_000]])[kind].T)
    return pd.DataFrame({"owner": owner, "team": team, "kind": kind, "name": names, "vpw": vpw,
                         "lat": lat, "lon": lon, "opened": opened, "size": size, "price": price})


def _outlet_names(kind: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = len(kind)
    prefixes = [np.array(p, dtype=object) for p in _OUTLET_PREFIXES]
    prefix = np.empty(n, dtype=object)
    for k, options in enumerate(prefixes):
        mask = kind == k
        prefix[mask] = options[rng.integers(0, len(options), mask.sum())]
    core = _pick(_NAME_FIRST_WORDS, n, rng) + " " + _pick(_NAME_SECOND_WORDS, n, rng)
    owner_name = np.where(rng.random(n) < 0.5, "Bu " + _pick(_FEMALE_FIRST, n, rng),
                          "Pak " + _pick(_MALE_FIRST, n, rng))
    personal = np.isin(prefix, ["Toko", "Warung"]) & (rng.random(n) < 0.25)  # Warung Bu Siti
    return prefix + " " + np.where(personal, owner_name, core)


def _journey_plan(outlets: pd.DataFrame) -> pd.DataFrame:
    """Give every outlet fixed visit days, spreading each rep's load evenly over the week."""
    patterns = {3.0: [(0, 2, 4), (1, 3, 5)], 2.0: [(0, 3), (1, 4), (2, 5)],
                1.0: [(d,) for d in range(_WORKDAYS)]}
    rows: list[tuple[int, int, int]] = []
    loads: dict[int, list[list[float]]] = {}
    order = outlets.sort_values(["owner", "opened", "vpw"], ascending=[True, True, False],
                                kind="stable")
    for outlet, owner, vpw in zip(order.index, order["owner"], order["vpw"], strict=True):
        load = loads.setdefault(int(owner), [[0.0] * _WORKDAYS, [0.0] * _WORKDAYS])
        if vpw == 0.5:
            parity, day = min(((p, d) for p in (0, 1) for d in range(_WORKDAYS)),
                              key=lambda pd_: load[pd_[0]][pd_[1]])
            load[parity][day] += 1
            rows.append((int(outlet), day, parity))
            continue
        days = min(patterns[vpw], key=lambda ds: sum(load[0][d] + load[1][d] for d in ds))
        for day in days:
            load[0][day] += 1
            load[1][day] += 1
            rows.append((int(outlet), day, _BIWEEKLY))
    return pd.DataFrame(rows, columns=["outlet", "weekday", "parity"])


def _outlet_ids(n: int) -> np.ndarray:
    width = max(5, len(str(n)))
    return np.array([f"OUT-{i + 1:0{width}d}" for i in range(n)], dtype=object)


# -- prospects ---------------------------------------------------------------------------------


def _build_prospects(staff: _People, cal: _Calendar, rng: np.random.Generator
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
    prospects["name"] = _outlet_names(prospects["kind"].to_numpy(), rng)
    prospects["source"] = _pick(_SOURCES, n, rng, p=[0.2, 0.1, 0.15, 0.35, 0.2])
    prospects["value"] = _round_to(rng.lognormal(np.log(12e6), 0.6, n).clip(2e6, 150e6), 500_000)
    return prospects, _prospect_events(prospects, frame, cal, rng)


def _prospect_events(prospects: pd.DataFrame, frame: pd.DataFrame, cal: _Calendar,
                     rng: np.random.Generator) -> pd.DataFrame:
    n = len(prospects)
    u = rng.random((n, 4))
    reached = (u[:, 0] < 0.9).astype(int)
    reached += (reached == 1) & (u[:, 1] < 0.75)
    reached += (reached == 2) & (u[:, 2] < 0.7)
    final = np.where(reached == 3, np.where(u[:, 3] < 0.55, "won", "lost"),
                     np.where(u[:, 3] < 0.6, "lost", ""))  # the rest stall and go stale
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
        nxt = np.where((proposed >= 0) & (proposed <= cal.last),
                       cal.next_work[np.clip(proposed, 0, len(cal.next_work) - 1)], -1)
        days[:, j] = np.where((nxt >= 0) & (nxt <= end) & (stages[:, j] != ""), nxt, -1)
    keep = days >= 0
    rows, cols = np.nonzero(keep)
    stage = stages[rows, cols].astype(object)
    value = prospects["value"].to_numpy()[rows]
    revised = _round_to(value * rng.uniform(0.8, 1.2, len(rows)), 500_000)
    return pd.DataFrame({
        "day": days[rows, cols], "prospect": rows, "stage": stage,
        "value": np.where(cols == 0, value, np.where(np.isin(stage, ["proposal", "won"]), revised, -1)),
        "outlet": -1,
        "notes": _stage_notes(stage, rng),
    }).sort_values(["day", "prospect"], kind="stable").reset_index(drop=True)


def _stage_notes(stage: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    notes = np.full(len(stage), "", dtype=object)
    for name, texts in _STAGE_NOTES.items():
        mask = (stage == name) & (rng.random(len(stage)) < 0.8)
        notes[mask] = _pick(texts, int(mask.sum()), rng)
    return notes


def _open_won_outlets(outlets: pd.DataFrame, prospects: pd.DataFrame, events: pd.DataFrame,
                      staff: _People, rng: np.random.Generator
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn most won prospects into outlets a staying rep of the owner's team starts to visit."""
    frame = staff.frame
    stays = (frame["role"] == "sales") & (frame["end"] == _NEVER) & (staff.portfolio == frame.index)
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
    vpw = rng.choice(_VISIT_FREQS[1:3], size=len(kind), p=[0.7, 0.3])
    added = _outlet_rows(np.array(new_owner), kind, vpw, np.array(opened),
                         pros["name"].to_numpy(), staff, rng)
    outlets = pd.concat([outlets, added], ignore_index=True)
    events = events.copy()
    events.loc[new_events, "outlet"] = np.arange(len(outlets) - len(added), len(outlets))
    return outlets, events


# -- weeks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Actuals:
    """Per person and day: what the generated files add up to, to set realistic targets."""

    revenue: np.ndarray
    actual_calls: np.ndarray
    effective_calls: np.ndarray
    activities_done: np.ndarray


def _write_weeks(out: Path, world: _World, rng: np.random.Generator) -> _Actuals:
    shape = (len(world.people.frame), len(world.cal.labels))
    acc = _Actuals(*(np.zeros(shape) for _ in range(4)))
    for k in range(world.cal.weeks):
        days = world.cal.first + 7 * k + np.arange(7)
        # A rep who logs nothing on a day leaves no row at all that day (~1.5 % of days).
        gaps = rng.random((shape[0], 7)) < 0.015
        person = np.arange(shape[0])[:, None]
        usable = world.cal.working[days] & _active(world, person, days) & ~gaps
        calls = _week_calls(world, k, days, usable, rng)
        sales = _week_sales(world, days, usable, rng)
        acts = _week_activities(world, days, usable, rng)
        events = world.events[world.events["day"].between(days[0], days[-1])]
        _add(acc.revenue, calls, "rep", calls["value"])
        _add(acc.revenue, sales, "rep", sales["value"])
        _add(acc.actual_calls, calls, "rep", calls["visited"])
        _add(acc.effective_calls, calls, "rep", calls["value"] > 0)
        _add(acc.activities_done, acts, "person", acts["done"])
        folder = out / "weeks" / world.cal.week_code(k)
        folder.mkdir(parents=True, exist_ok=True)
        _write_csv(folder / "calls.csv", _calls_frame(world, calls))
        _write_csv(folder / "sales.csv", _sales_frame(world, sales))
        _write_csv(folder / "activities.csv", _activities_frame(world, acts))
        _write_csv(folder / "prospects.csv", _prospects_frame(world, events))
    return acc


def _add(total: np.ndarray, rows: pd.DataFrame, who: str, amount: pd.Series) -> None:
    np.add.at(total, (rows[who].to_numpy(), rows["day"].to_numpy()), amount.to_numpy(float))


def _active(world: _World, person: np.ndarray, day: np.ndarray) -> np.ndarray:
    frame = world.people.frame
    return (frame["start"].to_numpy()[person] <= day) & (day <= frame["end"].to_numpy()[person])


def _spread(person: np.ndarray, usable: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Put each row on one of its person's usable weekdays (-1 when the person has none)."""
    count = usable.sum(axis=1)[person]
    nth = (rng.random(len(person)) * count).astype(int)
    weekday = np.argmax(usable.cumsum(axis=1)[person] > nth[:, None], axis=1)
    return np.where(count > 0, weekday, -1)


def _week_calls(world: _World, k: int, days: np.ndarray, usable: np.ndarray,
                rng: np.random.Generator) -> pd.DataFrame:
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
    p_order = (traits["ec"].to_numpy()[rep] + world.drift[k, rep] + np.array([0, 0.05, -0.05])[kind]
               + 0.08 * ~planned)
    order = visited & (rng.random(n) < p_order.clip(0.05, 0.95))
    value, units = _order_amounts(world, outlet, 0.0, rng)
    calls["visited"] = visited
    calls["value"] = np.where(order, value, 0)
    calls["units"] = np.where(order, units, 0)
    calls["reason"] = np.where(visited & ~order & (rng.random(n) < 0.92),
                               _pick(_NO_ORDER_REASONS, n, rng), "")
    calls["notes"] = np.select(
        [~visited & (rng.random(n) < 0.85), order & (rng.random(n) < 0.06)],
        [_pick(_MISSED_VISIT_NOTES, n, rng), _pick(_ORDER_NOTES, n, rng)], "")
    return calls


def _planned_visits(world: _World, days: np.ndarray, usable: np.ndarray) -> pd.DataFrame:
    slots = world.slots
    parity = (world.cal.day(days[0]).toordinal() // 7) % 2
    slots = slots[(slots["parity"] == _BIWEEKLY) | (slots["parity"] == parity)]
    outlet, weekday = slots["outlet"].to_numpy(), slots["weekday"].to_numpy()
    day = days[weekday]
    rep = world.outlets["owner"].to_numpy()[outlet]
    # Before a newcomer starts, the rep who left worked these outlets.
    for leaver, newcomer in world.people.successor.items():
        rep = np.where((rep == newcomer) & (day < world.people.frame.loc[newcomer, "start"]),
                       leaver, rep)
    keep = usable[rep, weekday] & (world.outlets["opened"].to_numpy()[outlet] <= day)
    return pd.DataFrame({"day": day[keep], "rep": rep[keep], "outlet": outlet[keep],
                         "planned": True})


def _unplanned_visits(world: _World, plan: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Add visits off the plan: mostly own outlets, sometimes a colleague's (cross-rep)."""
    if plan.empty:
        return plan.iloc[0:0]
    base = plan.sort_values(["rep", "day"], kind="stable")
    reps, starts, counts = np.unique(base["rep"].to_numpy(), return_index=True, return_counts=True)
    n_extra = rng.poisson(world.people.traits["unplanned"].to_numpy()[reps] * counts)
    pick = np.repeat(starts, n_extra) + (rng.random(n_extra.sum()) * np.repeat(counts, n_extra)).astype(int)
    day, rep = base["day"].to_numpy()[pick], base["rep"].to_numpy()[pick]
    own = _sample_groups(world.outlets["owner"].to_numpy(), world.people.portfolio[rep], rng)
    team = world.people.frame["team"].to_numpy()[rep]
    colleague = _sample_groups(world.outlets["team"].to_numpy(), team, rng)
    outlet = np.where(rng.random(len(rep)) < 0.82, own, colleague)
    opened = world.outlets["opened"].to_numpy()
    keep = (outlet >= 0) & (opened[np.maximum(outlet, 0)] <= day)
    return pd.DataFrame({"day": day[keep], "rep": rep[keep], "outlet": outlet[keep],
                         "planned": False})


def _order_amounts(world: _World, outlet: np.ndarray, boost: float, rng: np.random.Generator
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Return order values in whole rupiah (multiples of 500 or 1000) and their units."""
    n = len(outlet)
    raw = world.outlets["size"].to_numpy()[outlet] * rng.lognormal(boost, 0.35, n).clip(0.4, 2.5)
    raw = np.where(raw < 150_000, rng.uniform(150_000, 250_000, n), raw)  # the minimum order
    step = np.where(rng.random(n) < 0.3, 500, 1000)
    value = _round_to(raw, step)
    units = np.maximum(1, np.rint(value / world.outlets["price"].to_numpy()[outlet])).astype(np.int64)
    return value, units


def _week_sales(world: _World, days: np.ndarray, usable: np.ndarray,
                rng: np.random.Generator) -> pd.DataFrame:
    """Orders by phone, chat or online shop from a rep's own outlets, a few a week."""
    frame = world.people.frame
    sellers = frame.index[frame["role"] == "sales"].to_numpy()
    rep = np.repeat(sellers, rng.poisson(0.37 * usable[sellers].sum(axis=1)))
    weekday = _spread(rep, usable, rng)
    outlet = _sample_groups(world.outlets["owner"].to_numpy(), world.people.portfolio[rep], rng)
    keep = (weekday >= 0) & (outlet >= 0)
    keep &= world.outlets["opened"].to_numpy()[np.maximum(outlet, 0)] <= days[weekday]
    rep, outlet, day = rep[keep], outlet[keep], days[weekday][keep]
    value, units = _order_amounts(world, outlet, 0.1, rng)
    n = len(rep)
    sales = pd.DataFrame({"day": day, "rep": rep, "outlet": outlet, "value": value, "units": units,
                          "channel": _pick(_CHANNELS, n, rng, p=[0.35, 0.5, 0.15]),
                          "notes": np.where(rng.random(n) < 0.3, _pick(_SALES_NOTES, n, rng), "")})
    return sales.sort_values(["day", "rep", "outlet"], kind="stable").reset_index(drop=True)


def _week_activities(world: _World, days: np.ndarray, usable: np.ndarray,
                     rng: np.random.Generator) -> pd.DataFrame:
    """Plan activities (most get done), and record some done without a plan."""
    frame = world.people.frame
    marketing = (frame["role"] == "marketing").to_numpy()
    share = usable.sum(axis=1) / _WORKDAYS
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
    kind = np.where(marketing[person], rng.choice(len(_ACTIVITY_TYPES), n, p=_MARKETING_MIX),
                    rng.choice(len(_ACTIVITY_TYPES), n, p=_SALES_MIX))
    acts = pd.DataFrame({"day": day, "person": person, "kind": kind, "planned": planned, "done": done})
    acts["outlet"], acts["prospect"] = _activity_links(world, acts, rng)
    outcomes = np.array([_pick(_OUTCOMES[t], n, rng) for t in _ACTIVITY_TYPES]).reshape(-1, n)
    acts["outcome"] = np.where(done, outcomes[kind, np.arange(n)] if n else "", "")
    acts["notes"] = np.where(~done & (rng.random(n) < 0.8), _pick(_NOT_DONE_NOTES, n, rng), "")
    return acts.sort_values(["day", "person"], kind="stable").reset_index(drop=True)


def _activity_links(world: _World, acts: pd.DataFrame, rng: np.random.Generator
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Link visits to an outlet of the person's team, talks to a prospect already known."""
    n = len(acts)
    day = acts["day"].to_numpy()
    team = world.people.frame["team"].to_numpy()[acts["person"].to_numpy()]
    type_name = np.array(_ACTIVITY_TYPES)[acts["kind"].to_numpy()]
    outlet = _sample_groups(world.outlets["team"].to_numpy(), team, rng)
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
    wants = (np.isin(type_name, ["follow_up", "demo", "meeting"]) & (outlet < 0)
             & (rng.random(n) < 0.45) & (hi > lo))
    prospect = np.where(wants, order[pick], -1) if len(order) else np.full(n, -1)
    return outlet, prospect


def _sample_groups(keys: np.ndarray, groups: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Pick a random member (index into `keys`) of each requested group; -1 for an empty one."""
    if len(keys) == 0 or len(groups) == 0:
        return np.full(len(groups), -1)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    lo = np.searchsorted(sorted_keys, groups, "left")
    hi = np.searchsorted(sorted_keys, groups, "right")
    pick = np.minimum(lo + (rng.random(len(groups)) * (hi - lo)).astype(int), len(order) - 1)
    return np.where(hi > lo, order[pick], -1)


# -- frames as written -------------------------------------------------------------------------


def _calls_frame(world: _World, calls: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "date": world.cal.labels[calls["day"].to_numpy()],
        "rep_id": world.people.frame["id"].to_numpy()[calls["rep"].to_numpy()],
        "outlet_id": world.outlet_ids[calls["outlet"].to_numpy()],
        "planned": np.where(calls["planned"], "ya", "tidak"),
        "visited": np.where(calls["visited"], "ya", "tidak"),
        "order_value": calls["value"].astype(np.int64),
        "units": calls["units"].astype(np.int64),
        "no_order_reason": calls["reason"],
        "notes": calls["notes"],
    }, columns=CALL_COLUMNS)


def _sales_frame(world: _World, sales: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "date": world.cal.labels[sales["day"].to_numpy()],
        "rep_id": world.people.frame["id"].to_numpy()[sales["rep"].to_numpy()],
        "outlet_id": world.outlet_ids[sales["outlet"].to_numpy()],
        "order_value": sales["value"].astype(np.int64),
        "units": sales["units"].astype(np.int64),
        "channel": sales["channel"],
        "notes": sales["notes"],
    }, columns=SALES_COLUMNS)


def _activities_frame(world: _World, acts: pd.DataFrame) -> pd.DataFrame:
    pids = world.prospects["pid"].to_numpy()
    return pd.DataFrame({
        "date": world.cal.labels[acts["day"].to_numpy()],
        "person_id": world.people.frame["id"].to_numpy()[acts["person"].to_numpy()],
        "type": np.array(_ACTIVITY_TYPES, dtype=object)[acts["kind"].to_numpy()],
        "planned": np.where(acts["planned"], "ya", "tidak"),
        "done": np.where(acts["done"], "ya", "tidak"),
        "outlet_id": _lookup(world.outlet_ids, acts["outlet"].to_numpy()),
        "prospect_id": _lookup(pids, acts["prospect"].to_numpy()),
        "outcome": acts["outcome"],
        "notes": acts["notes"],
    }, columns=ACTIVITY_COLUMNS)


def _prospects_frame(world: _World, events: pd.DataFrame) -> pd.DataFrame:
    pros = world.prospects.loc[events["prospect"].to_numpy()]
    first = (events["stage"] == "new").to_numpy()
    value = events["value"].to_numpy()
    return pd.DataFrame({
        "date": world.cal.labels[events["day"].to_numpy()],
        "prospect_id": pros["pid"].to_numpy(),
        "name": np.where(first, pros["name"].to_numpy(), ""),
        "owner_id": world.people.frame["id"].to_numpy()[pros["owner"].to_numpy()],
        "source": np.where(first, pros["source"].to_numpy(), ""),
        "stage": events["stage"].to_numpy(),
        "expected_value": pd.arrays.IntegerArray(np.maximum(value, 0).astype(np.int64), value < 0),
        "outlet_id": _lookup(world.outlet_ids, events["outlet"].to_numpy()),
        "notes": events["notes"].to_numpy(),
    }, columns=PROSPECT_COLUMNS)


def _outlets_frame(world: _World) -> pd.DataFrame:
    o = world.outlets
    return pd.DataFrame({
        "outlet_id": world.outlet_ids,
        "name": o["name"].to_numpy(),
        "type": _OUTLET_TYPES[o["kind"].to_numpy()],
        "area": world.people.teams["name"].to_numpy()[o["team"].to_numpy()],
        "rep_id": world.people.frame["id"].to_numpy()[o["owner"].to_numpy()],
        "visits_per_week": o["vpw"].map({0.5: "0.5", 1.0: "1", 2.0: "2", 3.0: "3"}),
        "lat": [f"{v:.6f}" for v in o["lat"]],
        "lon": [f"{v:.6f}" for v in o["lon"]],
    }, columns=OUTLET_COLUMNS)


def _lookup(ids: np.ndarray, index: np.ndarray) -> np.ndarray:
    if len(ids) == 0:
        return np.full(len(index), "", dtype=object)
    return np.where(index >= 0, ids[np.maximum(index, 0)], "")


def _write_csv(path: Path, frame: pd.DataFrame) -> None:
    frame.to_csv(path, index=False, lineterminator="\n")


# -- YAML files --------------------------------------------------------------------------------


def _write_config(path: Path, cal: _Calendar) -> None:
    extra = [f"    - {day.isoformat()}   # {name}" for day, name in cal.days_off]
    lines = [
        "# Settings of the sales performance site (demo data from `reports-gen demo-data`).",
        f"company: {_COMPANY}",
        "language: id                 # id | en",
        "currency: IDR",
        "# Field sales work Monday to Saturday.",
        "working_days: [mon, tue, wed, thu, fri, sat]",
        "holidays:",
        "  country: ID                # Indonesian public holidays (hari libur nasional)",
        *(["  extra:                     # company days off (cuti bersama, company events)",
           *extra] if extra else ["  extra: []"]),
        "  working: []                # days worked although weekend or holiday",
        "thresholds:",
        "  ec_ratio: 0.6              # effective calls / actual calls below this -> alert",
        "  pjp_rate: 0.9              # journey-plan compliance below this -> alert",
        "  coverage: 0.9              # share of assigned outlets visited below this -> alert",
        "  pace_at_risk: 0.9",
        "  stale_prospect_days: 14",
        "activity_types: [" + ", ".join(_ACTIVITY_TYPES) + "]",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_team(path: Path, staff: _People, cal: _Calendar) -> None:
    frame, ids = staff.frame, staff.frame["id"].to_numpy()
    lines = ["# Teams (one per sales area) and the people in them.", "teams:"]
    lines += [f"  - {{id: {t.id}, name: {t.name}, manager: {ids[t.manager]}}}"
              for t in staff.teams.itertuples()]
    lines.append("people:")
    team_ids = staff.teams["id"].to_numpy()
    for p in frame.itertuples():
        lines += [f"  - id: {p.id}", f"    name: {p.name}", f"    role: {p.role}",
                  f"    team: {team_ids[p.team]}", f"    start: {cal.day(p.start).isoformat()}"]
        if p.Index in staff.successor.values():
            lines[-1] += "   # new rep: took over the outlets of someone who left"
        if p.end != _NEVER:
            successor = ids[staff.successor[p.Index]]
            lines.append(f"    end: {cal.day(p.end).isoformat()}     # left; outlets now with {successor}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_targets(path: Path, world: _World, actuals: _Actuals, rng: np.random.Generator) -> None:
    path.write_text("\n".join(_target_lines(world, actuals, rng)) + "\n", encoding="utf-8")


# -- targets ---------------------------------------------------------------------------------


def _target_lines(world: _World, acc: _Actuals, rng: np.random.Generator) -> list[str]:
    """Set the targets a sales manager would set: steady, reachable, some missed, some beaten."""
    cal, frame = world.cal, world.people.frame
    ids, team_ids = frame["id"].to_numpy(), world.people.teams["id"].to_numpy()
    span = np.arange(len(cal.labels))
    workdays = (cal.working & (frame["start"].to_numpy()[:, None] <= span)
                & (span <= frame["end"].to_numpy()[:, None]))
    months = _periods(cal, months=True)
    growth = _growth_targets(world, acc, months, rng)
    sales = frame.index[frame["role"] == "sales"].to_numpy()
    lines = ["# Targets per period, scope and metric. Teams without their own target get the",
             "# sum of their people's targets, and the company the sum of its teams'.",
             "targets:", "  # Company revenue per quarter."]
    lines += _series(cal, _periods(cal, months=False), "company", "revenue",
                     acc.revenue.sum(axis=0), cal.working, rng)
    lines.append("  # Monthly revenue per sales person; some must beat last month by a margin.")
    lines += [f'  - {{period: {code}, scope: "person:{ids[p]}", metric: revenue, '
              f"growth: {pct}%, basis: previous}}" for code, p, pct in growth]
    for p in sales:
        skip = {code for code, q, _ in growth if q == p}
        lines += _series(cal, months, f"person:{ids[p]}", "revenue", acc.revenue[p], workdays[p],
                         rng, skip)
    # Every rep gets one, so team and company roll-ups compare like with like.
    lines.append("  # Effective-call targets for every rep, activity targets for marketing.")
    for p in sales:
        lines += _series(cal, months, f"person:{ids[p]}", "effective_calls", acc.effective_calls[p],
                         workdays[p], rng)
    for p in frame.index[frame["role"] == "marketing"]:
        lines += _series(cal, months, f"person:{ids[p]}", "activities_done",
                         acc.activities_done[p], workdays[p], rng)
    lines.append("  # New prospects per team and month.")
    created = np.zeros((len(team_ids), len(span)))
    np.add.at(created, (world.prospects["team"].to_numpy(), world.prospects["created"].to_numpy()), 1)
    for t, team in enumerate(team_ids):
        lines += _series(cal, months, f"team:{team}", "new_prospects", created[t], cal.working, rng)
    return lines


def _series(cal: _Calendar, periods: list[tuple[str, int, int]], scope: str, metric: str,
            actual: np.ndarray, workdays: np.ndarray, rng: np.random.Generator,
            skip: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Write one scope's targets: its pace over the range, times each period's working days.

    Each scope gets a fixed ambition (attainment 86-108 % on average) and targets creep up
    by about 1 % a period, as targets do.
    """
    seen = slice(cal.first, cal.last + 1)
    if workdays[seen].sum() == 0 or actual[seen].sum() == 0:
        return []
    rate = actual[seen].sum() / workdays[seen].sum() / rng.uniform(0.86, 1.08)
    scope_text = scope if scope == "company" else f'"{scope}"'
    lines = []
    for i, (code, lo, hi) in enumerate(periods):
        days = workdays[lo:hi + 1].sum()
        if code in skip or days == 0:
            continue
        value = _nice(rate * days * (1 + 0.01 * (i - len(periods) / 2)) * rng.uniform(0.97, 1.03))
        lines.append(f"  - {{period: {code}, scope: {scope_text}, metric: {metric}, value: {value}}}")
    return lines


def _periods(cal: _Calendar, *, months: bool) -> list[tuple[str, int, int]]:
    """List the months (or quarters) overlapping the range: (code, first day, last day)."""
    periods = []
    day = cal.day(cal.first)
    while (day - cal.origin).days <= cal.last:
        length = 1 if months else 3
        start = date(day.year, day.month if months else 3 * ((day.month - 1) // 3) + 1, 1)
        month_after = start.month + length - 1
        end = date(start.year + month_after // 12, month_after % 12 + 1, 1) - timedelta(days=1)
        code = f"{start:%Y-%m}" if months else f"{start.year}-Q{(start.month + 2) // 3}"
        periods.append((code, (start - cal.origin).days, (end - cal.origin).days))
        day = end + timedelta(days=1)
    return periods


def _nice(value: float) -> int:
    """Round to the three significant figures (in steps of five) a manager would write."""
    step = 5 * 10 ** max(0, len(str(int(value))) - 3) if value >= 1000 else 1
    return int(max(step, round(value / step) * step))


def _growth_targets(world: _World, acc: _Actuals, months: list[tuple[str, int, int]],
                    rng: np.random.Generator) -> list[tuple[str, int, int]]:
    """Pick reps whose last month's target is the month before plus a few percent.

    The basis month must lie wholly inside the range, so that it has data; when the range is
    too short for that, use the last week against the week before.
    """
    cal, frame = world.cal, world.people.frame
    stays = frame.index[(frame["role"] == "sales") & (frame["end"] == _NEVER)].to_numpy()
    if len(months) >= 2 and months[-2][1] >= cal.first:
        code, (_, lo, hi) = months[-1][0], months[-2]
        period_pick = stays[frame["start"].to_numpy()[stays] <= lo]
        period_pick = period_pick[acc.revenue[period_pick, lo:hi + 1].sum(axis=1) > 0][::4]
    elif cal.weeks >= 2:
        code, lo = cal.week_code(cal.weeks - 1), cal.first + 7 * (cal.weeks - 2)
        period_pick = stays[frame["start"].to_numpy()[stays] <= lo][:1]
        period_pick = period_pick[acc.revenue[period_pick, lo:lo + 7].sum(axis=1) > 0]
    else:
        return []
    return [(code, int(p), int(rng.choice([5, 8, 10, 12]))) for p in period_pick]


# -- small helpers -----------------------------------------------------------------------------


def _pick(options: list[str], n: int, rng: np.random.Generator, p: list[float] | None = None
          ) -> np.ndarray:
    return np.array(options, dtype=object)[rng.choice(len(options), size=n, p=p)]


def _round_to(values: np.ndarray, step: np.ndarray | int) -> np.ndarray:
    return np.maximum(step, np.rint(values / step) * step).astype(np.int64)


# -- words -------------------------------------------------------------------------------------

_COMPANY = "PT Sinar Nusantara Distribusi"
# (id, name, lat, lon) of East Java sales areas, most important first.
_AREAS = [
    ("sby-timur", "Surabaya Timur", -7.290, 112.780), ("sidoarjo", "Sidoarjo", -7.447, 112.718),
    ("malang-raya", "Malang Raya", -7.966, 112.633), ("sby-barat", "Surabaya Barat", -7.270, 112.670),
    ("gresik", "Gresik", -7.157, 112.655), ("sby-utara", "Surabaya Utara", -7.225, 112.738),
    ("sby-selatan", "Surabaya Selatan", -7.320, 112.725), ("mojokerto", "Mojokerto", -7.472, 112.434),
    ("pasuruan", "Pasuruan", -7.645, 112.907), ("jember", "Jember", -8.172, 113.700),
    ("kediri", "Kediri", -7.817, 112.012), ("madiun", "Madiun", -7.630, 111.523),
    ("banyuwangi", "Banyuwangi", -8.219, 114.369), ("probolinggo", "Probolinggo", -7.754, 113.216),
    ("lamongan", "Lamongan", -7.117, 112.417), ("jombang", "Jombang", -7.546, 112.233),
    ("blitar", "Blitar", -8.098, 112.168), ("tulungagung", "Tulungagung", -8.066, 111.902),
    ("bojonegoro", "Bojonegoro", -7.150, 111.882), ("tuban", "Tuban", -6.897, 112.064),
    ("batu", "Batu", -7.871, 112.527), ("lumajang", "Lumajang", -8.134, 113.222),
    ("bangkalan", "Bangkalan", -7.045, 112.738), ("pamekasan", "Pamekasan", -7.158, 113.482),
    ("sumenep", "Sumenep", -7.005, 113.859), ("nganjuk", "Nganjuk", -7.605, 111.904),
    ("ponorogo", "Ponorogo", -7.866, 111.463), ("ngawi", "Ngawi", -7.404, 111.446),
    ("magetan", "Magetan", -7.649, 111.332), ("situbondo", "Situbondo", -7.706, 114.009),
    ("bondowoso", "Bondowoso", -7.913, 113.822), ("trenggalek", "Trenggalek", -8.050, 111.708),
    ("malang-selatan", "Malang Selatan", -8.130, 112.570), ("pacitan", "Pacitan", -8.205, 111.093),
]
_MALE_FIRST = [
    "Andi", "Budi", "Agus", "Bambang", "Eko", "Hendra", "Joko", "Rizky", "Teguh", "Wahyu",
    "Yusuf", "Slamet", "Heru", "Arif", "Bayu", "Dodi", "Fajar", "Galih", "Hadi", "Irfan", "Reza",
    "Rudi", "Tono", "Yoga", "Zainal", "Ahmad", "Bagus", "Dimas", "Gilang", "Imam", "Lukman",
    "Rahmat", "Taufik", "Dedi", "Aditya", "Fikri", "Hasan", "Ilham", "Wawan", "Yohanes", "Kevin",
    "Hari", "Sugeng", "Anton", "Danang", "Ferry",
]
_FEMALE_FIRST = [
    "Rina", "Dewi", "Siti", "Fitri", "Indah", "Mega", "Putri", "Sri", "Yuni", "Dian", "Ratna",
    "Citra", "Ika", "Linda", "Maria", "Nanda", "Nia", "Sari", "Vina", "Wulan", "Yanti", "Anisa",
    "Endang", "Kartika", "Melati", "Novi", "Santi", "Wiwik", "Ayu", "Desi", "Eka", "Farida",
    "Intan", "Lia", "Maya", "Rani", "Tika", "Yulia", "Agustina", "Fransiska",
]
_MALE_LAST = [
    "Saputra", "Pratama", "Setiawan", "Hidayat", "Nugroho", "Wibowo", "Susanto", "Gunawan",
    "Hartono", "Purnomo", "Utomo", "Prasetyo", "Kurniawan", "Firmansyah", "Maulana", "Ramadhan",
    "Hakim", "Suryadi", "Darmawan", "Irawan", "Hermawan",
]
_FEMALE_LAST = [
    "Rahayu", "Handayani", "Wahyuni", "Lestari", "Wulandari", "Anggraini", "Puspitasari",
    "Oktaviani", "Permatasari", "Kusumawati", "Safitri", "Maharani", "Susanti", "Rahmawati",
]
_FAMILY = ["Santoso", "Wijaya", "Kusuma", "Halim", "Tanjung", "Siregar", "Sutanto", "Hasibuan"]
# Name prefixes per outlet type: store, reseller, buyer.
_OUTLET_PREFIXES = [
    ["Toko", "Toko", "Toko", "Toko", "Warung", "Minimarket", "Toko Kelontong"],
    ["UD", "UD", "Grosir", "Agen", "Toko Grosir"],
    ["CV", "PT", "Koperasi", "Rumah Makan", "Katering", "Hotel"],
]
_NAME_FIRST_WORDS = [
    "Sumber", "Sinar", "Maju", "Karya", "Mitra", "Sri", "Cahaya", "Harapan", "Bintang", "Mega",
    "Putra", "Tunas", "Surya", "Berkah", "Setia", "Rukun", "Dwi", "Tri", "Usaha", "Lancar",
]
_NAME_SECOND_WORDS = [
    "Jaya", "Rejeki", "Makmur", "Abadi", "Sentosa", "Mulia", "Baru", "Utama", "Mandiri",
    "Bersama", "Sejahtera", "Agung", "Lestari", "Indah", "Barokah", "Anugerah", "Santoso", "Murni",
]
_NO_ORDER_REASONS = [
    "Stok masih ada", "Stok masih ada", "Stok masih ada", "Pemilik tidak ada", "Pemilik tidak ada",
    "Belum butuh", "Menunggu tagihan lunas", "Harga kurang cocok", "Sudah order lewat telepon",
    "Uang belum ada", "Toko sedang renovasi", "Tunggu promo bulan depan",
]
_MISSED_VISIT_NOTES = [
    "Toko tutup", "Toko tutup", "Hujan deras", "Waktu tidak cukup", "Motor mogok",
    "Jalan banjir", "Rapat di kantor", "Macet parah", "Izin sakit setengah hari",
]
_ORDER_NOTES = [
    "Bayar tunai", "Tempo 14 hari", "Promo beli 10 gratis 1", "Coba produk baru",
    "Minta kirim besok pagi", "Tambah varian baru",
]
_CHANNELS = ["telepon", "whatsapp", "online"]
_SALES_NOTES = ["Repeat order", "Kirim besok", "Pesan lewat grup WA", "Transfer lunas",
                "Order lewat admin"]
_SOURCES = ["referral", "pameran", "instagram", "kunjungan", "whatsapp"]
_ACTIVITY_TYPES = ["demo", "promotion", "event", "campaign", "social_media", "follow_up",
                   "meeting", "training"]
_MARKETING_MIX = [0.15, 0.2, 0.1, 0.12, 0.18, 0.1, 0.1, 0.05]
_SALES_MIX = [0.15, 0.1, 0.02, 0.0, 0.03, 0.4, 0.2, 0.1]
_OUTCOMES = {
    "demo": ["Demo produk baru - respon positif", "Pemilik minta sampel tambahan",
             "Demo di 4 toko sekitar pasar", "Tertarik tapi tunggu harga baru"],
    "promotion": ["Pasang banner dan POSM", "Program diskon 5% berjalan",
                  "Display produk di rak depan", "Bagi brosur ke pelanggan toko"],
    "event": ["Gathering retailer 30 peserta", "Booth di pasar malam",
              "Sponsor acara 17-an kampung", "Temu pelanggan grosir"],
    "campaign": ["Program poin loyalitas diluncurkan", "Kupon undian dibagikan",
                 "Promo bundling bulan ini", "Kampanye produk baru ke 40 toko"],
    "social_media": ["Posting Instagram - 1.250 jangkauan", "Story WhatsApp ke 80 kontak",
                     "Iklan Facebook lokal berjalan", "Video produk di TikTok"],
    "follow_up": ["Penawaran dikirim ulang", "Janji bertemu minggu depan",
                  "Tagihan sudah dibayar", "Pelanggan setuju coba order kecil"],
    "meeting": ["Rapat mingguan tim", "Evaluasi target bulanan", "Koordinasi stok dengan gudang",
                "Bahas program promo bulan depan"],
    "training": ["Pelatihan product knowledge", "Pelatihan teknik closing",
                 "Latihan aplikasi order", "Pelatihan merchandising"],
}
_NOT_DONE_NOTES = ["Ditunda ke minggu depan", "Bentrok dengan jadwal kunjungan",
                   "Pemilik toko berhalangan", "Materi belum siap", "Cuaca buruk"]
_STAGE_NOTES = {
    "new": ["Kenalan saat kunjungan", "Dapat kontak dari pelanggan", "Tertarik setelah lihat promo",
            "Mampir ke booth pameran", "Tanya harga lewat WhatsApp"],
    "contacted": ["Sudah dihubungi lewat WhatsApp", "Kunjungan perkenalan", "Kirim katalog"],
    "qualified": ["Kebutuhan rutin tiap minggu", "Punya 2 cabang", "Siap coba order kecil"],
    "proposal": ["Kirim penawaran harga", "Negosiasi tempo pembayaran", "Penawaran paket grosir"],
    "won": ["Order pertama masuk", "Setuju jadi pelanggan tetap"],
    "lost": ["Pilih distributor lain", "Harga kurang bersaing", "Belum ada anggaran",
             "Toko tutup permanen"],
}
