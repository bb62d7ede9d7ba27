"""The three export CSVs of SPEC section 5: weekly.csv, periods.csv and alerts.csv."""

from __future__ import annotations

import contextlib
import math
from pathlib import Path

import numpy as np
import pandas as pd

from reports_gen.fileio import WriteError, atomic_open
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


# OWASP's CSV-injection rule: a spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix `'` to every text cell a spreadsheet would run as a formula (numbers stay numbers)."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
            continue
        # Judge each distinct value once (ids and names repeat down a column), then spread it.
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        text = pd.Series(uniques, dtype=object).astype(str)
        risky_unique = (text.str.startswith(FORMULA_STARTS) & ~text.str.match(_PLAIN_NUMBER)).to_numpy()
        if not risky_unique.any():
            continue
        risky = (codes >= 0) & risky_unique[np.maximum(codes, 0)]
        out[column] = values.astype(object).where(~risky, "'" + values.astype(str))
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Return an export table as the bytes of its CSV file, formulas neutralised."""
    return neutralise_formulas(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")


def write_exports(frames: dict[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write the export CSVs into `out`, all of them or none (a failure keeps the old files)."""
    new_folder = not out.exists()
    try:
        with contextlib.ExitStack() as stack:
            # every file is written to its temporary name first; the renames follow together
            for name, frame in frames.items():
                stack.enter_context(atomic_open(out / name)).write(csv_bytes(frame))
    except WriteError:
        if new_folder:
            with contextlib.suppress(OSError):
                out.rmdir()
        raise
    return [out / name for name in frames]
