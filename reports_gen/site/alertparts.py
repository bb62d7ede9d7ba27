"""The alert summaries of the home, alerts and weekly alert pages, worked out for every week at once.

Each function takes alerts and a group key per row (a week code; one key for a single list) and
returns, per key, what a page shows: no per-week sorting, grouping or slicing of frames.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from reports_gen.metrics.alerts import ALERT_KINDS
from reports_gen.site.views import View

# The alert fields the tables show (alertpages.ALERT_FIELDS), with the label of a kind and its count.
RECORD_FIELDS = ("person_id", "team_id", "kind", "date", "outlet_id", "detail")


@dataclass
class TeamAlerts:
    """A team's alerts in one group: the few shown (records), the kinds of the rest and of all."""

    team_id: str
    top: list[dict[str, Any]]
    rest: Counter[str]
    every: Counter[str]


def _frame(view: View, alerts: pd.DataFrame, groups: np.ndarray) -> pd.DataFrame:
    """The columns the summaries need, one row per alert with a group (`_at`: its position)."""
    frame = pd.DataFrame(
        {
            "_g": groups,
            "team_id": alerts["team_id"].to_numpy(),
            "person_id": alerts["person_id"].to_numpy(),
            "kind": alerts["kind"].to_numpy(),
            "date": alerts["date"].to_numpy(),
            "_s": view.severity.reindex(alerts.index).to_numpy(),
            "_at": np.arange(len(alerts)),
        }
    )
    return frame[pd.notna(groups)]


def team_alerts(view: View, alerts: pd.DataFrame, groups: np.ndarray) -> dict[Any, list[TeamAlerts]]:
    """Per group and team (in the org's order, the company last): the few alerts that matter most.

    One row per person and kind, most severe first (then in the order of ALERT_KINDS, then by
    date), the kind carrying its count; at most `home_alerts_per_team` of at least
    `home_min_severity` (config thresholds); the rest are counted by kind.
    """
    th = view.ds.config.thresholds
    frame = _frame(view, alerts, groups)
    if frame.empty:
        return {}
    frame["_k"] = frame["kind"].map({k: i for i, k in enumerate(ALERT_KINDS)})
    # Stable: within a group the rows keep the order a sort of that group alone gives them.
    ranked = frame.sort_values(["_s", "_k", "date"], ascending=[False, True, True], kind="stable")
    # one number per group, team, person and kind: its size, its first row, whether it is shown
    number = ranked.groupby(["_g", "team_id", "person_id", "kind"], sort=False).ngroup().to_numpy()
    ranked["_n"], ranked["_no"] = np.bincount(number)[number], number
    first = np.zeros(len(ranked), dtype=bool)
    first[np.unique(number, return_index=True)[1]] = True
    firsts = ranked[first]
    top = (
        firsts[firsts["_s"] >= th.home_min_severity]
        .groupby(["_g", "team_id"], sort=False)
        .head(th.home_alerts_per_team)
    )
    shown = np.isin(number, top["_no"].to_numpy())
    rest = _kind_counts(ranked[~shown])
    every = _kind_counts(ranked)
    records = _records(view, alerts, top)
    tops: dict[tuple[Any, str], list[dict[str, Any]]] = {}
    for key, record in zip(zip(top["_g"], top["team_id"], strict=True), records, strict=True):
        tops.setdefault(key, []).append(record)
    out: dict[Any, list[TeamAlerts]] = {}
    order = {t: i for i, t in enumerate([*view.teams, ""])}
    for g, team_id in sorted(every, key=lambda k: order.get(k[1], len(order))):
        if team_id in order:
            key = (g, team_id)
            out.setdefault(g, []).append(
                TeamAlerts(team_id, tops.get(key, []), rest.get(key, Counter()), every[key])
            )
    return out


def _kind_counts(frame: pd.DataFrame) -> dict[tuple[Any, str], Counter[str]]:
    """(group, team) -> its alerts counted by kind."""
    counts: dict[tuple[Any, str], Counter[str]] = {}
    sizes = frame.groupby(["_g", "team_id", "kind"], sort=False).size()
    for (g, team_id, kind), n in zip(sizes.index, sizes.tolist(), strict=True):
        counts.setdefault((g, team_id), Counter())[kind] = n
    return counts


def _records(view: View, alerts: pd.DataFrame, top: pd.DataFrame) -> list[dict[str, Any]]:
    """The shown rows as the alert tables read them, each kind labelled with its count."""
    at = top["_at"].to_numpy()
    fields = [f for f in RECORD_FIELDS if f in alerts.columns]
    columns = [alerts[f].iloc[at].tolist() for f in fields]
    labels = [_kind_count(view, k, n) for k, n in zip(top["kind"], top["_n"], strict=True)]
    return [
        {**dict(zip(fields, values, strict=True)), "kind_label": label}
        for *values, label in zip(*columns, labels, strict=True)
    ]


def _kind_count(view: View, kind: str, count: int) -> str:
    return view.tr(f"kind.{kind}") + (f" ({view.tr.number(count)})" if count > 1 else "")


def count_rows(view: View, alerts: pd.DataFrame, groups: np.ndarray) -> dict[Any, list[tuple[str, str, str]]]:
    """Per group: (team id, person id, "7 missed visits, 2 overdue outlets") per person, most
    severe first, then the most alerts (ties: first seen); kinds in ALERT_KINDS order."""
    tr = view.tr
    frame = _frame(view, alerts, groups)
    if frame.empty:
        return {}
    keys = ["_g", "team_id", "person_id"]
    rank = (
        frame.groupby(keys, sort=False)
        .agg(s=("_s", "max"), n=("kind", "size"))
        .sort_values(["s", "n"], ascending=False, kind="stable")
    )
    counts = frame.groupby([*keys, "kind"]).size().unstack(fill_value=0).reindex(rank.index)
    kinds = [k for k in ALERT_KINDS if k in counts.columns]
    words: dict[tuple[str, int], str] = {}
    for k in kinds:
        for n in counts[k].unique():
            words[(k, n)] = tr(f"count.one.{k}" if n == 1 else f"count.{k}", count=tr.number(n))
    out: dict[Any, list[tuple[str, str, str]]] = {}
    for (g, team_id, person_id), values in zip(rank.index, counts[kinds].to_numpy(), strict=True):
        text = ", ".join(words[(k, n)] for k, n in zip(kinds, values, strict=True) if n)
        out.setdefault(g, []).append((team_id, person_id, text))
    return out
