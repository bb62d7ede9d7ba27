"""Alerts: what was not done (SPEC section 4), one row per alert with a sentence in the site language."""

from __future__ import annotations

import string

import numpy as np
import pandas as pd

from reports_gen.dataset.dataset import Dataset
from reports_gen.i18n import Translator
from reports_gen.metrics.facts import reported_missed
from reports_gen.metrics.grouping import sort_order
from reports_gen.metrics.weekly import Metrics, missed_activities

ALERT_COLUMNS = ("kind", "date", "person_id", "team_id", "outlet_id", "prospect_id", "detail")
ALERT_KINDS = (
    "behind_target",
    "overdue_outlet",
    "missed_call",
    "missed_activity",
    "log_gap",
    "stale_prospect",
    "low_ec_ratio",
    "low_pjp_rate",
    "low_coverage",
)


# How much an alert matters (3 high, 2 medium, 1 low): a target falling behind and a run of
# days without any log outrank a single missed visit. `thresholds.home_min_severity` and
# `home_alerts_per_team` decide which reach the home page.
SEVERITY = {
    "behind_target": 3,
    "low_ec_ratio": 2,
    "low_pjp_rate": 2,
    "low_coverage": 2,
    "overdue_outlet": 2,
    "stale_prospect": 2,
    "missed_call": 1,
    "missed_activity": 1,
    "log_gap": 1,
}
LONG_LOG_GAP = 3  # working days without a log in one week that make each of them high


def alert_severity(alerts: pd.DataFrame) -> pd.Series:
    """Return the severity of each alert (3 high, 2 medium, 1 low), aligned with `alerts`."""
    severity = alerts["kind"].map(SEVERITY).fillna(1).astype(int)
    gaps = alerts["kind"] == "log_gap"
    if gaps.any():
        days = alerts.loc[gaps, "date"]
        week = days.dt.isocalendar()
        run = days.groupby([alerts.loc[gaps, "person_id"], week["year"], week["week"]]).transform("size")
        severity[run.index] = np.where(run >= LONG_LOG_GAP, 3, 1)
    return severity


def compute_alerts(ds: Dataset, metrics: Metrics, tr: Translator) -> pd.DataFrame:
    """Return every alert dated on or before the metrics' as-of date (columns: ALERT_COLUMNS)."""
    day = pd.Timestamp(metrics.as_of)
    names = _Names(ds, tr)
    parts = [
        _missed_calls(ds, day, names),
        _missed_activities(ds, day, names),
        _overdue_outlets(ds, day, names),
        _log_gaps(metrics, names),
        _stale_prospects(metrics, names),
        _low_ratios(ds, metrics, names),
        _behind_targets(metrics, day, names),
    ]
    alerts = (
        pd.concat([p for p in parts if not p.empty], ignore_index=True)
        if any(not p.empty for p in parts)
        else pd.DataFrame(columns=list(ALERT_COLUMNS))
    )
    alerts = alerts[alerts["date"] <= day].copy()
    alerts["team_id"] = np.where(
        alerts["team_id"].fillna("") != "",
        alerts["team_id"].fillna(""),
        names.team_of(alerts["person_id"].fillna("")),
    )
    alerts = alerts.fillna({c: "" for c in ALERT_COLUMNS if c != "date"})
    alerts["_kind"] = alerts["kind"].map({k: i for i, k in enumerate(ALERT_KINDS)})
    order = sort_order(alerts, ["date", "_kind", "team_id", "person_id", "outlet_id", "prospect_id"])
    alerts = alerts.take(order)
    return alerts[list(ALERT_COLUMNS)].reset_index(drop=True)


class _Names:
    """Display names for ids, looked up in bulk."""

    def __init__(self, ds: Dataset, tr: Translator):
        self.tr = tr
        self.person = pd.Series({p.id: p.name for p in ds.org.people}, dtype=object)
        self.team = pd.Series({t.id: t.name for t in ds.org.teams}, dtype=object)
        self.person_team = pd.Series({p.id: p.team for p in ds.org.people}, dtype=object)
        self.outlet = pd.Series(ds.outlets["name"].to_numpy(), index=ds.outlets["outlet_id"], dtype=object)
        self.thresholds = ds.config.thresholds

    def people(self, ids: pd.Series) -> pd.Series:
        return _lookup(self.person, ids)

    def outlets(self, ids: pd.Series) -> pd.Series:
        return _lookup(self.outlet, ids)

    def activity_type(self, code: str) -> str:
        """Name an activity type in the site language; a company's own type reads as words."""
        label = self.tr(f"activity_type.{code}")
        return label if label != f"activity_type.{code}" else code.replace("_", " ")

    def team_of(self, ids: pd.Series) -> np.ndarray:
        return self.person_team.reindex(ids).fillna("").to_numpy()


def _lookup(names: pd.Series, ids: pd.Series) -> pd.Series:
    found = names.reindex(ids).to_numpy()
    return pd.Series(np.where(pd.isna(found), ids.to_numpy(), found), index=ids.index)


def _sentences(tr: Translator, key: str, **columns: pd.Series | str) -> pd.Series | list[str]:
    """Fill a translated template for every row at once, by concatenating string columns."""
    pieces = list(string.Formatter().parse(tr(key)))
    rows = next((v for v in columns.values() if isinstance(v, pd.Series)), None)
    if rows is None:
        return [tr(key, **columns)]
    out = pd.Series("", index=rows.index, dtype=object)
    for literal, field, _, _ in pieces:
        out = out + literal
        if field is not None:
            value = columns[field]
            out = out + (
                value.astype(str).to_numpy(dtype=object) if isinstance(value, pd.Series) else str(value)
            )
    return out.to_numpy(dtype=object)


def _format_each(series: pd.Series, func) -> pd.Series:
    """Format every distinct value once (Babel is slow per call) and spread the results."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    return pd.Series(np.asarray([func(v) for v in uniques], dtype=object)[codes], index=series.index)


def _below(tr: Translator, value: float, threshold: float) -> str:
    """A percentage with the decimals it needs to read differently from the threshold."""
    for digits in (0, 1, 2):
        if value == threshold or tr.percent(value, digits) != tr.percent(threshold, digits):
            break
    if value == threshold:
        digits = 0 if round(threshold * 100, 6) == round(threshold * 100) else 1
    return tr.percent(value, digits)


def _missed_calls(ds: Dataset, day: pd.Timestamp, names: _Names) -> pd.DataFrame:
    calls = ds.calls
    rows = reported_missed(calls["planned"], calls["visited"], calls["reported"]) & (calls["date"] <= day)
    missed = calls.loc[rows.to_numpy(), ["date", "rep_id", "outlet_id"]]  # missed_calls' rows, three columns
    return pd.DataFrame(
        {
            "kind": "missed_call",
            "date": missed["date"],
            "person_id": missed["rep_id"],
            "team_id": "",
            "outlet_id": missed["outlet_id"],
            "prospect_id": "",
            "detail": _sentences(
                names.tr,
                "alert.missed_call",
                person=names.people(missed["rep_id"]),
                outlet=names.outlets(missed["outlet_id"]),
            ),
        }
    )


def _missed_activities(ds: Dataset, day: pd.Timestamp, names: _Names) -> pd.DataFrame:
    missed = missed_activities(ds.activities, day)
    return pd.DataFrame(
        {
            "kind": "missed_activity",
            "date": missed["date"],
            "person_id": missed["person_id"],
            "team_id": "",
            "outlet_id": missed["outlet_id"],
            "prospect_id": missed["prospect_id"],
            "detail": _sentences(
                names.tr,
                "alert.missed_activity",
                person=names.people(missed["person_id"]),
                type=_format_each(missed["type"], names.activity_type),
            ),
        }
    )


def _overdue_outlets(ds: Dataset, day: pd.Timestamp, names: _Names) -> pd.DataFrame:
    seen = (ds.calls["visited"] & (ds.calls["date"] <= day)).to_numpy()
    codes, outlet_ids = pd.factorize(ds.calls["outlet_id"].to_numpy(dtype=object)[seen])
    last = ds.calls["date"][seen].groupby(codes).max()  # the latest visit of each outlet
    last.index = pd.Index(outlet_ids[last.index.to_numpy()], dtype=ds.calls["outlet_id"].dtype)
    outlets = ds.outlets.assign(last=last.reindex(ds.outlets["outlet_id"]).to_numpy())
    interval = np.ceil(7 / outlets["visits_per_week"]).astype(int)
    days = (day - outlets["last"]).dt.days
    overdue = outlets[outlets["last"].isna() | (days > interval)]
    interval, days = interval[overdue.index], days[overdue.index]
    never = overdue["last"].isna()
    person = names.people(overdue["rep_id"])
    outlet = overdue["name"]
    text_never = _sentences(names.tr, "alert.overdue_outlet_never", person=person, outlet=outlet)
    seen = overdue["last"].fillna(day)
    text_seen = _sentences(
        names.tr,
        "alert.overdue_outlet",
        person=person,
        outlet=outlet,
        last=_format_each(seen, lambda d: names.tr.date(d.date())),
        days=days.fillna(0).astype(int),
        interval=interval,
        visits=_format_each(
            overdue["visits_per_week"], lambda v: names.tr.number(v, 0 if v == int(v) else 1)
        ),
    )
    return pd.DataFrame(
        {
            "kind": "overdue_outlet",
            "date": day,
            "person_id": overdue["rep_id"],
            "team_id": "",
            "outlet_id": overdue["outlet_id"],
            "prospect_id": "",
            "detail": np.where(never, text_never, text_seen),
        }
    )


def _log_gaps(metrics: Metrics, names: _Names) -> pd.DataFrame:
    facts = metrics.facts
    gaps = facts[facts["working"] & ~facts["logged"]]
    return pd.DataFrame(
        {
            "kind": "log_gap",
            "date": gaps["date"],
            "person_id": gaps["person_id"],
            "team_id": "",
            "outlet_id": "",
            "prospect_id": "",
            "detail": _sentences(names.tr, "alert.log_gap", person=names.people(gaps["person_id"])),
        }
    )


def _stale_prospects(metrics: Metrics, names: _Names) -> pd.DataFrame:
    stale = metrics.prospects[metrics.prospects["stale"].astype(bool)]
    if stale.empty:
        return pd.DataFrame(columns=list(ALERT_COLUMNS))
    return pd.DataFrame(
        {
            "kind": "stale_prospect",
            "date": stale["last_date"],
            "person_id": stale["owner_id"],
            "team_id": "",
            "outlet_id": "",
            "prospect_id": stale.index,
            "detail": _sentences(
                names.tr,
                "alert.stale_prospect",
                prospect=stale["name"],
                person=names.people(stale["owner_id"]),
                days=stale["age_days"],
                stage=stale["stage"].map(lambda s: names.tr(f"stage.{s}")),
            ),
        }
    ).reset_index(drop=True)


def _low_ratios(ds: Dataset, metrics: Metrics, names: _Names) -> pd.DataFrame:
    weekly = metrics.weekly
    people = weekly[(weekly["scope"] == "person") & (weekly["working_days"] > 0)]
    monday = pd.to_datetime(people["week"] + "-1", format="%G-W%V-%u")
    frames = []
    for metric, threshold in (
        ("ec_ratio", names.thresholds.ec_ratio),
        ("pjp_rate", names.thresholds.pjp_rate),
        ("coverage", names.thresholds.coverage),
    ):
        low = people[people[metric] < threshold]
        frames.append(
            pd.DataFrame(
                {
                    "kind": f"low_{metric}",
                    "date": monday[low.index],
                    "person_id": low["id"],
                    "team_id": "",
                    "outlet_id": "",
                    "prospect_id": "",
                    "detail": _sentences(
                        names.tr,
                        f"alert.low_{metric}",
                        person=names.people(low["id"]),
                        value=_format_each(low[metric], lambda v, t=threshold: _below(names.tr, v, t)),
                        threshold=_below(names.tr, threshold, threshold),
                    ),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _behind_targets(metrics: Metrics, day: pd.Timestamp, names: _Names) -> pd.DataFrame:
    behind = metrics.periods[metrics.periods["status"] == "behind"]
    tr = names.tr
    scope = np.where(
        behind["scope"] == "company",
        tr("scope.company"),
        np.where(
            behind["scope"] == "team",
            names.team.reindex(behind["id"]).fillna("").to_numpy(),
            names.people(behind["id"]).to_numpy(),
        ),
    )
    money = behind["metric"] == "revenue"

    def fmt(series: pd.Series) -> pd.Series:
        return pd.Series(np.where(money, series.map(tr.money), series.map(tr.number)), index=behind.index)

    return pd.DataFrame(
        {
            "kind": "behind_target",
            "date": day,
            "person_id": np.where(behind["scope"] == "person", behind["id"], ""),
            "team_id": np.where(behind["scope"] == "team", behind["id"], ""),
            "outlet_id": "",
            "prospect_id": "",
            "detail": _sentences(
                tr,
                "alert.behind_target",
                scope=pd.Series(scope, index=behind.index),
                metric=behind["metric"].map(lambda m: tr(f"metric.{m}")),
                period=behind["period"].map(tr.period),
                actual=fmt(behind["actual"]),
                target=fmt(behind["target"]),
                pace=behind["pace"].map(tr.percent),
            ),
        }
    )
