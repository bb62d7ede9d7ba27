"""Alt text for the charts: one or two sentences in the site language stating the main numbers."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from reports_gen.i18n import Translator


def is_missing(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def chart_title(tr: Translator, title: str) -> str:
    return title.strip() or tr("chart.untitled")


def period_text(tr: Translator, first: str, last: str) -> str:
    """Name a range of weeks ('Minggu ke-45 s.d. Minggu ke-47 (16–22 Nov 2026)') or of dates."""
    if _WEEK.fullmatch(first) and _WEEK.fullmatch(last):
        if first == last:
            return tr.period(last)
        return tr("chart.range", first=tr.period(first, False), last=tr.period(last))
    return first if first == last else tr("chart.range", first=first, last=last)


def week_name(tr: Translator, code: str) -> str:
    """Name a week as people say it; anything else stays as it is."""
    return tr.period(code, False) if _WEEK.fullmatch(code) else code


_WEEK = re.compile(r"\d{4}-W\d{2}")


def revenue_alt(tr: Translator, title: str, data: pd.DataFrame) -> str:
    latest = data.iloc[-1]
    best = data.loc[data["revenue"].idxmax()]
    values = {
        "title": chart_title(tr, title),
        "period": period_text(tr, data["week"].iloc[0], latest["week"]),
        "latest": tr.money_compact(latest["revenue"]),
        "highest": tr.money_compact(best["revenue"]),
        "highest_week": week_name(tr, best["week"]),
    }
    if is_missing(latest["revenue_target"]) or latest["revenue_target"] == 0:
        return tr("chart.revenue.alt_no_target", **values)
    return tr(
        "chart.revenue.alt",
        target=tr.money_compact(latest["revenue_target"]),
        attainment=tr.percent(latest["revenue"] / latest["revenue_target"]),
        **values,
    )


def calls_alt(tr: Translator, title: str, data: pd.DataFrame, ec_threshold: float) -> str:
    latest = data.iloc[-1]
    ratios = data["ec_ratio"].dropna()
    return tr(
        "chart.calls.alt",
        title=chart_title(tr, title),
        period=period_text(tr, data["week"].iloc[0], latest["week"]),
        actual=tr.number(latest["actual_calls"]),
        effective=tr.number(latest["effective_calls"]),
        ratio=tr.percent(latest["ec_ratio"]),
        threshold=tr.percent(ec_threshold),
        below=tr.number(int((ratios < ec_threshold).sum())),
        weeks=tr.number(len(ratios)),
    )


def compliance_alt(
    tr: Translator, title: str, data: pd.DataFrame, pjp_threshold: float, coverage_threshold: float
) -> str:
    latest = data.iloc[-1]
    pjp, coverage = data["pjp_rate"].dropna(), data["coverage"].dropna()
    return tr(
        "chart.compliance.alt",
        title=chart_title(tr, title),
        period=period_text(tr, data["week"].iloc[0], latest["week"]),
        pjp=tr.percent(latest["pjp_rate"]),
        pjp_threshold=tr.percent(pjp_threshold),
        coverage=tr.percent(latest["coverage"]),
        coverage_threshold=tr.percent(coverage_threshold),
        pjp_below=tr.number(int((pjp < pjp_threshold).sum())),
        pjp_weeks=tr.number(len(pjp)),
        coverage_below=tr.number(int((coverage < coverage_threshold).sum())),
        coverage_weeks=tr.number(len(coverage)),
    )


def burnup_alt(
    tr: Translator, title: str, data: pd.DataFrame, target: float, projection: float, money: bool
) -> str:
    fmt = tr.money_compact if money else tr.number
    first, end = (tr.date(data["date"].iloc[i].date()) for i in (0, -1))
    values = {"title": chart_title(tr, title), "target": fmt(target), "period": period_text(tr, first, end)}
    last = data["actual_cum"].last_valid_index()
    if last is None:
        return tr("chart.burnup.alt_not_started", **values)
    actual, expected = data.loc[last, "actual_cum"], data.loc[last, "expected_cum"]
    alt = tr(
        "chart.burnup.alt",
        actual=fmt(actual),
        as_of=tr.date(data.loc[last, "date"].date()),
        expected=fmt(expected),
        pace=tr.percent(actual / expected if expected else math.nan),
        **values,
    )
    if not math.isnan(projection):
        attainment = projection / target if not is_missing(target) and target else math.nan
        alt += " " + tr(
            "chart.burnup.alt_projection", projection=fmt(projection), attainment=tr.percent(attainment)
        )
    return alt


def activity_alt(tr: Translator, title: str, data: pd.DataFrame) -> str:
    planned, done, missed = (data[column].sum() for column in ("planned", "done", "missed"))
    top = data.loc[data["done"].fillna(-1).idxmax()]
    rate = (planned - missed) / planned if planned else math.nan
    return tr(
        "chart.activity.alt",
        title=chart_title(tr, title),
        done=tr.number(done),
        planned=tr.number(planned),
        missed=tr.number(missed),
        rate=tr.percent(rate),
        top=top["label"],
        top_done=tr.number(top["done"]),
    )


def funnel_alt(tr: Translator, title: str, data: pd.DataFrame) -> str:
    stages = ", ".join(
        f"{label} {tr.number(count)}" for label, count in zip(data["label"], data["count"], strict=True)
    )
    alt = tr(
        "chart.funnel.alt", title=chart_title(tr, title), total=tr.number(data["count"].sum()), stages=stages
    )
    open_value = data.loc[~data["stage"].isin(["won", "lost"]), "value"].sum(min_count=1)
    if not is_missing(open_value):
        alt += " " + tr("chart.funnel.alt_value", value=tr.money_compact(open_value))
    return alt


def ranking_alt(tr: Translator, title: str, data: pd.DataFrame) -> str:
    ranked = data.dropna(subset=["revenue"])
    with_target = data["attainment"].dropna()
    return tr(
        "chart.ranking.alt",
        title=chart_title(tr, title),
        count=tr.number(len(data)),
        total=tr.money_compact(ranked["revenue"].sum()),
        top=ranked["label"].iloc[0],
        top_value=tr.money_compact(ranked["revenue"].iloc[0]),
        bottom=ranked["label"].iloc[-1],
        bottom_value=tr.money_compact(ranked["revenue"].iloc[-1]),
        met=tr.number(int((with_target >= 1).sum())),
        targets=tr.number(len(with_target)),
    )
