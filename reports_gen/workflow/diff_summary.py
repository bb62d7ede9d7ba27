"""The Markdown summary of a DataDiff: files, headline metrics per week, targets and alerts.

Cells are formatted here in the site language; the layout is the template diff.md.j2.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, Template

from reports_gen.errors import Problem
from reports_gen.i18n import Translator
from reports_gen.metrics.alerts import ALERT_COLUMNS, ALERT_KINDS
from reports_gen.metrics.periods import PERIOD_COLUMNS
from reports_gen.metrics.weekly import HEADLINE_METRICS, WEEKLY_METRICS
from reports_gen.workflow.diff import DataDiff, FileChange, Side

# Alerts of these kinds are dated on the as-of date, which moves with the data: match them without it.
_DATED_AS_OF = ("overdue_outlet", "behind_target")
_RATIO_METRICS = ("attainment", "ec_ratio", "pjp_rate", "coverage")
_SCOPE_ORDER = {"company": 0, "team": 1, "person": 2}
MAX_PROBLEMS = 30
MAX_ALERTS = 10


def render_diff(diff: DataDiff) -> str:
    """Return the Markdown summary of a DataDiff, worded in the site language."""
    tr, base, head = diff.tr, diff.base, diff.head
    context: dict[str, object] = {
        "tr": tr,
        "title": tr("diff.title", base=_text(base.label), head=_text(head.label)),
        "intro": tr(
            "diff.intro", path=_code(diff.data_path or "."), base=_text(base.label), head=_text(head.label)
        ),
        "no_base": None if base.exists else tr("diff.no_base", side=_text(base.label)),
        "invalid": [_problem_block(tr, side, side is head) for side in (base, head) if not side.valid],
        "warnings": _warning_block(tr, head),
        "files": [[_code(f.path), tr(f"diff.change.{f.change}"), _rows(tr, f)] for f in diff.files],
        "weeks": _week_lines(diff),
        "head_valid": head.valid,
    }
    if head.valid:
        context |= _figures_context(diff)
    return re.sub(r"\n{3,}", "\n\n", _template().render(**context)).strip() + "\n"


def _figures_context(diff: DataDiff) -> dict[str, object]:
    tr, base, head = diff.tr, diff.base, diff.head
    week_tables: list[dict[str, object]] = []
    context: dict[str, object] = {"as_of": None, "week_tables": week_tables, "also_changed": None}
    if head.as_of is not None:
        context["as_of"] = (
            tr("diff.as_of_same", date=tr.date(head.as_of))
            if base.as_of is None or base.as_of == head.as_of
            else tr("diff.as_of", base=tr.date(base.as_of), head=tr.date(head.as_of))
        )
    names = base.names | head.names
    before, after = _frames(base), _frames(head)
    for week in sorted(diff.weeks_added + diff.weeks_changed):
        if (after[0]["week"] == week).any():
            week_tables.append(_week_table(tr, week, week in diff.weeks_added, before[0], after[0], names))
    also = _other_changed_weeks(before[0], after[0], set(diff.weeks_added + diff.weeks_changed))
    if also:
        context["also_changed"] = tr("diff.also_changed", weeks=", ".join(also))
    elif not base.valid:
        context["also_changed"] = tr("diff.metrics_unknown", side=_text(base.label))
    context["targets"] = _target_rows(tr, before[1], after[1], names)
    weeks = set(diff.weeks_added + diff.weeks_changed)
    context |= _alert_context(tr, before[2] if base.valid else None, after[2], weeks, names)
    return context


def _frames(side: Side) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return weekly, periods and alerts; an invalid side counts as empty (its figures are unknown)."""
    if side.weekly is None or side.periods is None or side.alerts is None:
        return (
            _empty(["week", "scope", "id", *WEEKLY_METRICS]),
            _empty(PERIOD_COLUMNS),
            _empty(ALERT_COLUMNS),
        )
    return side.weekly, side.periods, side.alerts


def _problem_block(tr: Translator, side: Side, is_head: bool) -> dict[str, object]:
    key = "diff.invalid_head" if is_head else "diff.invalid_base"
    return _listing(tr, tr(key, side=_text(side.label), count=len(side.errors)), side.errors)


def _warning_block(tr: Translator, side: Side) -> dict[str, object] | None:
    warnings = [p for p in side.problems if p.level == "warning"]
    if not side.valid or not warnings:
        return None
    return _listing(tr, tr("diff.warnings", side=_text(side.label), count=len(warnings)), warnings)


def _listing(tr: Translator, title: str, problems: list[Problem]) -> dict[str, object]:
    """Problems as `path:line:col: level: message` lines for a fenced block, the first MAX_PROBLEMS."""
    lines = [p.format_text(tr=tr) for p in problems[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:
        lines.append(tr("diff.problems_more", count=len(problems) - MAX_PROBLEMS))
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    return {"title": title, "lines": lines, "fence": "`" * max(3, longest + 1)}


def _week_lines(diff: DataDiff) -> list[str]:
    tr = diff.tr
    return [
        tr(f"diff.weeks_{kind}", weeks=", ".join(weeks))
        for kind, weeks in (
            ("added", diff.weeks_added),
            ("changed", diff.weeks_changed),
            ("removed", diff.weeks_removed),
        )
        if weeks
    ]


def _rows(tr: Translator, change: FileChange) -> str:
    if change.rows_before is None and change.rows_after is None:
        return ""
    text = tr.number
    if change.change == "changed":
        return f"{text(change.rows_before)} → {text(change.rows_after)}"
    return text(change.rows_after if change.change == "added" else change.rows_before)


def _week_table(
    tr: Translator,
    week: str,
    is_new: bool,
    before: pd.DataFrame,
    after: pd.DataFrame,
    names: dict[tuple[str, str], str],
) -> dict[str, object]:
    """One table per week: a row per headline metric, a column for the company and each team."""
    keys = ["scope", "id"]
    now = after[(after["week"] == week) & after["scope"].isin(["company", "team"])].set_index(keys)
    was = before[(before["week"] == week) & before["scope"].isin(["company", "team"])].set_index(keys)
    scopes = list(now.index) + [k for k in was.index if k not in now.index]
    headers = [tr("diff.col.metric")] + [_scope_name(tr, scope, ident, names) for scope, ident in scopes]
    rows = []
    for metric in HEADLINE_METRICS:
        cells = [tr(f"diff.metric.{metric}")]
        for key in scopes:
            old = was.at[key, metric] if key in was.index else None
            new = now.at[key, metric] if key in now.index else float("nan")
            cells.append(change_cell(tr, metric, old, new))
        rows.append(cells)
    title = tr("diff.week_added" if is_new else "diff.week_changed", week=week)
    return {"title": title, "headers": headers, "rows": rows}


def change_cell(tr: Translator, metric: str, before: float | None, after: float) -> str:
    """Format `before → after (▲ delta)`; just the value when unchanged or when there was no before."""
    if before is None:
        return _value(tr, metric, after)
    if pd.isna(before) and pd.isna(after):
        return _value(tr, metric, after)
    if pd.isna(before) or pd.isna(after):
        return f"{_value(tr, metric, before)} → {_value(tr, metric, after)}"
    change = float(after) - float(before)
    if abs(change) < 1e-9:
        return _value(tr, metric, after)
    size = abs(change)
    if metric == "revenue":
        amount = tr.money(size)
    elif metric in _RATIO_METRICS:
        amount = tr("diff.pp", value=tr.number(size * 100, 1))
    else:
        amount = tr.number(size)
    arrow = "▲" if change > 0 else "▼"
    return f"{_value(tr, metric, before)} → {_value(tr, metric, after)} ({arrow} {amount})"


def _value(tr: Translator, metric: str, value: float | None) -> str:
    if metric == "revenue":
        return tr.money(value)
    if metric in _RATIO_METRICS:
        return tr.percent(value, 1)
    return tr.number(value)


def _alert_who(tr: Translator, alert: Any, names: dict[tuple[str, str], str]) -> str:
    if alert.person_id:
        return _scope_name(tr, "person", alert.person_id, names)
    scope, ident = ("team", alert.team_id) if alert.team_id else ("company", "")
    return _scope_name(tr, scope, ident, names)


def _scope_name(tr: Translator, scope: str, ident: str, names: dict[tuple[str, str], str]) -> str:
    if scope == "company":
        return tr("diff.company")
    return _text(names.get((scope, ident), ident))


def _other_changed_weeks(before: pd.DataFrame, after: pd.DataFrame, touched: set[str]) -> list[str]:
    """Weeks whose files did not change but whose headline figures did (targets, outlets, config)."""
    keys = ["week", "scope", "id"]
    columns = [*keys, *HEADLINE_METRICS]
    merged = before[columns].merge(after[columns], on=keys, suffixes=("_b", "_a"))
    merged = merged[merged["scope"].isin(["company", "team"]) & ~merged["week"].isin(touched)]
    differs = pd.Series(False, index=merged.index)
    for metric in HEADLINE_METRICS:
        old, new = merged[f"{metric}_b"].astype(float), merged[f"{metric}_a"].astype(float)
        same = (old - new).abs().lt(1e-9) | (old.isna() & new.isna())
        differs |= ~same
    return sorted(merged.loc[differs, "week"].unique())


def _target_rows(
    tr: Translator, before: pd.DataFrame, after: pd.DataFrame, names: dict[tuple[str, str], str]
) -> list[list[str]]:
    """Target periods whose status differs, or that appear or disappear, with attainment."""
    keys = ["period", "scope", "id", "metric"]
    merged = before[[*keys, "status", "attainment"]].merge(
        after[[*keys, "status", "attainment"]], on=keys, how="outer", suffixes=("_b", "_a")
    )
    merged = merged[merged["status_b"].fillna("") != merged["status_a"].fillna("")]
    merged = merged.assign(_o=merged["scope"].map(_SCOPE_ORDER)).sort_values(["period", "_o", "id", "metric"])
    status = lambda s: "–" if pd.isna(s) else tr(f"diff.status.{s}")  # noqa: E731
    return [
        [
            row.period,
            _scope_name(tr, row.scope, row.id, names),
            tr(f"diff.metric.{row.metric}"),
            f"{status(row.status_b)} → {status(row.status_a)}",
            f"{tr.percent(row.attainment_b, 1)} → {tr.percent(row.attainment_a, 1)}",
        ]
        for row in merged.itertuples()
    ]


def _alert_context(
    tr: Translator,
    before: pd.DataFrame | None,
    after: pd.DataFrame,
    weeks: set[str],
    names: dict[tuple[str, str], str],
) -> dict[str, object]:
    """Alert counts by kind before, after and new; the first new alerts dated in the changed weeks.

    With `before` unknown (its data is invalid) nothing can be called new: the alerts of the
    changed weeks are listed instead.
    """
    new = after if before is None else new_alerts(before, after)
    was = before if before is not None else after.iloc[:0]
    counts = pd.DataFrame(
        {
            "before": was["kind"].value_counts(),
            "after": after["kind"].value_counts(),
            "new": new["kind"].value_counts(),
        }
    )
    counts = counts.fillna(0).astype(int).reindex([kind for kind in ALERT_KINDS if kind in counts.index])
    unknown = "–"
    rows = [
        [
            tr(f"diff.kind.{kind}"),
            unknown if before is None else tr.number(c.before),
            tr.number(c.after),
            unknown if before is None else tr.number(c.new),
        ]
        for kind, c in counts.iterrows()
    ]
    in_weeks = new[pd.to_datetime(new["date"]).dt.strftime("%G-W%V").isin(weeks)] if len(new) else new
    items = [
        # The sentence leaves the person out (it stands beside their name on the site): name them.
        f"{tr.date(pd.Timestamp(a.date).date())} · {tr(f'diff.kind.{a.kind}')} · "
        f"{_alert_who(tr, a, names)}: {_text(a.detail)}"
        for a in in_weeks.head(MAX_ALERTS).itertuples()
    ]
    key = "diff.new_alerts" if before is not None else "diff.week_alerts"
    title = tr(key, shown=len(items), count=len(in_weeks)) if items else None
    return {"alert_rows": rows, "alert_items": items, "alert_title": title}


def new_alerts(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Return the alerts of `after` that `before` does not have (same kind, day, person, outlet...)."""

    def keyed(alerts: pd.DataFrame) -> pd.DataFrame:
        day = pd.to_datetime(alerts["date"]).dt.strftime("%Y-%m-%d")
        day = day.where(~alerts["kind"].isin(_DATED_AS_OF), "")
        key = alerts["kind"].str.cat(
            [day, alerts["person_id"], alerts["team_id"], alerts["outlet_id"], alerts["prospect_id"]],
            sep="\x1f",
        )
        return alerts.assign(_key=key, _n=key.groupby(key).cumcount())

    if after.empty or before.empty:
        return after
    mine, theirs = keyed(after), keyed(before)
    seen = pd.MultiIndex.from_frame(theirs[["_key", "_n"]])
    fresh = ~pd.MultiIndex.from_frame(mine[["_key", "_n"]]).isin(seen)
    return after[fresh]


def _template() -> Template:
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent.parent / "templates"),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template("diff.md.j2")


def _text(value: object) -> str:
    """Escape data text for a GitHub Markdown table cell or list item."""
    text = " ".join(str(value).split())
    for char in "\\`*_[]<>|":
        text = text.replace(char, "\\" + char)
    return text


def _code(value: str) -> str:
    return "`" + value.replace("`", "'").replace("|", "\\|") + "`"


def _empty(columns: tuple[str, ...] | list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))
