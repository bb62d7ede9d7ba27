"""Charts drawn while MkDocs renders the pages: described first, drawn in the background."""

from __future__ import annotations

import multiprocessing
import os

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from fixtures import new_project, write_data

from reports_gen.cli import cli
from reports_gen.i18n import Translator
from reports_gen.site.chartbook import ChartBook

NAN = float("nan")


def _book() -> ChartBook:
    """A book of one chart of each kind with data, and two without (they are drawn empty)."""
    book = ChartBook(Translator("id"))
    weeks = pd.DataFrame(
        {
            "week": ["2026-W45", "2026-W46", "2026-W47"],
            "revenue": [1e9, 1.4e9, 1.2e9],
            "revenue_target": [NAN, 1e9, 1.1e9],
            "actual_calls": [400, 500, 450],
            "effective_calls": [240, 250, 300],
            "ec_ratio": [0.6, 0.5, 2 / 3],
            "pjp_rate": [0.95, 0.8, 0.9],
            "coverage": [0.9, NAN, 0.7],
        }
    )
    people = pd.DataFrame(
        {"label": [f"P{i:02d}" for i in range(40)], "revenue": np.arange(40) * 1e7, "target": 2e8}
    )
    book.add("revenue", "revenue_chart", weeks, title="Tim A")
    book.add("calls", "calls_chart", weeks, title="Tim A", ec_threshold=0.6)
    book.add(
        "compliance", "compliance_chart", weeks, title="Tim A", pjp_threshold=0.9, coverage_threshold=0.8
    )
    book.add("ranking", "ranking_chart", people, title="Omzet")
    book.add("empty", "revenue_chart", weeks.assign(revenue=NAN), title="Tim B")
    book.add(
        "reasons", "pareto_chart", pd.DataFrame(columns=["label", "count", "share", "cumulative"]), title="X"
    )
    return book


def test_a_deferred_book_describes_first_and_writes_the_same_charts_when_finished(tmp_path):
    drawn = _book()
    whole = drawn.render(tmp_path / "cache-a")
    deferred = _book()
    assert deferred.render(tmp_path / "cache-b", defer=True) == {}  # nothing cached yet: nothing drawn
    # The pages get the same alt texts and data tables before any drawing is done.
    for name, chart in drawn.rendered.items():
        assert deferred.rendered[name].alt == chart.alt
        assert deferred.rendered[name].svg == b""
        assert deferred.cells[name] == drawn.cells[name]
    assert sorted(deferred.pending_paths) == sorted(f"charts/{name}.svg" for name in drawn.requests)
    deferred.finish(tmp_path / "pages")
    assert deferred.pending_paths == []
    for path, svg in whole.items():
        assert (tmp_path / "pages" / path).read_bytes() == svg  # byte for byte what a plain render draws
    assert len(list((tmp_path / "cache-b").glob("*.pickle"))) == 6
    # The next build finds every chart in the cache: nothing is left to draw.
    again = _book()
    assert again.render(tmp_path / "cache-b", defer=True) == whole
    assert again.drawn == 0 and again.pending_paths == []


def test_an_abandoned_book_stops_its_workers_and_writes_nothing(tmp_path):
    book = ChartBook(Translator("en"))
    for week in range(60):  # over 20 charts: drawn by worker processes
        frame = pd.DataFrame({"week": ["2026-W46", "2026-W47"], "revenue": [week * 1e6, 2e6]})
        book.add(f"r{week}", "revenue_chart", frame, title="T")
    drawn = book.render(tmp_path / "cache", workers=2, defer=True)
    # Those drawn by now come with the pages; the rest are still being drawn.
    assert len(drawn) + len(book.pending_paths) == 60 and book.pending_paths
    assert multiprocessing.active_children()
    book.abandon()
    book.finish(tmp_path / "pages")  # a late finish has nothing left to write
    assert not (tmp_path / "pages").exists()
    assert multiprocessing.active_children() == []


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities here")
def test_background_drawing_yields_to_the_build(tmp_path):
    book = ChartBook(Translator("en"))
    for week in range(25):
        book.add(
            f"r{week}", "revenue_chart", pd.DataFrame({"week": ["2026-W47"], "revenue": [1e6]}), title="T"
        )
    book.render(None, workers=2, defer=True)
    assert book._pool is not None
    niceness = book._pool.submit(os.nice, 0).result()
    book.finish(tmp_path)
    assert niceness == min(os.nice(0) + 5, 19)  # 5 lower than ours (19 is the lowest there is)


def test_a_build_that_fails_while_charts_are_drawn_leaves_the_pages_unmarked(tmp_path, monkeypatch):
    import mkdocs.commands.build as mkdocs_build

    data = write_data(tmp_path / "data", {})
    project = new_project(tmp_path / "project")

    def broken(config, **kwargs):
        raise OSError("the build machine went away")

    monkeypatch.setattr(mkdocs_build, "build", broken)
    result = CliRunner().invoke(cli, ["build", "-q", "--data", str(data), "-f", str(project / "mkdocs.yml")])
    assert result.exit_code == 1
    work = project / ".reports-gen"
    # Neither mark is written: the next build and a plain `mkdocs build` both generate again.
    assert not (work / "pages.key").exists() and not (work / "pages.digest").exists()
    assert multiprocessing.active_children() == []
    monkeypatch.undo()
    result = CliRunner().invoke(cli, ["build", "-q", "--data", str(data), "-f", str(project / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    charts = sorted(p.name for p in (project / "site" / "charts").glob("*.svg"))
    assert len(charts) > 20  # enough for worker processes: they were running when the build failed
    assert charts == sorted(p.name for p in (work / "pages" / "charts").glob("*.svg"))
    assert (work / "pages.key").exists() and (work / "pages.digest").exists()


def test_a_started_book_draws_while_the_pages_are_still_asking(tmp_path):
    book = ChartBook(Translator("en"))
    book.start(tmp_path / "cache", workers=2)
    for week in range(25):
        book.add(
            f"r{week}",
            "revenue_chart",
            pd.DataFrame({"week": ["2026-W47"], "revenue": [week * 1e6]}),
            title="T",
        )
    # Past 20 new charts, workers draw them already: nothing waits for `render`.
    assert multiprocessing.active_children()
    first = next(iter(book._todo.values())).result()[0]
    assert first.svg.startswith(b"<?xml") and first.name == "r0"
    files = book.render(tmp_path / "cache", workers=2)
    assert sorted(files) == sorted(f"charts/r{week}.svg" for week in range(25))
    assert book.drawn == 25 and multiprocessing.active_children() == []
    # Asked again, the same charts come from the cache as they are asked for.
    again = ChartBook(Translator("en"))
    again.start(tmp_path / "cache", workers=2)
    again.add("r3", "revenue_chart", pd.DataFrame({"week": ["2026-W47"], "revenue": [3e6]}), title="T")
    assert again.rendered["r3"].svg == files["charts/r3.svg"] and again.pending_paths == []


def test_a_build_that_fails_while_writing_pages_stops_the_drawing(tmp_path, monkeypatch):
    import reports_gen.site.build as build

    data = write_data(tmp_path / "data", {})
    project = new_project(tmp_path / "project")

    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build, "iter_pages", broken)
    result = CliRunner().invoke(cli, ["build", "-q", "--data", str(data), "-f", str(project / "mkdocs.yml")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert multiprocessing.active_children() == []
    assert not (project / ".reports-gen" / "pages.key").exists()
