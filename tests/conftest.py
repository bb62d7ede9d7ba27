"""Pytest fixtures; the data and helpers they use live in fixtures.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures import ROOT, build_project, tree_digest, write_data


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A valid small data directory."""
    return write_data(tmp_path / "data", {})


@pytest.fixture
def make_data(tmp_path: Path):
    """Build a data directory from BASE_FILES with some files replaced."""

    def make(files: dict[str, str | bytes | None]) -> Path:
        return write_data(tmp_path / "data", files)

    return make


@pytest.fixture(scope="session")
def example_site(tmp_path_factory):
    """The shipped example data built once, strictly; data/ must be left untouched."""
    before = tree_digest(ROOT / "data")
    tmp = tmp_path_factory.mktemp("example")
    result = build_project(tmp, ROOT / "data")
    assert tree_digest(ROOT / "data") == before
    return result
