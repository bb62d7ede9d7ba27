"""The three export CSVs of SPEC section 5: weekly.csv, periods.csv and alerts.csv."""

from __future__ import annotations

import contextlib
import csv
import io
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from reports_gen.fileio import WriteError, atomic_open
from reports_gen.metrics.alerts import ALERT_COLUMNS
from reports_gen.metrics.periods import PERIOD_COLUMNS, PERIOD_FIGURES
from reports_gen.metrics.weekly import WEEKLY_METRICS, Metrics


def weekly_long(metrics: Metrics) -> pd.DataFrame:
    """Return weekly metrics as rows of week, scope, id, metric, value."""
    weekly = metrics.weekly
    if not weekly.index.is_unique or not weekly.index.is_monotonic_increasing:
        return _weekly_melted(metrics)  # rows ordered by their index labels, not their places
    if weekly.duplicated(["week", "scope", "id"]).any():
        return _weekly_melted(metrics)
    # each weekly row becomes len(WEEKLY_METRICS) rows, metrics in their order: a row-major reshape
    count = len(WEEKLY_METRICS)
    rows = np.repeat(np.arange(len(weekly)), count)
    long = weekly[["week", "scope", "id"]].take(rows).reset_index(drop=True)
    long["metric"] = pd.array(np.tile(np.array(WEEKLY_METRICS, dtype=object), len(weekly)), dtype="str")
    long["value"] = weekly[list(WEEKLY_METRICS)].to_numpy(dtype=float).reshape(-1)
    return long


def _weekly_melted(metrics: Metrics) -> pd.DataFrame:
    """weekly_long for a frame with repeated keys: melted and merged back in order."""
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
    weekly["value"] = plain_numbers(weekly["value"])
    periods = metrics.periods[list(PERIOD_COLUMNS)].copy()
    for column in PERIOD_FIGURES:
        periods[column] = plain_numbers(periods[column])
    alerts = alerts[list(ALERT_COLUMNS)].copy()
    alerts["date"] = alerts["date"].dt.strftime("%Y-%m-%d")
    return {"weekly.csv": weekly, "periods.csv": periods, "alerts.csv": alerts}


def plain_numbers(values: pd.Series) -> pd.Series:
    """Write a column of numbers as plain_number does, whole numbers in bulk."""
    if not isinstance(values.dtype, np.dtype) or values.dtype.kind not in "iuf":
        return values.map(plain_number)
    number = values.to_numpy(dtype=float)
    text = np.full(len(number), "", dtype=object)
    whole = (np.abs(number) < 1e15) & (number == np.trunc(number))  # False for NaN and infinity
    text[whole] = [str(n) for n in number[whole].astype(np.int64).tolist()]
    rest = ~whole & ~np.isnan(number)
    text[rest] = [plain_number(n) for n in number[rest].tolist()]
    return pd.Series(text, index=values.index, dtype="str")


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
    text = _text_csv(frame)
    if text is None:
        text = neutralise_formulas(frame).to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8")


_QUOTED = re.compile('[,"\n\r]')  # what the csv module may quote (QUOTE_MINIMAL): the rest is never


def _text_csv(frame: pd.DataFrame) -> str | None:
    """Write a frame of text cells as to_csv would after neutralise_formulas, each distinct cell once.

    None when a column is not text, or the frame too narrow for the csv module's special cases.
    """
    text = pd.api.types.is_object_dtype, pd.api.types.is_string_dtype
    if len(frame.columns) < 2 or not all(text[0](frame[c]) or text[1](frame[c]) for c in frame.columns):
        return None
    cells = []
    for column in frame.columns:
        codes, uniques = pd.factorize(frame[column].to_numpy(dtype=object), use_na_sentinel=True)
        if not all(isinstance(u, str) for u in uniques):
            return None
        shown = uniques.tolist()
        starts = [i for i, value in enumerate(shown) if value.startswith(FORMULA_STARTS)]  # the only suspects
        if starts:
            suspects = pd.DataFrame({"v": pd.Series([shown[i] for i in starts], dtype=object)})
            for i, value in zip(starts, neutralise_formulas(suspects)["v"], strict=True):
                shown[i] = value
        written = np.array([*(_csv_field(v) for v in shown), ""], dtype=object)  # last: an empty cell
        cells.append(written[codes].tolist())
    lines = [",".join(_csv_field(str(c)) for c in frame.columns)]
    lines.extend(map(",".join, zip(*cells, strict=True)))
    return "\n".join(lines) + "\n"


def _csv_field(value: str) -> str:
    """Write one cell as the csv module does (minimal quoting)."""
    if not _QUOTED.search(value):
        return value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([value, ""])
    return out.getvalue()[:-2]  # the cell, without the empty one after it and the line end


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
