"""Random draws shared by the generators."""

from __future__ import annotations

import numpy as np


def pick(options: list[str], n: int, rng: np.random.Generator, p: list[float] | None = None) -> np.ndarray:
    """Draw `n` of `options` with replacement, with probabilities `p` if given."""
    return np.array(options, dtype=object)[rng.choice(len(options), size=n, p=p)]


def round_to(values: np.ndarray, step: np.ndarray | int) -> np.ndarray:
    """Round to whole multiples of `step`, at least one step."""
    return np.maximum(step, np.rint(values / step) * step).astype(np.int64)


def sample_groups(keys: np.ndarray, groups: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Pick a random member (index into `keys`) of each requested group; -1 for an empty one."""
    if len(keys) == 0 or len(groups) == 0:
        return np.full(len(groups), -1)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    lo = np.searchsorted(sorted_keys, groups, "left")
    hi = np.searchsorted(sorted_keys, groups, "right")
    pick = np.minimum(lo + (rng.random(len(groups)) * (hi - lo)).astype(int), len(order) - 1)
    return np.where(hi > lo, order[pick], -1)
