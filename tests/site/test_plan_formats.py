"""The manager pages' cached formatters and column-wise builders print what Babel and the
row-by-row code printed (issue 14, point 3)."""

from __future__ import annotations

import itertools
import posixpath
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from reports_gen.i18n import Translator
from reports_gen.metrics.insights import OutletHistory
from reports_gen.site import managertargets, managerviews
from reports_gen.site.htmlparts import Formats, Links, _relpath, each
from reports_gen.site.managerpages import Manager
from reports_gen.site.outletbook import _week_rows


@pytest.mark.parametrize("language", ["id", "en"])
def test_negative_zero_keeps_babels_minus_sign_whatever_was_cached_first(language):
    tr = Translator(language, "IDR")
    # Babel prints the sign of -0.0: "-Rp0", "-0%", "-0" (the site's pages use Babel's form)
    assert (tr.money(-0.0), tr.percent(-0.0), tr.number(-0.0)) == ("-Rp0", "-0%", "-0")
    for first, then in ((0.0, -0.0), (-0.0, 0.0)):  # -0.0 == 0.0 and both hash alike
        fmt = Formats(tr)
        results = {}
        for value in (first, then, np.float64(first), np.float64(then)):
            results.setdefault(str(value), set()).add(
                (fmt.money(value), fmt.percent(value), fmt.number(value), fmt.money_compact(value))
            )
        assert results["0.0"] == {("Rp0", "0%", "0", "Rp0")}
        assert results["-0.0"] == {("-Rp0", "-0%", "-0", "-Rp0")}
    fmt = Formats(tr)
    assert fmt.number(-0.0, 1) == ("-0,0" if language == "id" else "-0.0")  # digits still passed on
    assert fmt.number(0.0, 1) == ("0,0" if language == "id" else "0.0")


# Every kind of value a column can hold: ints and floats of one value, both zeros, halves (half
# to even), negatives, NaN (float and numpy), big amounts.
VALUES = [1500000, 1500000.0, 0, 0.0, -0.0, np.float64(-0.0), 0.5, 1.5, 2.5, 0.8125, 0.135, -0.05]
VALUES += [-2500.4, float("nan"), np.float64("nan"), 1082.2, 12345678901.0, 7, 1234567.5]


@pytest.mark.parametrize("language", ["id", "en"])
def test_column_formatters_print_what_the_value_formatters_print(language):
    tr = Translator(language, "IDR")
    fmt = Formats(tr)
    for column in (VALUES, pd.Series(VALUES, dtype=float), pd.Series(VALUES, dtype=float)[::-1]):
        values = list(column)
        assert fmt.money_each(column).tolist() == [tr.money(v) for v in values]
        assert fmt.percent_each(column).tolist() == [tr.percent(v) for v in values]
        assert fmt.number_each(column).tolist() == [tr.number(v) for v in values]
    # hand-checked: whole rupiah rounded half to even, grouped by the locale; -0.0 keeps its sign
    dot = "." if language == "id" else ","
    assert fmt.money_each([0.5, 1.5, 2.5, 1234567.5, -0.0, -2500.4, float("nan")]).tolist() == [
        "Rp0",  # 0.5 -> 0 (even)
        "Rp2",  # 1.5 -> 2
        "Rp2",  # 2.5 -> 2 (even)
        f"Rp1{dot}234{dot}568",  # 1234567.5 -> 1234568 (even)
        "-Rp0",
        f"-Rp2{dot}500",
        "–",
    ]
    assert fmt.percent_each([0.8125, 0.125, -0.0]).tolist() == ["81%", "12%", "-0%"]  # 12.5 -> 12


def test_each_formats_every_distinct_value_once_and_keeps_minus_zero_apart():
    calls = []

    def show(value):
        calls.append(value)
        return f"<{value}>"

    out = each([2.0, 0.0, -0.0, 2.0, float("nan"), 0.0, -0.0, float("nan")], show)
    assert out.tolist() == ["<2.0>", "<0.0>", "<-0.0>", "<2.0>", "<nan>", "<0.0>", "<-0.0>", "<nan>"]
    # 2.0, 0.0 (one entry for both zeros: hashed alike) and NaN once each, then one call per sign
    assert len(calls) == 5
    assert each(pd.Series(["b", "a", "b"], dtype="string"), str.upper).tolist() == ["B", "A", "B"]
    assert each([], str).tolist() == []


def test_relative_paths_between_pages_are_posixpaths():
    paths = ["", "a", "a/", "a/b", "a/b/", "ab/c", "a/bc", "people/p1/", "people", "people/p10/"]
    paths += ["rankings/2026-W47/", "a/./b", "a//b", "../up", "a/../b", "/abs"]
    for to, start in itertools.product(paths, repeat=2):
        assert _relpath(to or ".", start or ".") == posixpath.relpath(to or ".", start or "."), (to, start)
    assert Links(True).href("people/p1/index.md", "rankings/2026-W47.md") == "../../people/p1/"
    assert Links(False).href("people/p1/index.md", "rankings/2026-W47.md") == "../people/p1/index.html"


def test_outlet_history_rows_built_column_wise():
    tr = Translator("en", "IDR")
    fmt = Formats(tr)
    weeks = ("2026-W46", "2026-W47")
    summary = pd.DataFrame(index=pd.Index(["A", "B", "C"], name="outlet_id"))
    visits = pd.DataFrame(
        {
            "outlet_id": ["A", "B", "A"],
            "date": pd.to_datetime(["2026-11-09", "2026-11-17", "2026-11-10"]),  # Mon W46, Tue W47
            "week": ["2026-W46", "2026-W47", "2026-W46"],
            "outcome": ["visited", "unplanned", "missed"],
            "order_value": [1500000.0, 0.0, 0.0],
            "no_order_reason": ["", "<closed>", "ignored: missed"],
        }
    )
    weekly = pd.DataFrame({"outlet_id": ["A"], "week": ["2026-W46"], "revenue": [1500000.0]})
    history = OutletHistory(weeks, summary, visits, weekly)
    rows = _week_rows(history, fmt)
    cell = '</td><td class="mgr-num">'
    # newest week first; a week's visits in visit order; a reason only on a visit, escaped; the signs
    # dash, tick and cross as entities, so the books take one byte a character in memory
    assert rows["A"] == (
        f'<tr><th scope="row">W47</th><td>&#8211;{cell}Rp0</td></tr>'
        f'<tr><th scope="row">W46</th><td><ul class="mgr-inline">'
        "<li>Mon 9/11 &#10003; visited · Rp1,500,000</li><li>Tue 10/11 &#10007; missed</li>"
        f"</ul>{cell}Rp1,500,000</td></tr>"
    )
    assert rows["B"] == (
        f'<tr><th scope="row">W47</th><td><ul class="mgr-inline">'
        f"<li>Tue 17/11 &#10003; visited (unplanned) · &lt;closed&gt;</li></ul>{cell}Rp0</td></tr>"
        f'<tr><th scope="row">W46</th><td>&#8211;{cell}Rp0</td></tr>'
    )
    empty = '<tr><th scope="row">{}</th><td>&#8211;' + cell + "Rp0</td></tr>"
    assert rows["C"] == empty.format("W47") + empty.format("W46")  # no visit, no revenue


def _manager(language: str = "en") -> Manager:
    """A Manager whose formatters read nothing but the translator."""
    return Manager(SimpleNamespace(tr=Translator(language, "IDR")), Links())  # type: ignore[arg-type]


def test_target_breakdown_figures_formatted_by_column():
    m = _manager()
    frame = pd.DataFrame(
        {
            "metric": ["revenue", "units", "revenue"],
            "target": [1500000.0, 304.6, float("nan")],
            "actual": [750000.0, 305.0, 20000.4],
            "attainment": [0.5, 1.0013, float("nan")],
            "status": ["behind", "achieved", ""],
        }
    )
    cells = managertargets._figure_cells(m, frame)
    assert [[c.html for c in row[:3]] for row in cells] == [
        ["Rp1,500,000", "Rp750,000", "50%"],  # revenue: money
        ["305", "305", "100%"],  # a count: 304.6 rounds to 305; 1.0013 -> 100%
        ["–", "Rp20,000", "–"],  # no target: no attainment
    ]
    assert [[c.sort for c in row[:3]] for row in cells] == [
        ["1500000.0", "750000.0", "0.5"],
        ["304.6", "305.0", "1.0013"],
        ["-1e300", "20000.4", "-1e300"],  # missing sorts last
    ]
    assert cells[0][3].html.startswith('<span class="rg-status rg-behind mgr-badge">')
    assert cells[0][3].sort == "behind" and cells[2][3].html == "–"


def test_ranking_cells_formatted_by_column():
    m = _manager()
    frame = pd.DataFrame(
        {
            "rank_attainment": [1.0, float("nan")],
            "change_attainment": [2.0, float("nan")],
            "attainment": [1.25, float("nan")],
            "ec_ratio": [0.5, 0.25],
            "rank_ec_ratio": [2.0, 1.0],
            "change_ec_ratio": [-1.0, 0.0],
            "pjp_rate": [float("nan"), 1.0],
            "rank_pjp_rate": [float("nan"), 1.0],
            "change_pjp_rate": [float("nan"), float("nan")],
            "revenue": [2500000.0, 0.0],
            "rank_revenue": [1.0, 2.0],
            "change_revenue": [0.0, -0.0],
        }
    )
    first, second = managerviews._ranking_cells(m, frame)
    assert (first[0].html, first[0].sort) == ("#1", "-1.0")  # sorted by -rank: the first is top
    assert (second[0].html, second[0].sort) == ("–", "-1e300")
    assert first[1].html == '<span class="mgr-up" title="up 2">▲2</span>' and first[1].sort == "2.0"
    assert second[1].html == '<span class="mgr-rank-new">–</span>'
    assert first[2].html == "125%" and second[2].html == "–"  # attainment: no rank beside it
    down = '<span class="mgr-down" title="down 1">▼1</span>'
    assert first[3].html == f'50% <small class="mgr-rank">#2 {down}</small>'
    assert first[4].html == '– <small class="mgr-rank">– <span class="mgr-rank-new">–</span></small>'
    same = '<span class="mgr-same" title="unchanged">=</span>'  # a change of 0 (or -0.0): "="
    assert first[5].html == f'Rp2,500,000 <small class="mgr-rank">#1 {same}</small>'
    assert second[5].html == f'Rp0 <small class="mgr-rank">#2 {same}</small>'
    assert (first[5].sort, second[5].sort) == ("2500000.0", "0.0")


def test_the_cycle_collector_is_paused_while_planning_and_restored_after():
    import gc

    from reports_gen.site.pageparts import collector_paused

    was = gc.isenabled()
    try:
        gc.enable()
        with collector_paused():
            assert not gc.isenabled()  # no collection walks the pages while they are planned
        assert gc.isenabled() and gc.get_freeze_count() == 0  # restarted, nothing left frozen
        gc.disable()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # a collector the caller had paused stays paused
        gc.enable()
        try:
            with collector_paused():
                raise ValueError("a page failed")
        except ValueError:
            pass
        assert gc.isenabled()  # restarted after a failure too
    finally:
        (gc.enable if was else gc.disable)()


def test_link_key_tells_apart_exactly_the_pages_a_link_differs_on():
    from reports_gen.site.markdown import relative
    from reports_gen.site.pageparts import link_key

    pages = [
        "index.md",
        "weeks/index.md",
        "weeks/2026-W01/index.md",
        "weeks/2026-W02/index.md",
        "people/budi/index.md",
        "people/andi/index.md",
        "reasons/2026-W01.md",
        "targets/2026-Q4/index.md",
        "alerts/2026-W01.md",
    ]
    targets = ["people/budi/index.md", "teams/west/index.md", "index.md", ""]
    # the two week pages share their links to people (both two folders below the root, elsewhere)
    person = "people/budi/index.md"
    assert link_key(person, pages[2]) == link_key(person, pages[3]) == ("depth", 2)
    assert relative(person, pages[2]) == relative(person, pages[3]) == "../../people/budi/index.md"
    # a person page links to another person from inside people/: its own folder decides
    assert link_key(person, pages[5]) == ("folder", "people/andi")
    for target in targets:
        for a, b in itertools.combinations(pages, 2):
            if link_key(target, a) == link_key(target, b) and target:
                assert relative(target, a) == relative(target, b), (target, a, b)
