"""Every `check_data` of the dataset tests also reads through the per-file cache, cold and warm.

The tests state what reading a data directory must give, on valid and broken data; here each
call is repeated with a ReadCache (first empty, then filled by that first read, with the files'
digests given as a build gives them, then with half its entries gone) and must give exactly the
same problems, in the same order, and the same dataset. The test sees the read without a cache.
"""

from __future__ import annotations

import tempfile
from dataclasses import fields
from pathlib import Path

import pandas as pd
import pytest

from reports_gen.dataset import dataset as dataset_module
from reports_gen.dataset.dataset import CheckResult, Dataset
from reports_gen.dataset.filecache import ReadCache, file_digests

_check_data = dataset_module.check_data


def assert_same_result(plain: CheckResult, cached: CheckResult) -> None:
    """Assert two reads of a data directory gave the same problems, in order, and the same dataset."""
    assert cached.problems == plain.problems
    assert (cached.dataset is None) == (plain.dataset is None)
    if plain.dataset is not None and cached.dataset is not None:
        assert_same_dataset(plain.dataset, cached.dataset)


def assert_same_dataset(plain: Dataset, cached: Dataset) -> None:
    """Assert two datasets hold the same values, frames compared column by column with their types."""
    for field in fields(Dataset):
        one, other = getattr(plain, field.name), getattr(cached, field.name)
        if isinstance(one, pd.DataFrame):
            pd.testing.assert_frame_equal(other, one, check_exact=True)
        else:
            assert other == one, field.name


def check_data_both_ways(root: Path, cache: ReadCache | None = None) -> CheckResult:
    """Read `root` without a cache, then through an empty and a filled cache; return the first read."""
    plain = _check_data(root, cache)
    if cache is not None or not root.is_dir():
        return plain
    with tempfile.TemporaryDirectory() as folder:
        cold = ReadCache(Path(folder), root)
        assert_same_result(plain, _check_data(root, cold))
        try:
            digests = file_digests(root)
        except OSError:  # a file that cannot be read: each is read (and reported) as it comes
            digests = None
        warm = ReadCache(Path(folder), root, digests=digests)
        assert_same_result(plain, _check_data(root, warm))
        assert warm.misses == 0 and warm.hits == cold.misses, "the second read is all from the cache"
        for entry in sorted(Path(folder).iterdir())[::2]:
            entry.unlink()  # half the files from the cache, half read again (together)
        mixed = ReadCache(Path(folder), root, digests=digests)
        assert_same_result(plain, _check_data(root, mixed))
        assert mixed.hits + mixed.misses == cold.misses
    return plain


@pytest.fixture(autouse=True)
def _read_through_cache_too(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Make `check_data` as the test module imported it compare reads with and without the cache."""
    module = request.module
    if getattr(module, "check_data", None) is _check_data:
        monkeypatch.setattr(module, "check_data", check_data_both_ways)
