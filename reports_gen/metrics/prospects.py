"""Prospects: one answer to "is this prospect open?", the pipeline by stage, and event counts.

A prospect is closed when its latest event up to the as-of date is `won` or `lost`; a lost
prospect contacted again is open again (and can go stale). The stale_prospect alert, the
prospects page and the funnel all read `prospect_summary`.
"""

from __future__ import annotations

import pandas as pd

from reports_gen.dataset.schema import CLOSED_STAGES, FILE, LINE, STAGES
from reports_gen.workcalendar import week_codes

SUMMARY_COLUMNS = (
    "name",
    "owner_id",
    "source",
    "first_date",
    "last_date",
    "stage",
    "expected_value",
    "open",
    "age_days",
    "stale",
)


def prospect_summary(prospects: pd.DataFrame, day: pd.Timestamp, stale_days: int) -> pd.DataFrame:
    """Return one row per prospect known on `day`, indexed by prospect_id (columns SUMMARY_COLUMNS).

    Only events up to `day` count. `stage` is the latest event's; `open` means that stage is
    neither won nor lost; `stale` an open prospect whose latest event is more than
    `stale_days` days before `day`. Name, owner and source come from the first event.
    """
    events = prospects[prospects["date"] <= day]
    if events.empty:
        return pd.DataFrame(
            {
                "name": pd.Series([], dtype=object),
                "owner_id": pd.Series([], dtype=object),
                "source": pd.Series([], dtype=object),
                "first_date": pd.Series([], dtype="datetime64[ns]"),
                "last_date": pd.Series([], dtype="datetime64[ns]"),
                "stage": pd.Series([], dtype=object),
                "expected_value": pd.Series([], dtype=float),
                "open": pd.Series([], dtype=bool),
                "age_days": pd.Series([], dtype=int),
                "stale": pd.Series([], dtype=bool),
            },
            index=pd.Index([], name="prospect_id", dtype=object),
        )
    ordered = events.sort_values(["prospect_id", "date", FILE, LINE], kind="stable")
    grouped = ordered.groupby("prospect_id", sort=True)
    first, last = grouped.first(), grouped.nth(-1).set_index("prospect_id")
    summary = pd.DataFrame(
        {
            "name": first["name"],
            "owner_id": first["owner_id"],
            "source": first["source"],
            "first_date": first["date"],
            "last_date": last["date"],
            "stage": last["stage"],
            "expected_value": grouped["expected_value"].last(),  # the latest one given
        }
    )
    summary["open"] = ~summary["stage"].isin(CLOSED_STAGES)
    summary["age_days"] = (day - summary["last_date"]).dt.days
    summary["stale"] = summary["open"] & (summary["age_days"] > stale_days)
    return summary[list(SUMMARY_COLUMNS)]


def pipeline(summary: pd.DataFrame) -> pd.DataFrame:
    """Return the funnel: for every stage, the prospects now at it and their expected value."""
    by_stage = summary.groupby("stage")["expected_value"].agg(["size", "sum"]).reindex(list(STAGES))
    return pd.DataFrame(
        {
            "stage": list(STAGES),
            "count": by_stage["size"].fillna(0).astype(int).to_numpy(),
            "value": by_stage["sum"].fillna(0.0).astype(float).to_numpy(),
        }
    )


def prospect_counts(prospects: pd.DataFrame) -> pd.DataFrame:
    """Count new, won and lost prospects per owner and day (indexed by person_id, date).

    A prospect counts for the owner of its first event: as new on that event's day, as won
    (lost) on the day of a won (lost) event. Within one ISO week a prospect counts once per
    kind, on its first such day, so a week's count is of prospects, not of events.
    """
    ordered = prospects.sort_values(["prospect_id", "date", FILE, LINE], kind="stable")
    owner = ordered.groupby("prospect_id")["owner_id"].first()
    firsts = ordered.drop_duplicates("prospect_id")
    frames = [
        pd.DataFrame({"prospect_id": firsts["prospect_id"], "date": firsts["date"], "new_prospects": 1})
    ]
    for stage in ("won", "lost"):
        hits = ordered[ordered["stage"] == stage]
        hits = hits.assign(week=week_codes(hits["date"])).drop_duplicates(["prospect_id", "week"])
        frames.append(
            pd.DataFrame({"prospect_id": hits["prospect_id"], "date": hits["date"], f"prospects_{stage}": 1})
        )
    frame = pd.concat(frames, ignore_index=True)
    frame["person_id"] = owner.reindex(frame["prospect_id"]).to_numpy()
    columns = ["new_prospects", "prospects_won", "prospects_lost"]
    return frame.groupby(["person_id", "date"])[columns].sum(min_count=1)
