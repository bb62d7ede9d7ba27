"""Grouping, sorting and de-duplicating by key columns through one integer per row.

pandas hashes text keys again for every groupby, sort and drop_duplicates; the target plan
does a dozen of them over hundreds of thousands of rows. Here each key column is coded once
(its distinct values sorted, so codes compare as the values do) and the codes are combined
into one integer: the same groups, in the same order, with the same sums as pandas gives.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

_LIMIT = 2**62  # the combined code of the key columns must fit in an int64


def _factorize(values: pd.Series, sort: bool, missing: bool = True) -> tuple[np.ndarray, pd.Index]:
    """Code a column (text through its plain objects, pandas' faster path); -1 for a missing value."""
    data = values.to_numpy(dtype=object) if pd.api.types.is_string_dtype(values.dtype) else values.to_numpy()
    codes, uniques = pd.factorize(data, sort=sort, use_na_sentinel=missing)
    return codes, pd.Index(uniques, dtype=values.dtype)


def _combined(frame: pd.DataFrame, keys: list[str], sort: bool, missing: bool = True):
    """Return one code per row for `keys`, each key's distinct values and the rows with every key,
    or None when the codes would not fit in an integer (or a key is categorical)."""
    code = np.zeros(len(frame), dtype=np.int64)
    complete = np.ones(len(frame), dtype=bool)
    factors = []
    size = 1
    for key in keys:
        if isinstance(frame[key].dtype, pd.CategoricalDtype):  # sorted by its categories' order
            return None
        codes, uniques = _factorize(frame[key], sort, missing)
        count = max(len(uniques), 1) + (1 if missing else 0)  # room for a missing value, coded last
        size *= count
        if size >= _LIMIT:
            return None
        factors.append((key, uniques, count))
        complete &= codes >= 0
        code = code * count + np.where(codes < 0, count - 1, codes)
    return code, factors, complete


def grouped_sum(frame: pd.DataFrame, keys: list[str], column: str) -> pd.DataFrame:
    """Return frame.groupby(keys, as_index=False)[column].sum(): the same groups, order and sums.

    Each group adds its rows in their order with pandas' own summation, so the sums are the
    same to the last bit. Rows with a missing key are left out, as pandas does.
    """
    combined = None if frame.empty else _combined(frame, keys, sort=True)
    if combined is None:
        return frame.groupby(keys, as_index=False)[column].sum()
    code, factors, complete = combined
    values = frame[column] if complete.all() else frame[column][complete]
    sums = values.groupby(code[complete]).sum()
    at = sums.index.to_numpy()
    columns = {}
    for key, uniques, count in reversed(factors):
        columns[key] = uniques.take(at % count)
        at = at // count
    out = pd.DataFrame({key: columns[key] for key in keys})
    out[column] = sums.to_numpy()
    return out


def grouped_agg(frame: pd.DataFrame, keys: list[str], aggs: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Return frame.groupby(keys, as_index=False).agg(**aggs) ("size", "sum"...): the same groups,
    order and figures, grouping by one number per row instead of the key columns.

    The numbers rank as the keys do and a row with a missing key keeps a missing number, so pandas
    numbers the groups alike and sums each group's rows by the same path, to the same bits.
    """
    combined = None if frame.empty else _combined(frame, keys, sort=True)
    if combined is None:
        return frame.groupby(keys, as_index=False).agg(**aggs)
    code, factors, complete = combined
    group: np.ndarray = code
    if not complete.all():  # dense ranks, so that they stay exact as floats beside NaN
        dense, code = pd.factorize(code, sort=True)
        group = np.where(complete, dense, np.nan)
    columns = list(dict.fromkeys(column for column, _ in aggs.values()))
    figures = frame[columns].reset_index(drop=True).groupby(group).agg(**aggs)
    at = figures.index.to_numpy().astype(np.int64)
    at = at if complete.all() else code[at]
    out = {}
    for key, uniques, count in reversed(factors):
        out[key] = uniques.take(at % count)
        at = at // count
    result = pd.DataFrame({key: out[key] for key in keys})
    for name in aggs:
        result[name] = figures[name].to_numpy()
    return result


def grouped_sum_indexed(frame: pd.DataFrame, keys: list[str], column: str) -> pd.Series:
    """Return frame.groupby(keys)[column].sum(): grouped_sum indexed by the keys."""
    sums = grouped_sum(frame, keys, column)
    index = pd.Index(sums[keys[0]], name=keys[0]) if len(keys) == 1 else pd.MultiIndex.from_frame(sums[keys])
    return pd.Series(sums[column].to_numpy(), index=index, name=column)


def sort_order(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """Return the positions of frame.sort_values(keys) (stable, missing values last)."""
    combined = _combined(frame, keys, sort=True)
    if combined is None:
        return frame.reset_index(drop=True).sort_values(keys, kind="stable").index.to_numpy()
    return np.argsort(combined[0], kind="stable")


def first_of_each(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """Return the mask of the rows frame.drop_duplicates(keys) keeps (the first of each key)."""
    combined = _combined(frame, keys, sort=False, missing=False)
    if combined is None:
        return ~frame.duplicated(keys).to_numpy()
    return ~pd.Series(combined[0]).duplicated().to_numpy()


def key_numbers(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """Return frame.groupby(keys, sort=False).ngroup(): each row's key numbered in order of first
    appearance, -1 for a row with a missing key."""
    combined = _combined(frame, keys, sort=False)
    if combined is None:
        return frame.groupby(keys, sort=False).ngroup().fillna(-1).astype(np.int64).to_numpy()
    complete = combined[2]
    numbers = np.full(len(frame), -1, dtype=np.int64)
    numbers[complete] = pd.factorize(combined[0][complete])[0]
    return numbers


def group_positions(frame: pd.DataFrame, keys: list[str]) -> dict[tuple, np.ndarray]:
    """Return dict(frame.groupby(keys, sort=False).indices): each key's row positions, in order,
    keys in order of first appearance, none for a row with a missing key."""
    if frame.empty:
        return {}
    numbers = key_numbers(frame, keys)
    order = np.argsort(numbers, kind="stable")
    ranked = numbers[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    firsts = order[starts]
    values = zip(*(frame[k].to_numpy(dtype=object)[firsts] for k in keys), strict=True)
    groups = np.split(order, starts[1:])
    return {key: at for key, at, n in zip(values, groups, ranked[starts], strict=True) if n >= 0}


class CodedKey:
    """A key column coded once, for several groupings of (parts of) its rows.

    `size`, `sum` and `max` give what `values[mask].groupby(key[mask]).size()` (`.sum()`, `.max()`)
    gives, indexed by the key's values sorted (rows with a missing key left out), but grouping by
    numbers: the codes rank as the values do, so pandas numbers the groups alike and adds each
    group's rows in their order by the same path (its sum takes another when the groups' rows come
    sorted), to the same bits. A missing key stays a missing (NaN) code, so that path is chosen alike.
    """

    def __init__(self, key: pd.Series):
        self.codes, self.values = _factorize(key, sort=True)
        self.values.name = key.name

    def size(self, mask: np.ndarray | None = None) -> pd.Series:
        """Return the number of rows (where `mask`) per key."""
        codes = self._keys(mask)
        return self._labelled(pd.Series(np.zeros(len(codes))).groupby(codes).size())

    def sum(self, values: pd.Series, mask: np.ndarray | None = None) -> pd.Series:
        """Return the sum of `values` (where `mask`) per key."""
        return self._labelled(self._grouped(values, mask).sum())

    def max(self, values: pd.Series, mask: np.ndarray | None = None) -> pd.Series:
        """Return the largest of `values` (where `mask`) per key."""
        return self._labelled(self._grouped(values, mask).max())

    def _keys(self, mask: np.ndarray | None) -> np.ndarray:
        """The codes of the rows in `mask`: integers, or floats with NaN where a key is missing."""
        codes = self.codes if mask is None else self.codes[mask]
        if (codes < 0).any():
            return np.where(codes < 0, np.nan, codes.astype(float))
        return codes

    def _grouped(self, values: pd.Series, mask: np.ndarray | None) -> Any:
        picked = values.to_numpy() if mask is None else values.to_numpy()[mask]
        return pd.Series(picked, name=values.name).groupby(self._keys(mask))

    def _labelled(self, grouped: pd.Series) -> pd.Series:
        grouped.index = self.values.take(grouped.index.to_numpy().astype(np.intp))
        return grouped
