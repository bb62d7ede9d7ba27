"""The three export CSVs of SPEC section 5: weekly.csv, periods.csv and alerts.csv."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from reports_gen.fileio import atomic_write
from reports_gen.metrics.alerts import ALERT_COLUMNS
from reports_gen.metrics.periods import PERIOD_COLUMNS, PERIOD_FIGURES
from reports_gen.metrics.weekly import WEEKLY_METRICS, Metrics


def weekly_long(metrics: Metrics) -> pd.DataFrame:
    """Return weekly metrics as rows of week, scope, id, metric, value."""
    long = metrics.weekly.melt(
        id_vars=["week", "scope", "id"],
        value_vars=list(WEEKLY_METRICS),
        var_name="metric",
        value_name="value",
    )
    order = {m: i for i, m in enumerate(WEEKLY_METRICS)}
    position = metrics.weekly.reset_index()[["index", "week", "scope", "id"]]
    long = long.merge(position, on=["week", "scope", "id"])
    long = long.assign(_m=long["metric"].map(order)).sort_values(["index", "_m"], kind="stable")
    return long[["week", "scope", "id", "metric", "value"]].reset_index(drop=True)


def export_frames(metrics: Metrics, alerts: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Return the three export tables, numbers written plainly and undefined values empty."""
    weekly = weekly_long(metrics)
    weekly["value"] = weekly["value"].map(plain_number)
    periods = metrics.periods[list(PERIOD_COLUMNS)].copy()
    for column in PERIOD_FIGURES:
        periods[column] = periods[column].map(plain_number)
    alerts = alerts[list(ALERT_COLUMNS)].copy()
    alerts["date"] = alerts["date"].dt.strftime("%Y-%m-%d")
    return {"weekly.csv": weekly, "periods.csv": periods, "alerts.csv": alerts}


def plain_number(value: float | int | None) -> str:
    """Write a number plainly: 1500000, 0.8125; empty when undefined."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    number = float(value)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    text = repr(number)  # the shortest text that reads back as the same float
    return text if "e" not in text else f"{number:.17f}".rstrip("0")


def write_exports(frames: dict[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write the export CSVs into `out`, each file replaced atomically."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in frames.items():
        target = out / name
        atomic_write(target, frame.to_csv(index=False, lineterminator="\n"))
        written.append(target)
    return written
