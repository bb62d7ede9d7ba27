"""Pages are planned column by column with cached formatting: the text must stay exactly the same."""

from __future__ import annotations

import math
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fixtures import ROOT

from reports_gen.i18n import Translator
from reports_gen.metrics.report import compute_report
from reports_gen.site import alertpages, pageparts, pages
from reports_gen.site.chartbook import ChartBook, table_cells
from reports_gen.site.markdown import link
from reports_gen.site.views import View

# Every kind of value a column can hold: NaN (float and numpy), None, both zeros, negatives,
# halves (Babel rounds half to even), ints and floats of the same value, big amounts.
VALUES = [
    1500000,
    1500000.0,
    -2500.4,
    0,
    0.0,
    -0.0,
    np.float64(-0.0),
    0.8125,
    -0.05,
    2.5,
    3.5,
    np.float64(2.5),
    1082.2,
    float("nan"),
    np.float64("nan"),
    None,
    12345678901.0,
    7,
]
METRICS = ("revenue", "attainment", "actual_calls", "target", "coverage", "new_prospects")


def _view(language: str) -> View:
    """A View that only formats: `fmt` and `fmt_column` read nothing but the translator."""
    view = View.__new__(View)
    view.tr = Translator(language)
    view._fmt_cache = {}
    return view


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_formatted_column_is_exactly_fmt_of_each_value(language):
    view = _view(language)
    for metric in METRICS:
        # twice: the second pass is answered from the cache and must not differ
        for _ in range(2):
            assert view.fmt_column(metric, VALUES) == [view.fmt(metric, v) for v in VALUES]
            assert view.fmt_column(metric, pd.Series(VALUES, dtype=float).tolist()) == [
                view.fmt(metric, v) for v in pd.Series(VALUES, dtype=float).tolist()
            ]


@pytest.mark.parametrize(("language", "currency"), [("id", "IDR"), ("en", "IDR"), ("en", "USD")])
def test_whole_figures_written_without_babel_match_babel(language, currency):
    # halves and near-halves at every scale (Babel rounds the shortest decimal half to even),
    # percentages whose scaled value ends in .5, and many ordinary figures
    rng = np.random.default_rng(7)
    halves = [n + 0.5 for n in range(0, 40)] + [10**k + 0.5 for k in range(1, 14)]
    near = [h + d for h in halves[:20] for d in (-1e-9, 1e-9)]
    ratios = [n / 1000 + 0.0005 for n in range(0, 2000, 7)] + [0.125, 0.135, 0.145, 1.005, 0.285]
    values = halves + near + ratios + rng.uniform(0, 5e9, 300).tolist() + rng.uniform(0, 3, 300).tolist()
    values += [0, 0.0, -0.0, 1e15, 2e15, 123, np.float64(0.5), np.float64(2.5), -1.5, -0.4]
    view = View.__new__(View)
    view.tr = Translator(language, currency)
    view._fmt_cache = {}
    for metric in METRICS:
        assert view.fmt_column(metric, values) == [view.fmt(metric, v) for v in values], metric
    if currency == "IDR":  # the fast way is really taken for money, percent and counts
        assert all(view._whole(kind) is not None for kind in ("money", "percent", "number"))
    else:
        assert view._whole("money") is None  # dollars have cents: Babel writes them


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_target_column_is_exactly_fmt_target_of_each_row(language):
    view = _view(language)
    metrics = ["revenue", "actual_calls", "revenue", "effective_calls"] * len(VALUES)
    values = [v for v in VALUES for _ in range(4)]
    for column in ("target", "actual", "attainment", "pace", "projection", "required_per_day"):
        expected = [view.fmt_target(m, column, v) for m, v in zip(metrics, values, strict=True)]
        assert view.fmt_target_column(metrics, column, values) == expected
    # hand-checked: revenue is money, other metrics counts, attainment a percentage
    assert view.fmt_target_column(["revenue", "actual_calls"], "target", [1500000.0, 304.6]) == (
        ["Rp1.500.000", "305"] if language == "id" else ["Rp1,500,000", "305"]
    )
    assert view.fmt_target_column(["actual_calls"], "attainment", [0.8125]) == ["81%"]


def test_cached_figures_read_as_babel_writes_them():
    tr_id, tr_en = Translator("id"), Translator("en")
    view = _view("id")
    # zero first, then negative zero: the cache must not hand back "0" for -0.0 (Babel: "-0")
    assert view.fmt_column("actual_calls", [0.0, -0.0, 0, 2.5, 3.5]) == ["0", "-0", "0", "2", "4"]
    assert view.fmt_column("revenue", [1500000, 1500000.0, -0.0, math.nan]) == [
        "Rp1.500.000",  # id groups with dots
        "Rp1.500.000",
        "-Rp0",
        "–",
    ]
    assert view.fmt_column("attainment", [0.8125, -0.0, None]) == ["81%", "-0%", "–"]
    assert tr_en.money(1500000.0) == "Rp1,500,000"  # the currency keeps its home symbol in English
    assert tr_en.number(1.25, 1) == "1.2" and tr_id.number(1.25, 1) == "1,2"  # half to even, 1 digit
    assert tr_en.number(1234.5) == "1,234" and tr_en.number(np.float64(1235.5)) == "1,236"


@pytest.mark.parametrize(
    "target",
    [
        "people/p1/index.md",
        "outlets/book-3/index.md#O-17",
        "alerts/2026-W47/index.md",
        "weeks/2026-W47/index.md",
        "index.md",
        "downloads/weekly.csv",
    ],
)
@pytest.mark.parametrize("page", ["alerts/2026-W47/index.md", "index.md", "teams/east/index.md"])
def test_the_folder_to_folder_link_is_markdown_link(target, page):
    memo: dict = {}
    for _ in range(2):  # worked out, then from the memo
        assert pageparts.memo_link(memo, "Toko \\*A\\*", target, page) == link("Toko \\*A\\*", target, page)


@pytest.fixture(scope="module")
def example_view() -> View:
    return View(compute_report(ROOT / "data"))


def test_alert_groups_rank_people_then_rows_by_severity_and_date(example_view):
    view = example_view
    day = pd.Timestamp
    alerts = pd.DataFrame(
        {
            "kind": ["missed_call", "missed_call", "log_gap", "low_ec_ratio",
                     "missed_call", "low_ec_ratio", "log_gap"],
            "date": [day("2026-11-17"), day("2026-11-16"), day("2026-11-16"), day("2026-11-18"),
                     day("2026-11-18"), day("2026-11-17"), day("2026-11-19")],
            "person_id": ["zz1", "zz2", "zz1", "", "zz2", "", "zz1"],
            "team_id": ["tA", "tA", "tA", "tA", "tA", "tB", "tA"],
            "outlet_id": ["", "", "", "", "", "", ""],
            "prospect_id": ["", "", "", "", "", "", ""],
            "detail": ["row0", "row1", "row2", "row3", "row4", "row5 a*b", "row6"],
        },
        index=range(10**9, 10**9 + 7),  # beside the example's own alerts
    )  # fmt: skip
    severity = pd.Series([1, 2, 3, 2, 2, 2, 1], index=alerts.index)
    view.__dict__["severity"] = pd.concat([view.severity, severity])
    groups = alertpages.alert_groups(view, alerts, "alerts/2026-W47/index.md")
    # by highest severity, then size: zz1 (3, 3 rows), zz2 (2, 2 rows), then the teams' own
    # alerts tA (2, 1 row: row3) and tB (2, 1 row: row5) tie, and the first seen, tA, goes first
    assert [g["name"] for g in groups] == ["zz1", "zz2", "tA", "tB"]
    order = [[line.split("row")[1][0] for line in g["table"].splitlines()[2:]] for g in groups]
    # zz1: row2 (severity 3), then the severity-1 rows by date: row0 (17 Nov), row6 (19 Nov)
    # zz2: both severity 2, by date: row1 (16 Nov), row4 (18 Nov)
    assert order == [["2", "0", "6"], ["1", "4"], ["3"], ["5"]]
    tr = view.tr
    # counts in ALERT_KINDS order: missed_call before log_gap
    assert groups[0]["counts"] == (
        f"{tr('count.one.missed_call', count='1')}, {tr('count.log_gap', count='2')}"
    )
    assert "row5 a\\*b" in groups[3]["table"]  # data text is escaped
    assert all(g["more"] == 0 for g in groups)
    assert alertpages.alert_groups(view, alerts.iloc[:0], "alerts/2026-W47/index.md") == []


def test_a_chart_table_is_escaped_when_drawn_and_cached_with_the_chart(tmp_path, example_view):
    view = example_view
    book = ChartBook(view.tr)
    weeks = view.series("company", "")[["week", "revenue", "revenue_target"]]
    book.add("company-revenue", "revenue_chart", weeks, title="Revenue")
    cache = tmp_path / "charts"
    book.render(cache)
    chart = book.rendered["company-revenue"]
    assert book.cells["company-revenue"] == table_cells(chart.table)
    (entry,) = cache.glob("*.pickle")
    cached_chart, (headers, rows) = pickle.loads(entry.read_bytes())
    assert headers == [c for c in table_cells(chart.table)[0]]
    # a cached chart's table is not escaped again: the page shows what the cache holds
    entry.write_bytes(pickle.dumps((cached_chart, (headers, [["cached"] + r[1:] for r in rows]))))
    again = ChartBook(view.tr)
    again.add("company-revenue", "revenue_chart", weeks, title="Revenue")
    again.render(cache)
    assert again.drawn == 0
    shown = pages._ChartView(again.rendered["company-revenue"], "Revenue", again.cells["company-revenue"])
    assert shown.table_md.count("cached") == len(rows)


def test_an_old_cache_entry_without_a_table_is_drawn_again(tmp_path, example_view):
    view = example_view
    book = ChartBook(view.tr)
    weeks = view.series("company", "")[["week", "revenue", "revenue_target"]]
    book.add("company-revenue", "revenue_chart", weeks, title="Revenue")
    cache = tmp_path / "charts"
    book.render(cache)
    (entry,) = cache.glob("*.pickle")
    chart, _ = pickle.loads(entry.read_bytes())
    entry.write_bytes(pickle.dumps(chart))  # the format before the tables were cached
    again = ChartBook(view.tr)
    again.add("company-revenue", "revenue_chart", weeks, title="Revenue")
    again.render(cache)
    assert again.drawn == 1 and again.cells["company-revenue"] == table_cells(chart.table)


def test_example_pages_planned_twice_are_the_same(example_view, tmp_path: Path):
    # the memo of links and days is per view: planning again from it must give the same pages
    book = ChartBook(example_view.tr)
    first = pages.plan_pages(example_view, book, {"weekly.csv": 1})
    second = pages.plan_pages(example_view, book, {"weekly.csv": 1})
    assert [p.context for p in first] == [p.context for p in second]
