"""Daily facts: one row per person and day with every additive count the metrics need."""

from __future__ import annotations

import pandas as pd

from reports_gen.dataset.dataset import Dataset
from reports_gen.metrics.prospects import prospect_counts
from reports_gen.workcalendar import person_days, week_codes

# Additive daily counts, summed over days and over people for any window and scope.
COUNTS = (
    "revenue",
    "units",
    "call_revenue",
    "actual_calls",
    "effective_calls",
    "planned_calls",
    "planned_visited",
    "missed_calls",
    "unplanned_calls",
    "activities_done",
    "activities_planned",
    "activities_missed",
    "activities_planned_done",
    "new_prospects",
    "prospects_won",
    "prospects_lost",
    "working_days",
    "active_days",
)


def daily_facts(ds: Dataset, people: pd.DataFrame) -> pd.DataFrame:
    """Return one row per person and day of every week folder with every count of COUNTS."""
    grid = person_days(people, ds.config.calendar, ds.first_day, ds.last_day)
    grid["week"] = week_codes(grid["date"])
    grid = grid[grid["week"].isin(ds.weeks)]  # a week without a folder has no data, not a gap in it
    parts = [
        _call_counts(ds.calls),
        _sales_counts(ds.sales),
        _activity_counts(ds.activities),
        prospect_counts(ds.prospects),
    ]
    keyed = grid.set_index(["person_id", "date"])
    for part in parts:
        keyed = keyed.join(part, how="left")
    facts = keyed.reset_index()
    count_columns = [
        c for c in facts.columns if c not in ("person_id", "date", "week", "company_working", "working")
    ]
    facts[count_columns] = facts[count_columns].fillna(0)
    facts["revenue"] = facts["call_revenue"] + facts["sale_revenue"]
    facts["units"] = facts["call_units"] + facts["sale_units"]
    facts["working_days"] = facts["working"].astype(int)
    logged = (facts["call_rows"] + facts["sale_rows"] + facts["activity_rows"]) > 0
    facts["active_days"] = (facts["working"] & logged).astype(int)
    facts["logged"] = logged
    return facts[["person_id", "date", "week", "working", "logged", *COUNTS]]


def _call_counts(calls: pd.DataFrame) -> pd.DataFrame:
    planned, visited, reported = calls["planned"], calls["visited"], calls["reported"]
    frame = pd.DataFrame(
        {
            "person_id": calls["rep_id"],
            "date": calls["date"],
            "call_rows": 1,
            "call_revenue": calls["order_value"],
            "call_units": calls["units"],
            "actual_calls": visited.astype(int),
            "effective_calls": (visited & (calls["order_value"] > 0)).astype(int),
            "planned_calls": (planned & reported).astype(int),
            "planned_visited": (planned & visited).astype(int),
            "missed_calls": reported_missed(planned, visited, reported).astype(int),
            "unplanned_calls": (visited & ~planned).astype(int),
        }
    )
    return frame.groupby(["person_id", "date"]).sum()


def _sales_counts(sales: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "person_id": sales["rep_id"],
            "date": sales["date"],
            "sale_rows": 1,
            "sale_revenue": sales["order_value"],
            "sale_units": sales["units"],
        }
    )
    return frame.groupby(["person_id", "date"]).sum()


def _activity_counts(activities: pd.DataFrame) -> pd.DataFrame:
    planned, done, reported = activities["planned"], activities["done"], activities["reported"]
    frame = pd.DataFrame(
        {
            "person_id": activities["person_id"],
            "date": activities["date"],
            "activity_rows": 1,
            "activities_done": done.astype(int),
            "activities_planned": (planned & reported).astype(int),
            "activities_missed": reported_missed(planned, done, reported).astype(int),
            "activities_planned_done": (planned & done).astype(int),
        }
    )
    return frame.groupby(["person_id", "date"]).sum()


def reported_missed(planned: pd.Series, outcome: pd.Series, reported: pd.Series) -> pd.Series:
    """Tell which rows are missed: planned, with an outcome reported, and that outcome no.

    A blank outcome means "not reported yet": neither done nor missed (SPEC section 2).
    """
    return planned & reported & ~outcome
