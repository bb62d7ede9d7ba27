"""Manager insights from the computed report: outlet histories, rankings, no-order reasons,
order channels and open prospects. Pure functions: frames in, frames out, no I/O.

Every figure here is derived from the dataset's rows and the metrics already computed
(weekly metrics, facts, target plan, alerts); pages only format what these functions return.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from reports_gen.dataset.dataset import Dataset
from reports_gen.dataset.schema import CLOSED_STAGES
from reports_gen.metrics.grouping import CodedKey, grouped_agg, grouped_sum
from reports_gen.metrics.periods import ratio
from reports_gen.metrics.prospects import pipeline
from reports_gen.metrics.weekly import Metrics, missed_calls
from reports_gen.workcalendar import parse_week

HISTORY_WEEKS = 13  # an outlet's visit history covers its last 13 week folders up to D
RANKED = ("attainment", "ec_ratio", "pjp_rate", "revenue")
CHANNELS = ("visit", "phone", "whatsapp", "online", "other")
# Written channel words (case-insensitive) -> channel; anything else is "other".
CHANNEL_WORDS = {
    "phone": "phone",
    "telepon": "phone",
    "telpon": "phone",
    "telp": "phone",
    "tel": "phone",
    "call": "phone",
    "whatsapp": "whatsapp",
    "wa": "whatsapp",
    "chat": "whatsapp",
    "online": "online",
    "web": "online",
    "website": "online",
    "marketplace": "online",
    "e-commerce": "online",
    "ecommerce": "online",
    "app": "online",
    "aplikasi": "online",
    "visit": "visit",
    "kunjungan": "visit",
}
OTHER = "__other__"  # reason key of the long tail grouped as "other"
UNSTATED = "__unstated__"  # reason key of a visit without an order and without a reason


@dataclass(frozen=True)
class OutletHistory:
    """Each outlet's history as of D.

    `summary`: one row per outlet (index outlet_id): name, type, area, rep_id, visits_per_week,
    last_visit, days_since, overdue, visits, orders, revenue, call_revenue, drop_size (over the
    history weeks).
    `visits`: the calls of the history weeks up to D: outlet_id, date, week, rep_id, outcome
    (visited / missed / unplanned / pending), order_value, units, no_order_reason.
    `weekly`: revenue per outlet and history week (calls and sales): outlet_id, week, revenue.
    """

    weeks: tuple[str, ...]
    summary: pd.DataFrame
    visits: pd.DataFrame
    weekly: pd.DataFrame

    def of(self, outlet_ids: pd.Index) -> OutletHistory:
        """The history of these outlets only (in this order), its rows in the same order as here."""
        return OutletHistory(
            self.weeks,
            self.summary.loc[outlet_ids],
            self.visits[self.visits["outlet_id"].isin(outlet_ids)].reset_index(drop=True),
            self.weekly[self.weekly["outlet_id"].isin(outlet_ids)].reset_index(drop=True),
        )


def history_weeks(ds: Dataset, as_of: dt.date, count: int = HISTORY_WEEKS) -> tuple[str, ...]:
    """Return the week folders among the `count` calendar weeks up to D's week (D's week included)."""
    monday = as_of - dt.timedelta(days=as_of.weekday())
    first = monday - dt.timedelta(weeks=count - 1)
    return tuple(w for w in ds.weeks if first <= parse_week(w).start <= as_of)


def outlet_history(ds: Dataset, metrics: Metrics, alerts: pd.DataFrame) -> OutletHistory:
    """Summarise every outlet's visits, orders and revenue over the history weeks up to D."""
    day = pd.Timestamp(metrics.as_of)
    weeks = history_weeks(ds, metrics.as_of)
    needed = ["date", "week", "rep_id", "outlet_id", "no_order_reason", "planned", "visited"]
    needed += ["order_value", "units", "reported"]  # not the notes, nor the source file and line
    outlet = CodedKey(ds.calls["outlet_id"])  # every call's outlet coded once, for all the sums below
    shown = (ds.calls["week"].isin(weeks) & (ds.calls["date"] <= day)).to_numpy()
    calls = ds.calls.loc[shown, needed]
    sales = ds.sales[ds.sales["week"].isin(weeks) & (ds.sales["date"] <= day)]
    # missed: the metrics layer's one rule (planned, reported, not made); a blank outcome is pending
    missed = calls.index.isin(missed_calls(calls, metrics.as_of).index)
    # the four words taken from one array: every row holds one of four string objects, whose
    # hashes are worked out once (pages group by outcome), not a new string per row
    outcome = np.array(["visited", "unplanned", "missed", "pending"], dtype=object)[
        np.select([calls["visited"] & calls["planned"], calls["visited"], missed], [0, 1, 2], 3)
    ]
    visits = calls.assign(outcome=outcome)[
        ["outlet_id", "date", "week", "rep_id", "outcome", "order_value", "units", "no_order_reason"]
    ]
    visits = visits.iloc[_visit_order(outlet.codes[shown], calls)].reset_index(drop=True)
    # An unplanned visit is still a visit; "pending" (not reported yet) is neither.
    seen = (ds.calls["visited"] & (ds.calls["date"] <= day)).to_numpy()
    last = outlet.max(ds.calls["date"], seen)
    revenue = pd.concat(
        [calls[["outlet_id", "week", "order_value"]], sales[["outlet_id", "week", "order_value"]]]
    )
    weekly = grouped_sum(revenue, ["outlet_id", "week"], "order_value")
    weekly = weekly.rename(columns={"order_value": "revenue"})
    outlets = ds.outlets.set_index("outlet_id")
    summary = outlets[["name", "type", "area", "rep_id", "visits_per_week"]].copy()
    ids = summary.index
    summary["last_visit"] = last.reindex(ids)
    summary["days_since"] = (day - summary["last_visit"]).dt.days
    overdue = alerts.loc[alerts["kind"] == "overdue_outlet", "outlet_id"]
    summary["overdue"] = ids.isin(overdue)
    visited = shown & ds.calls["visited"].to_numpy()
    summary["visits"] = outlet.size(visited).reindex(ids).fillna(0)
    orders = visited & (ds.calls["order_value"] > 0).to_numpy()
    summary["orders"] = outlet.size(orders).reindex(ids).fillna(0)
    summary["call_revenue"] = outlet.sum(ds.calls["order_value"], orders).reindex(ids).fillna(0)
    summary["revenue"] = CodedKey(weekly["outlet_id"]).sum(weekly["revenue"]).reindex(ids).fillna(0)
    summary["drop_size"] = ratio(summary["call_revenue"], summary["orders"])
    return OutletHistory(weeks, summary, visits, weekly)


def _visit_order(outlets: np.ndarray, calls: pd.DataFrame) -> np.ndarray:
    """The positions of calls.sort_values(["outlet_id", "date", "rep_id"], kind="stable") (missing
    values last), from the outlets' codes (ranked as the ids sort, -1 missing)."""
    last = np.iinfo(np.int64).max
    outlet = np.where(outlets < 0, last, outlets)
    dates = calls["date"].to_numpy()
    day = np.where(np.isnat(dates), last, dates.view(np.int64))
    reps = pd.factorize(calls["rep_id"].to_numpy(dtype=object), sort=True)[0]
    rep = np.where(reps < 0, last, reps)
    return np.lexsort((rep, day, outlet))


def week_visit_map(ds: Dataset, as_of: dt.date) -> pd.DataFrame:
    """Return the outlets with lat/lon and their status in D's week: visited, missed or not_planned.

    Visited: at least one actual call that week (up to D); missed: a planned visit reported as
    not made (metrics.weekly.missed_calls); not_planned: neither.
    Columns: outlet_id, name, rep_id, lat, lon, status.
    """
    columns = ["outlet_id", "name", "rep_id", "lat", "lon", "status"]
    if "lat" not in ds.outlets or "lon" not in ds.outlets:
        return pd.DataFrame(columns=columns)
    day = pd.Timestamp(as_of)
    start = day - pd.Timedelta(days=day.weekday())
    calls = ds.calls[(ds.calls["date"] >= start) & (ds.calls["date"] <= day)]
    visited = set(calls.loc[calls["visited"], "outlet_id"])
    missed = set(missed_calls(calls, as_of)["outlet_id"])  # a visit not reported yet is not missed
    outlets = ds.outlets[ds.outlets["lat"].notna() & ds.outlets["lon"].notna()]
    ids = outlets["outlet_id"]
    status = np.select([ids.isin(visited), ids.isin(missed)], ["visited", "missed"], "not_planned")
    return outlets.assign(status=status)[columns].reset_index(drop=True)


# -- rankings ------------------------------------------------------------------------------------


def person_months(metrics: Metrics) -> pd.DataFrame:
    """Return the ranked metrics of every person per calendar month up to D (summed counts)."""
    facts = metrics.facts[metrics.facts["date"] <= pd.Timestamp(metrics.as_of)]
    facts = facts.assign(month=_months(facts["date"]))
    counts = [
        "revenue",
        "actual_calls",
        "effective_calls",
        "planned_visited",
        "planned_calls",
        "working_days",
    ]
    frame = grouped_agg(facts, ["month", "person_id"], {c: (c, "sum") for c in counts})
    effective = metrics.targets.effective
    revenue = effective[(effective["metric"] == "revenue") & (effective["scope"] == "person")]
    revenue = revenue[revenue["date"] <= pd.Timestamp(metrics.as_of)]
    targets = (
        revenue.assign(month=_months(revenue["date"]))  # empty: object dtype
        .groupby(["month", "id"])["target"]
        .sum()
        .rename("revenue_target")
    )
    frame["revenue_target"] = targets.reindex(
        pd.MultiIndex.from_frame(frame[["month", "person_id"]])
    ).to_numpy()
    frame["attainment"] = ratio(frame["revenue"], frame["revenue_target"])
    frame["ec_ratio"] = ratio(frame["effective_calls"], frame["actual_calls"])
    frame["pjp_rate"] = ratio(frame["planned_visited"], frame["planned_calls"])
    return frame.rename(columns={"month": "period"})


def _months(dates: pd.Series) -> pd.Series:
    """Return pd.to_datetime(dates).dt.strftime("%Y-%m"): each distinct month written once."""
    days = pd.to_datetime(dates)
    month = days.to_numpy().astype("datetime64[M]")
    _, first, inverse = np.unique(month, return_index=True, return_inverse=True)
    text = days.iloc[first].dt.strftime("%Y-%m").iloc[inverse.reshape(-1)]
    text.index = dates.index
    return text


def person_weeks(metrics: Metrics) -> pd.DataFrame:
    """Return the weekly metrics of every person with the week as `period`."""
    weekly = metrics.weekly[metrics.weekly["scope"] == "person"]
    return weekly.rename(columns={"week": "period", "id": "person_id"}).reset_index(drop=True)


def rank_people(frame: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """Rank sales people who worked in each period by RANKED, with the change against the period before.

    `frame` has period, person_id and the RANKED columns. Rank 1 is the highest value; ties
    share the best rank; an undefined value has no rank. `change_<m>` is the previous period's
    rank minus this one (positive: moved up), empty when either is missing.
    """
    sales = people.index[people["role"] == "sales"]
    ranked = frame[frame["person_id"].isin(sales) & (frame["working_days"] > 0)].copy()
    ranked["team"] = people["team"].reindex(ranked["person_id"]).to_numpy()
    periods = sorted(ranked["period"].unique())
    previous = dict(zip(periods[1:], periods[:-1], strict=True))
    for metric in RANKED:
        ranked[f"rank_{metric}"] = ranked.groupby("period")[metric].rank(method="min", ascending=False)
    before = ranked[["period", "person_id", *(f"rank_{m}" for m in RANKED)]].copy()
    before["period"] = before["period"].map({p: n for n, p in previous.items()})
    before = before.dropna(subset=["period"]).rename(columns={f"rank_{m}": f"before_{m}" for m in RANKED})
    ranked = ranked.merge(before, on=["period", "person_id"], how="left")
    for metric in RANKED:
        ranked[f"change_{metric}"] = ranked[f"before_{metric}"] - ranked[f"rank_{metric}"]
    keep = ["period", "person_id", "team", *RANKED]
    keep += [f"{kind}_{m}" for m in RANKED for kind in ("rank", "change")]
    order = ["period", "rank_attainment", "rank_revenue", "person_id"]
    return ranked.sort_values(order, na_position="last", kind="stable")[keep].reset_index(drop=True)


# -- no-order reasons and order channels -----------------------------------------------------------


def no_order_reasons(ds: Dataset, people: pd.DataFrame) -> pd.DataFrame:
    """Return visits without an order by week, team, person and reason (grouped case-insensitively).

    Columns: week, team, person_id, reason (the grouping key), label (the most used spelling),
    count. A visit without an order and without a reason counts under UNSTATED.
    """
    # the three columns needed, not every column of a million calls
    calls = ds.calls.loc[
        ds.calls["visited"] & (ds.calls["order_value"] <= 0), ["week", "rep_id", "no_order_reason"]
    ]
    # normalise each distinct spelling once (a large company has a million calls, a few dozen reasons)
    codes, spellings = pd.factorize(calls["no_order_reason"].fillna("").astype(str))
    tidy = pd.Series(spellings).str.split().str.join(" ")
    folded = tidy.str.casefold().where(tidy != "", UNSTATED)
    text = pd.Series(tidy.to_numpy()[codes], index=calls.index)
    key = pd.Series(folded.to_numpy()[codes], index=calls.index)
    frame = pd.DataFrame({"week": calls["week"], "person_id": calls["rep_id"], "reason": key, "label": text})
    # each spelling's visits counted on the codes, then summed per reason and tidy label
    spelled = pd.DataFrame(
        {"reason": folded.to_numpy(), "label": tidy.to_numpy(), "n": np.bincount(codes, minlength=len(tidy))}
    )
    spelling = (
        spelled[spelled["reason"] != UNSTATED]
        .groupby(["reason", "label"])["n"]
        .sum()
        .reset_index(name="n")
        .sort_values(["reason", "n", "label"], ascending=[True, False, True])
        .drop_duplicates("reason")
        .set_index("reason")["label"]
    )
    counts = grouped_agg(frame, ["week", "person_id", "reason"], {"count": ("week", "size")})
    counts["label"] = spelling.reindex(counts["reason"]).fillna("").to_numpy()
    counts["team"] = people["team"].reindex(counts["person_id"]).to_numpy()
    return counts[["week", "team", "person_id", "reason", "label", "count"]]


def pareto(reasons: pd.DataFrame, top: int = 5, by: list[str] | None = None) -> pd.DataFrame:
    """Sum reasons, keep the `top` most frequent and group the rest as OTHER; add share and cumulative share.

    With `by` (e.g. ["week", "team"]), one Pareto per group, all at once. Columns: *by, reason,
    label, count, share, cumulative; per group largest first, OTHER last.
    """
    keys = list(by or [])
    columns = [*keys, "reason", "label", "count", "share", "cumulative"]
    if reasons.empty:
        return pd.DataFrame(columns=columns)
    summed = reasons.groupby([*keys, "reason", "label"], as_index=False)["count"].sum()
    summed = summed.sort_values([*keys, "count", "label"], ascending=[*[True] * len(keys), False, True])
    position = summed.groupby(keys).cumcount() if keys else pd.Series(range(len(summed)), index=summed.index)
    head = summed[position < top]
    tail = summed[position >= top]
    if len(tail):
        rest = (
            tail.groupby(keys, as_index=False)["count"].sum()
            if keys
            else pd.DataFrame({"count": [tail["count"].sum()]})
        )
        head = pd.concat([head, rest.assign(reason=OTHER, label="")], ignore_index=True)
        head = head.assign(_o=(head["reason"] == OTHER).astype(int))
        head = head.sort_values([*keys, "_o"], kind="stable").drop(columns="_o")
    total = head.groupby(keys)["count"].transform("sum") if keys else head["count"].sum()
    head = head.assign(share=head["count"] / total)
    head["cumulative"] = head.groupby(keys)["share"].cumsum() if keys else head["share"].cumsum()
    return head[columns].reset_index(drop=True)


def order_channels(ds: Dataset, people: pd.DataFrame) -> pd.DataFrame:
    """Return orders and revenue per week, team and channel (CHANNELS).

    An order taken on a visit (an effective call) is "visit"; a sales.csv row's channel is read
    case-insensitively through CHANNEL_WORDS, anything else is "other".
    """
    calls = ds.calls.loc[
        ds.calls["visited"] & (ds.calls["order_value"] > 0), ["week", "rep_id", "order_value"]
    ]
    sales = ds.sales
    channel = sales["channel"].fillna("").astype(str).str.strip().str.casefold().map(CHANNEL_WORDS)
    frame = pd.concat(
        [
            pd.DataFrame(
                {
                    "week": calls["week"],
                    "person_id": calls["rep_id"],
                    "channel": "visit",
                    "revenue": calls["order_value"],
                }
            ),
            pd.DataFrame(
                {
                    "week": sales["week"],
                    "person_id": sales["rep_id"],
                    "channel": channel.fillna("other"),
                    "revenue": sales["order_value"],
                }
            ),
        ],
        ignore_index=True,
    )
    frame["team"] = _teams_of(frame["person_id"], people)
    aggs = {"orders": ("revenue", "size"), "revenue": ("revenue", "sum")}
    return grouped_agg(frame, ["week", "team", "channel"], aggs)


def _teams_of(person_ids: pd.Series, people: pd.DataFrame) -> np.ndarray:
    """people["team"].reindex(person_ids).to_numpy(): each distinct person looked up once."""
    codes, ids = pd.factorize(person_ids.to_numpy(dtype=object))
    teams = people["team"].reindex(pd.Index(ids, dtype=person_ids.dtype)).to_numpy()
    found = teams.take(np.where(codes >= 0, codes, 0)) if len(teams) else teams
    if (codes < 0).any():  # a missing person: no team
        found = people["team"].reindex(person_ids).to_numpy()
    return found


def channel_mix(channels: pd.DataFrame, weeks: list[str], team: str | None = None) -> pd.DataFrame:
    """Return one row per week with orders per channel and the share of revenue per channel."""
    frame = channels if team is None else channels[channels["team"] == team]
    return channel_shares(frame.assign(team=""), weeks).drop(columns="team")


def channel_shares(channels: pd.DataFrame, weeks: list[str]) -> pd.DataFrame:
    """Return one row per week and team: orders_<channel>, share_<channel> (of revenue), revenue."""
    frame = channels[channels["week"].isin(weeks)]
    teams = sorted(frame["team"].dropna().unique()) or [""]
    grid = pd.MultiIndex.from_product([weeks, teams], names=["week", "team"])
    orders = frame.pivot_table(index=["week", "team"], columns="channel", values="orders", aggfunc="sum")
    revenue = frame.pivot_table(index=["week", "team"], columns="channel", values="revenue", aggfunc="sum")
    orders = orders.reindex(index=grid, columns=list(CHANNELS)).fillna(0)
    revenue = revenue.reindex(index=grid, columns=list(CHANNELS)).fillna(0)
    total = revenue.sum(axis=1)
    out = orders.add_prefix("orders_")
    for channel in CHANNELS:
        out[f"share_{channel}"] = ratio(revenue[channel], total)
    out["revenue"] = total
    return out.reset_index()


# -- prospects -----------------------------------------------------------------------------------


def open_pipeline(ds: Dataset, metrics: Metrics) -> pd.DataFrame:
    """Return open prospects as of D: owner, stage, age and idle days, expected value, flags.

    `owner_left`: the owner's last working day is before D (or the owner is unknown), so the
    prospect needs a new owner. `open` and `stale` are metrics.prospects.prospect_summary's
    (metrics.prospects); `idle_days` is its age_days (days since the latest event) and
    `age_days` here counts from the first event.
    """
    day = pd.Timestamp(metrics.as_of)
    summary = metrics.prospects
    open_ = summary[summary["open"]].copy()
    people = metrics.people
    end = people["end"].reindex(open_["owner_id"]).to_numpy()
    known = open_["owner_id"].isin(people.index).to_numpy()
    open_["idle_days"] = open_["age_days"]
    open_["age_days"] = (day - open_["first_date"]).dt.days
    open_["owner_left"] = ~known | (pd.notna(end) & (pd.to_datetime(end) < day))
    open_["team"] = people["team"].reindex(open_["owner_id"]).fillna("").to_numpy()
    return open_.sort_values(["owner_id", "expected_value"], ascending=[True, False], kind="stable")


def funnel(ds: Dataset, metrics: Metrics) -> pd.DataFrame:
    """Return prospects per latest stage as of D: stage, group (open / closed), count, value."""
    funnel = pipeline(metrics.prospects)  # the metrics layer's pipeline, in STAGES order
    funnel["group"] = np.where(funnel["stage"].isin(CLOSED_STAGES), "closed", "open")
    return funnel[["stage", "group", "count", "value"]]


def is_missing(value: object) -> bool:
    """Tell whether a figure is undefined (None or NaN)."""
    return value is None or (isinstance(value, float) and math.isnan(value))
