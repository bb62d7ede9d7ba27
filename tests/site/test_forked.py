"""Planning on two cores: a forked child's part comes back whole, or the parent does it itself."""

from __future__ import annotations

import os
import sys
import time

import pandas as pd
import pytest
from fixtures import ROOT

from reports_gen.metrics.report import compute_report
from reports_gen.site import forked, managerviews, pages
from reports_gen.site.chartbook import ChartBook
from reports_gen.site.views import View

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_the_child_computes_in_another_process_and_sends_its_value_back():
    frame = pd.DataFrame({"outlet": ["Toko A", "Toko B"], "revenue": [1_500_000.0, 2_250_000.5]})
    child = forked.start(lambda: [os.getpid(), frame.assign(double=frame["revenue"] * 2)])
    assert child is not None
    pid, made = child.results()
    assert pid == child.pid != os.getpid()
    assert made["double"].tolist() == [3_000_000.0, 4_500_001.0]
    assert made["outlet"].tolist() == ["Toko A", "Toko B"]
    assert _gone(child.pid)  # reaped: no zombie left


def test_a_large_value_passes_through_the_pipe_whole():
    text = "x" * (3 << 20) + "end"  # larger than a pipe holds: read while the parent works
    child = forked.start(lambda: [text, "", text[:5]])
    assert child is not None
    time.sleep(0.2)  # the parent is busy: the child must not be held up
    assert child.results() == [text, "", "xxxxx"]


def test_a_child_that_fails_gives_none():
    def fail() -> None:
        raise ValueError("broken")

    def fail_later():
        yield "sent"
        fail()

    for produce in (fail, fail_later):  # nothing is used from a child that failed, even what it sent
        child = forked.start(produce)
        assert child is not None and child.results() is None
    assert _gone(child.pid)


def test_a_child_that_dies_gives_none():
    def dies():
        yield "sent"
        os._exit(0)  # "cleanly", without the end

    child = forked.start(dies)
    assert child is not None and child.results() is None
    nothing = forked.start(lambda: [])  # nothing to send is not a failure
    assert nothing is not None and nothing.results() == []


def test_a_value_that_cannot_be_pickled_gives_none():
    child = forked.start(lambda: [1, lambda: 1])
    assert child is not None and child.results() is None


def test_a_child_that_hangs_is_killed_and_gives_none(monkeypatch):
    monkeypatch.setattr(forked, "PATIENCE", 0.5)
    child = forked.start(lambda: [time.sleep(60)])
    assert child is not None
    start = time.monotonic()
    assert child.results() is None
    assert time.monotonic() - start < 10
    assert _gone(child.pid)


def test_one_core_runs_nothing_beside(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert forked.start(lambda: 1) is None


@pytest.fixture(scope="module")
def example_view() -> View:
    return View(compute_report(ROOT / "data"))


def _planned(view: View, monkeypatch: pytest.MonkeyPatch, start) -> tuple[list, ChartBook]:
    with monkeypatch.context() as patch:
        patch.setattr(forked, "start", start)
        book = ChartBook(view.tr)
        return pages.plan_pages(view, book, {"weekly.csv": 3}), book


def _same(first: tuple[list, ChartBook], second: tuple[list, ChartBook]) -> None:
    (a, book_a), (b, book_b) = first, second
    assert [(p.path, p.template, p.hide, p.title, p.searchable) for p in a] == [
        (p.path, p.template, p.hide, p.title, p.searchable) for p in b
    ]
    assert [p.context for p in a] == [p.context for p in b]
    assert list(book_a.requests) == list(book_b.requests)  # charts asked for in page order
    for name, request in book_a.requests.items():
        assert request.key("id", "IDR", b"") == book_b.requests[name].key("id", "IDR", b"")


def test_pages_planned_on_two_cores_are_those_planned_on_one(example_view, monkeypatch):
    alone = _planned(example_view, monkeypatch, lambda task: None)
    children: list = []
    real = forked.start

    def spy(task):
        children.append(real(task))
        return children[-1]

    together = _planned(example_view, monkeypatch, spy)
    assert children and children[0] is not None  # the second half was planned by a child
    _same(alone, together)
    assert len(alone[0]) > 100 and any(p.path.startswith("outlets/") for p in together[0])


def test_a_failed_child_leaves_its_half_to_the_parent(example_view, monkeypatch, tmp_path):
    alone = _planned(example_view, monkeypatch, lambda task: None)
    parent = os.getpid()
    real = managerviews.ranking_pages
    in_parent: list[int] = []

    def fails_in_child(*args, **kwargs):
        if os.getpid() != parent:
            (tmp_path / "failed").touch()
            raise RuntimeError("the child fails")
        in_parent.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(managerviews, "ranking_pages", fails_in_child)
    _same(alone, _planned(example_view, monkeypatch, forked.start))
    assert (tmp_path / "failed").exists()  # the child took the rankings, and failed
    assert in_parent == [1]  # the parent planned them once, after the child failed


def test_no_drawing_worker_starts_while_pages_are_planned_on_two_cores(example_view, monkeypatch, tmp_path):
    from reports_gen.site import chartbook

    monkeypatch.setattr(chartbook, "POOL_FROM", 1)
    weeks = example_view.series("company", "")[["week", "revenue", "revenue_target"]]
    book = ChartBook(example_view.tr)
    book.start(tmp_path / "charts", workers=2)
    with book.drawing_held():
        for n in range(3):
            book.add(f"revenue-{n}", "revenue_chart", weeks.iloc[: n + 2], title=f"Revenue {n}")
        assert book._pool is None  # queued, none drawn yet: the planning child may be running
    assert book._pool is not None  # the workers start as soon as the planning is over
    book.render(tmp_path / "charts")
    assert book.drawn == 3 and sorted(book.rendered) == ["revenue-0", "revenue-1", "revenue-2"]
    assert all(chart.svg.startswith(b"<?xml") for chart in book.rendered.values())
    assert [len(book.cells[f"revenue-{n}"][1]) for n in range(3)] == [2, 3, 4]  # the rows each was given


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="elsewhere: the platform's own")
def test_a_big_build_starts_its_drawing_workers_from_a_fork_server(monkeypatch):
    from reports_gen.site import chartbook

    monkeypatch.setattr(chartbook, "FORK_SERVER_FROM", 1)  # this process counts as big
    with chartbook.drawing_pool(2) as pool:
        assert pool.submit(os.getppid).result() != os.getpid()  # not forked from this process
    assert chartbook._start_method().get_start_method() == "forkserver"
    monkeypatch.setattr(chartbook, "FORK_SERVER_FROM", 1 << 50)  # a small build: forked
    with chartbook.drawing_pool(2) as pool:
        assert pool.submit(os.getppid).result() == os.getpid()
    assert chartbook._start_method().get_start_method() == "fork"
    assert 10 << 20 < chartbook._resident() < 4 << 30  # this test process: some MB


def test_the_second_core_plans_pages_only_when_few_charts_are_to_draw(example_view, monkeypatch, tmp_path):
    shares: list[int] = []
    real = forked.share

    def spy(units, idle=None):
        shares.append(len(units))
        return real(units, idle)

    monkeypatch.setattr(forked, "share", spy)
    cache = tmp_path / "charts"
    first = ChartBook(example_view.tr)
    first.start(cache, workers=2)
    drawn_first = pages.plan_site(example_view, first, {"weekly.csv": 3})[0]
    assert shares == []  # an empty cache: the drawing workers take the second core
    first.render(cache)
    assert first.drawn == len(first.requests) > pages.PROBE
    again = ChartBook(example_view.tr)
    again.start(cache, workers=2)
    rebuilt = pages.plan_site(example_view, again, {"weekly.csv": 3})[0]
    assert len(shares) == 1 and 0 < shares[0] < len(rebuilt)  # the pages after the probe
    assert again.few_to_draw and not again._todo
    assert [p.context for p in drawn_first] == [p.context for p in rebuilt]
    assert list(first.requests) == list(again.requests)


def test_while_waiting_for_the_child_the_parent_does_other_work():
    done_here: list[int] = []

    def idle() -> bool:  # one piece of other work at a time, five in all
        if len(done_here) == 5:
            return False
        time.sleep(0.05)
        done_here.append(os.getpid())
        return True

    def slow_last(beside: bool) -> str:
        if beside:
            time.sleep(1.0)  # the child's unit outlasts the parent's
        return "last"

    def first(beside: bool) -> str:
        time.sleep(0.3)  # long enough for the child to have taken the last unit
        return "first"

    units = [first, slow_last]
    assert forked.share(units, idle=idle) == ["first", "last"]
    assert done_here == [os.getpid()] * 5  # all of it, here, while the child still ran


def test_a_chart_drawn_while_waiting_is_drawn_once_and_counted(example_view, tmp_path):
    weeks = example_view.series("company", "")[["week", "revenue", "revenue_target"]]
    book = ChartBook(example_view.tr)
    book.start(tmp_path / "charts", workers=1)
    book.add("revenue-a", "revenue_chart", weeks.iloc[:3], title="A")
    book.add("revenue-b", "revenue_chart", weeks.iloc[:4], title="B")
    assert book.draw_one() and list(book.rendered) == ["revenue-a"]
    assert len(list((tmp_path / "charts").glob("*.pickle"))) == 1  # cached at once
    charts = book.render(tmp_path / "charts")
    assert book.drawn == 2 and sorted(book.rendered) == ["revenue-a", "revenue-b"]
    assert sorted(charts) == ["charts/revenue-a.svg", "charts/revenue-b.svg"]
    assert not book.draw_one()  # none left


def _rebuilt_without(view, monkeypatch, tmp_path, count):
    """Build once, drop the last `count` charts from the cache, and plan again on two cores.

    Return the first book, the book planned again, the dropped requests, and the folder where
    each drawing leaves a file named `chart.pid`.
    """
    from reports_gen.site import chartbook

    cache = tmp_path / "charts"
    first = ChartBook(view.tr)
    first.start(cache, workers=1)
    pages.plan_site(view, first, {"weekly.csv": 3})
    first.render(cache)
    # the last charts asked for are on the last pages, which the child plans: drop them
    dropped = list(first.requests.values())[-count:]
    inputs = chartbook.drawing_inputs()
    for request in dropped:
        (cache / f"{request.key(view.tr.language, view.tr.currency, inputs)}.pickle").unlink()
    drawers = tmp_path / "drawers"
    drawers.mkdir()
    real = chartbook._draw

    def spy(job, svg=True):
        (drawers / f"{job[1]}.{os.getpid()}").touch()
        return real(job, svg)

    monkeypatch.setattr(chartbook, "_draw", spy)
    again = ChartBook(view.tr)
    again.start(cache, workers=2)
    pages.plan_site(view, again, {"weekly.csv": 3})
    return first, again, dropped, drawers


def test_the_child_draws_the_new_charts_of_the_pages_it_plans(example_view, monkeypatch, tmp_path):
    first, again, last, drawers = _rebuilt_without(example_view, monkeypatch, tmp_path, 3)
    assert not again._todo  # none left for this process: the child drew them, into the cache
    drawn = sorted(path.name for path in drawers.iterdir())
    assert [name.rsplit(".", 1)[0] for name in drawn] == sorted(r.name for r in last)
    assert all(int(name.rsplit(".", 1)[1]) != os.getpid() for name in drawn)
    again.render(tmp_path / "charts")
    assert again.drawn == 3  # counted as drawn by this build
    for request in last:  # the same drawing as the first build's
        assert again.rendered[request.name].svg == first.rendered[request.name].svg
        assert again.cells[request.name] == first.cells[request.name]


_KILLED_BUILD = """
import os, sys, time
from reports_gen.site import chartbook
chartbook.FORK_SERVER_FROM = int(sys.argv[1])
pool = chartbook.drawing_pool(2, niceness=chartbook.NICENESS)
busy = [pool.submit(time.sleep, 120) for _ in range(2)]  # a worker each, drawing
time.sleep(1)
from multiprocessing import forkserver
server = forkserver._forkserver._forkserver_pid  # None when forked
print(" ".join(map(str, [*pool._processes, *([server] if server else [])])), flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
@pytest.mark.parametrize("server_from", [1 << 50, 1], ids=["forked", "fork-server"])
def test_a_killed_builds_drawing_workers_die_with_it(server_from):
    import signal
    import subprocess

    build = subprocess.Popen(
        [sys.executable, "-c", _KILLED_BUILD, str(server_from)], stdout=subprocess.PIPE, cwd=ROOT
    )
    assert build.stdout is not None
    workers = [int(pid) for pid in build.stdout.readline().split()]  # and the fork server
    assert len(workers) == (2 if server_from > 1 else 3) and all(not _gone(pid) for pid in workers)
    assert all(os.getpriority(os.PRIO_PROCESS, pid) >= 5 for pid in workers[:2])  # at a lower priority
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=10)
    deadline = time.monotonic() + 10
    while not all(_gone(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(_gone(pid) for pid in workers)
    assert build.stdout.read() == b""  # nothing holds the build's output open any more


def test_a_few_charts_left_to_draw_are_drawn_on_two_cores(example_view, monkeypatch, tmp_path):
    from reports_gen.site import chartbook

    drawers = tmp_path / "drawers"
    drawers.mkdir()
    real = chartbook._draw

    def spy(job, svg=True):
        time.sleep(0.2)  # each takes long enough for the child to take some
        (drawers / f"{job[1]}.{os.getpid()}").touch()
        return real(job, svg)

    monkeypatch.setattr(chartbook, "_draw", spy)
    weeks = example_view.series("company", "")[["week", "revenue", "revenue_target"]]
    book = ChartBook(example_view.tr)
    book.start(tmp_path / "charts", workers=2)
    for n in range(4):
        book.add(f"revenue-{n}", "revenue_chart", weeks.iloc[: n + 2], title=f"Revenue {n}")
    assert book._pool is None  # too few for the workers
    charts = book.render(tmp_path / "charts")
    names = sorted(path.name for path in drawers.iterdir())
    assert [name.rsplit(".", 1)[0] for name in names] == [f"revenue-{n}" for n in range(4)]  # each once
    pids = {int(name.rsplit(".", 1)[1]) for name in names}
    assert os.getpid() in pids and len(pids) == 2  # here and in a forked copy
    assert book.drawn == 4 and sorted(charts) == [f"charts/revenue-{n}.svg" for n in range(4)]
    assert [len(book.cells[f"revenue-{n}"][1]) for n in range(4)] == [2, 3, 4, 5]
    assert len(list((tmp_path / "charts").glob("*.pickle"))) == 4  # cached here
    one = ChartBook(example_view.tr)  # drawn alone, the same drawings
    one.add("revenue-3", "revenue_chart", weeks.iloc[:5], title="Revenue 3")
    one.render(None, workers=1)
    assert one.rendered["revenue-3"].svg == book.rendered["revenue-3"].svg


def test_the_child_draws_at_most_pool_from_charts_and_leaves_the_rest(example_view, monkeypatch, tmp_path):
    count = pages.POOL_FROM + 5  # more than the child may draw
    _, again, dropped, drawers = _rebuilt_without(example_view, monkeypatch, tmp_path, count)
    in_child = [p for p in drawers.iterdir() if int(p.name.rsplit(".", 1)[1]) != os.getpid()]
    assert 0 < len(in_child) <= pages.POOL_FROM  # the rest are left to this process
    assert len(again._todo) == len(dropped) - len(in_child)
    again.render(tmp_path / "charts")
    assert again.drawn == len(dropped)
    assert sorted(p.name.rsplit(".", 1)[0] for p in drawers.iterdir()) == sorted(r.name for r in dropped)
