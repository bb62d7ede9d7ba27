"""Charts: valid and deterministic SVG, alt text and tables with the numbers drawn, both languages."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from reports_gen.i18n import Translator
from reports_gen.site import charts

NAN = np.nan
THIN = "\u2009"  # Babel puts thin spaces around the dash of a date interval
NBSP = "\u00a0"  # Babel puts a no-break space between the number and the compact unit: Rp1,2 M
SVG_TEXT = "{http://www.w3.org/2000/svg}text"
ID, EN = Translator("id"), Translator("en")


def svg_texts(chart: charts.Chart) -> list[str]:
    """Parse the SVG (fails on invalid XML) and return the content of its text elements."""
    root = ET.fromstring(chart.svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return ["".join(element.itertext()) for element in root.iter(SVG_TEXT)]


def revenue_weeks() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "week": ["2026-W45", "2026-W46", "2026-W47"],
            "revenue": [1_000_000_000, 1_400_000_000, 1_200_000_000],
            "revenue_target": [NAN, 1_000_000_000, 1_100_000_000],
        }
    )


def call_weeks() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "week": ["2026-W46", "2026-W47"],
            "actual_calls": [400, 500],
            "effective_calls": [240, 250],
            "ec_ratio": [0.6, 0.5],
        }
    )


def compliance_weeks() -> pd.DataFrame:
    return pd.DataFrame({"week": ["2026-W46", "2026-W47"], "pjp_rate": [0.95, 0.8], "coverage": [0.9, NAN]})


def burnup_days() -> pd.DataFrame:
    # As of Wed 4 Nov: 400 done; 400 / 3 days * 5 days = 666.7 projected at the period end.
    return pd.DataFrame(
        {
            "date": pd.date_range("2026-11-02", periods=5),
            "actual_cum": [100, 250, 400, NAN, NAN],
            "expected_cum": [100, 200, 300, 400, 500],
            "projection": [NAN, NAN, NAN, NAN, 400 / 3 * 5],
        }
    )


def activity_mix() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "type": ["demo", "promotion", "kunjungan_khusus"],
            "planned": [10, 5, 0],
            "done": [8, 5, 2],
            "missed": [2, 0, 0],
        }
    )


def funnel_stages() -> pd.DataFrame:
    # Out of order and without "qualified": drawn in stage order with qualified at 0.
    return pd.DataFrame(
        {
            "stage": ["won", "new", "contacted", "proposal", "lost"],
            "count": [3, 10, 6, 2, 4],
            "value": [300_000_000, 1_000_000_000, 600_000_000, NAN, NAN],
        }
    )


def ranking_people() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["Andi", "Budi", "Citra"],
            "revenue": [100_000_000, 300_000_000, 200_000_000],
            "target": [150_000_000, 200_000_000, NAN],
        }
    )


# Each chart function with its sample data; `draw(frame, tr)` returns a Chart. The title is the
# caller's (never translated), so it is a team name here, not a label the language tests look for.
TITLE = "Tim Surabaya Timur"
CHARTS = {
    "revenue": (lambda frame, tr: charts.revenue_chart("r", frame, tr, TITLE), revenue_weeks),
    "calls": (lambda frame, tr: charts.calls_chart("c", frame, tr, TITLE, 0.6), call_weeks),
    "compliance": (
        lambda frame, tr: charts.compliance_chart("p", frame, tr, TITLE, 0.9, 0.85),
        compliance_weeks,
    ),
    "burnup": (lambda frame, tr: charts.burnup_chart("b", frame, tr, TITLE, 500, False), burnup_days),
    "activity": (lambda frame, tr: charts.activity_chart("a", frame, tr, TITLE), activity_mix),
    "funnel": (lambda frame, tr: charts.funnel_chart("f", frame, tr, TITLE), funnel_stages),
    "ranking": (lambda frame, tr: charts.ranking_chart("k", frame, tr, TITLE), ranking_people),
}


@pytest.mark.parametrize("kind", CHARTS)
def test_chart_is_valid_deterministic_svg(kind):
    draw, sample = CHARTS[kind]
    first, second = draw(sample(), ID), draw(sample(), ID)
    assert svg_texts(first)
    assert first.svg == second.svg
    assert b"<dc:date>" not in first.svg
    assert first.alt == second.alt
    pd.testing.assert_frame_equal(first.table, second.table)


@pytest.mark.parametrize("kind", CHARTS)
def test_different_data_gives_different_svg(kind):
    draw, sample = CHARTS[kind]
    frame = sample()
    changed = frame.copy()
    number = changed.select_dtypes("number").columns[0]
    changed[number] = changed[number] * 2
    assert draw(frame, ID).svg != draw(changed, ID).svg


def test_chart_keeps_name_and_text_as_text():
    chart = charts.revenue_chart("team-sby-timur-revenue", revenue_weeks(), ID, "Omzet")
    assert chart.name == "team-sby-timur-revenue"
    assert b"font-family: 'DejaVu Sans', sans-serif" in chart.svg  # svg.fonttype none: real text


def test_revenue_alt_and_table():
    chart = charts.revenue_chart("r", revenue_weeks(), ID, "Omzet")
    # Latest 1.2 bn against 1.1 bn = 109 %; highest 1.4 bn in W46.
    assert chart.alt == (
        f"Omzet, Minggu ke-45 s.d. Minggu ke-47 (16–22 Nov 2026): minggu terakhir Rp1,2{NBSP}M dari target "
        f"Rp1,1{NBSP}M (109%); tertinggi Rp1,4{NBSP}M pada Minggu ke-46."
    )
    assert list(chart.table.columns) == ["Minggu", "Omzet", "Target", "Pencapaian"]
    assert chart.table.values.tolist() == [
        ["2026-W45", "Rp1.000.000.000", "–", "–"],
        ["2026-W46", "Rp1.400.000.000", "Rp1.000.000.000", "140%"],
        ["2026-W47", "Rp1.200.000.000", "Rp1.100.000.000", "109%"],
    ]


def test_revenue_alt_in_english_and_without_target():
    chart = charts.revenue_chart("r", revenue_weeks(), EN, "Revenue per week")
    assert chart.alt == (
        f"Revenue per week, Week 45 to Week 47 (Nov 16{THIN}–{THIN}22, 2026): latest week "
        "Rp1.2B against a target "
        "of Rp1.1B (109%); highest Rp1.4B in Week 46."
    )
    no_target = revenue_weeks().assign(revenue_target=NAN)
    assert "Rp1.2B (no target)" in charts.revenue_chart("r", no_target, EN, "Revenue").alt


def test_calls_alt_and_table():
    chart = charts.calls_chart("c", call_weeks(), ID, "Call", 0.6)
    # 50 % < 60 % in W47; W46's 60 % is not below the threshold: 1 of 2 weeks.
    assert chart.alt == (
        "Call, Minggu ke-46 s.d. Minggu ke-47 (16–22 Nov 2026): minggu terakhir 500 actual call "
        "dan 250 effective "
        "call, rasio EC 50% (batas 60%); rasio EC di bawah batas pada 1 dari 2 minggu."
    )
    assert chart.table.values.tolist() == [
        ["2026-W46", "400", "240", "60%"],
        ["2026-W47", "500", "250", "50%"],
    ]


def test_compliance_alt_and_table():
    chart = charts.compliance_chart("p", compliance_weeks(), ID, "Kepatuhan", 0.9, 0.85)
    assert "kepatuhan PJP 80% (batas 90%)" in chart.alt
    assert "cakupan outlet – (batas 85%)" in chart.alt  # no coverage in the latest week
    assert "kepatuhan PJP di bawah batas pada 1 dari 2 minggu, cakupan pada 0 dari 1 minggu" in chart.alt
    assert list(chart.table.columns) == ["Minggu", "Kepatuhan PJP", "Cakupan outlet"]
    assert chart.table.values.tolist() == [["2026-W46", "95%", "90%"], ["2026-W47", "80%", "–"]]


def test_burnup_alt_and_table():
    chart = charts.burnup_chart("b", burnup_days(), EN, "Calls", 500, False)
    # 400 against 300 expected = 133 % of pace; projection 666.7 of 500 = 133 % of target.
    assert chart.alt == (
        "Calls, Nov 2, 2026 to Nov 6, 2026: 400 achieved by Nov 4, 2026 against a target to "
        "date of 300 (pace 133% of the target to date); target 500. Projected at the end of "
        "the period: 667 (133% of target)."
    )
    assert list(chart.table.columns) == ["Date", "Actual", "Target to date", "Projection"]
    # The chart is weekly reading: the table keeps the week's last day (Fri 6 Nov, the period's
    # end) and the last actual day (Wed 4 Nov), where the projection's dotted line starts.
    assert chart.table.values.tolist() == [
        ["Nov 4, 2026", "400", "300", "400"],
        ["Nov 6, 2026", "–", "500", "667"],
    ]


def test_burnup_money_uses_compact_amounts():
    days = burnup_days()
    days[["actual_cum", "expected_cum", "projection"]] *= 3_000_000
    chart = charts.burnup_chart("b", days, ID, "Omzet", 1_500_000_000, True)
    # 400 x 3 jt = 1,2 M; 300 x 3 jt = 900 jt; 666.7 x 3 jt = 2 M.
    assert f"realisasi Rp1,2{NBSP}M per 4 Nov 2026, sedangkan target berjalan Rp900{NBSP}jt" in chart.alt
    assert f"target Rp1,5{NBSP}M. Proyeksi di akhir periode: Rp2{NBSP}M (133% dari target)." in chart.alt
    assert chart.table.iloc[0].tolist() == [
        "4 Nov 2026",
        "Rp1.200.000.000",
        "Rp900.000.000",
        "Rp1.200.000.000",
    ]


def test_burnup_before_any_actual():
    days = burnup_days().assign(actual_cum=NAN)
    chart = charts.burnup_chart("b", days, EN, "Calls", 500, False)
    assert chart.alt == "Calls, Nov 2, 2026 to Nov 6, 2026: no actual figures yet; target 500."
    assert chart.table["Projection"].tolist() == ["–"]  # one week: its last day, Fri 6 Nov


def test_burnup_table_has_one_row_per_week():
    # A month from Sun 1 Nov to Mon 30 Nov 2026 drawn daily, as of Wed 18 Nov: the ISO weeks
    # end on Sun 1, 8, 15, 22, 29 Nov and the period on Mon 30 Nov (W49's only day), plus the
    # last actual day, Wed 18 Nov. Expected 10 a day, so day n of the month expects 10 * n.
    days = pd.date_range("2026-11-01", "2026-11-30")
    n = np.arange(1, 31)
    frame = pd.DataFrame(
        {
            "date": days,
            "actual_cum": np.where(days <= "2026-11-18", 12.0 * n, NAN),
            "expected_cum": 10.0 * n,
            "projection": [NAN] * 29 + [12.0 * 30],
        }
    )
    chart = charts.burnup_chart("b", frame, EN, "Calls", 300, False)
    assert chart.table["Date"].tolist() == [
        "Nov 1, 2026",
        "Nov 8, 2026",
        "Nov 15, 2026",
        "Nov 18, 2026",
        "Nov 22, 2026",
        "Nov 29, 2026",
        "Nov 30, 2026",
    ]
    # 12 a day: 12 x 1, 8, 15, 18; nothing after the 18th. Expected 10 x day of the month.
    assert chart.table["Actual"].tolist() == ["12", "96", "180", "216", "–", "–", "–"]
    assert chart.table["Target to date"].tolist() == ["10", "80", "150", "180", "220", "290", "300"]
    assert chart.table["Projection"].tolist() == ["–", "–", "–", "216", "–", "–", "360"]


def test_activity_alt_and_table():
    chart = charts.activity_chart("a", activity_mix(), ID, "Aktivitas")
    # Planned 15, of which 2 missed: 13 / 15 = 87 % of the plan done; 15 done including 2 unplanned.
    assert chart.alt == (
        "Aktivitas: 15 aktivitas terlaksana (15 direncanakan); 2 aktivitas terencana tidak "
        "terlaksana (87% sesuai rencana); terbanyak: Demo produk (8)."
    )
    assert list(chart.table.columns) == ["Jenis aktivitas", "Direncanakan", "Terlaksana", "Tidak terlaksana"]
    # A custom activity type without a translation is shown by its id.
    assert chart.table.values.tolist() == [
        ["Demo produk", "10", "8", "2"],
        ["Promosi", "5", "5", "0"],
        ["kunjungan khusus", "0", "2", "0"],
    ]


def test_funnel_alt_and_table():
    chart = charts.funnel_chart("f", funnel_stages(), ID, "Pipeline")
    # Open value: new 1 M + contacted 600 jt = 1,6 M (proposal has no value; won and lost are closed).
    assert chart.alt == (
        "Pipeline: 25 prospek; Baru 10, Dihubungi 6, Terkualifikasi 0, Penawaran 2, "
        f"Berhasil 3, Gagal 4. Nilai potensi prospek yang masih aktif: Rp1,6{NBSP}M."
    )
    assert chart.table.values.tolist() == [
        ["Baru", "10", "Rp1.000.000.000"],
        ["Dihubungi", "6", "Rp600.000.000"],
        ["Terkualifikasi", "0", "–"],
        ["Penawaran", "2", "–"],
        ["Berhasil", "3", "Rp300.000.000"],
        ["Gagal", "4", "–"],
    ]
    assert svg_texts(chart)[:6] == ["Baru", "Dihubungi", "Terkualifikasi", "Penawaran", "Berhasil", "Gagal"]


def test_ranking_alt_and_table():
    chart = charts.ranking_chart("k", ranking_people(), ID, "Omzet per personel")
    # Highest first; total 100 + 300 + 200 = 600 jt; Budi 300/200 = 150 % met, Andi 100/150 = 67 % not.
    assert chart.alt == (
        f"Omzet per personel: 3 orang, total Rp600{NBSP}jt; tertinggi Budi "
        f"(Rp300{NBSP}jt), terendah Andi (Rp100{NBSP}jt); 1 dari 2 orang yang memiliki "
        "target sudah mencapainya."
    )
    assert list(chart.table.columns) == ["Nama", "Omzet", "Target", "Pencapaian"]
    assert chart.table.values.tolist() == [
        ["Budi", "Rp300.000.000", "Rp200.000.000", "150%"],
        ["Citra", "Rp200.000.000", "–", "–"],
        ["Andi", "Rp100.000.000", "Rp150.000.000", "67%"],
    ]
    names = [text for text in svg_texts(chart) if text in {"Andi", "Budi", "Citra"}]
    assert names == ["Budi", "Citra", "Andi"]


def test_ranking_grows_taller_with_many_people():
    people = pd.DataFrame(
        {"label": [f"P{i:02d}" for i in range(40)], "revenue": np.arange(40) * 1e7, "target": 2e8}
    )
    root = ET.fromstring(charts.ranking_chart("k", people.head(26), ID, "Omzet").svg)
    # 26 rows × 0.3 in + 0.9 in = 8.7 in = 626.4 pt, against the default 3.2 in = 230.4 pt.
    assert float(root.get("height").removesuffix("pt")) == pytest.approx(626.4)


def test_long_ranking_draws_its_highest_and_lowest():
    people = pd.DataFrame(
        {"label": [f"P{i:02d}" for i in range(40)], "revenue": np.arange(40) * 1e7, "target": 2e8}
    )
    chart = charts.ranking_chart("k", people, ID, "Omzet")
    # Highest first: P39 … P25 (15 people), a row for the 40 - 15 - 10 = 15 left out, P09 … P00.
    shown = (
        [f"P{i:02d}" for i in range(39, 24, -1)] + ["… 15 lainnya"] + [f"P{i:02d}" for i in range(9, -1, -1)]
    )
    assert [t for t in svg_texts(chart) if t.startswith(("P", "…"))] == shown
    # 26 rows × 0.3 in + 0.9 in = 8.7 in = 626.4 pt, not the 12.9 in of 40 rows.
    assert float(ET.fromstring(chart.svg).get("height").removesuffix("pt")) == pytest.approx(626.4)
    # The table still ranks all 40; the alt text speaks of all 40 and says which ones are drawn.
    assert len(chart.table) == 40 and chart.table.iloc[0, 0] == "P39" and chart.table.iloc[-1, 0] == "P00"
    assert chart.alt.startswith("Omzet: 40 orang, total Rp7,8")  # 10 jt × (0 + … + 39) = 7,8 M
    assert chart.alt.endswith("Grafik menampilkan 15 tertinggi dan 10 terendah; tabel memuat semua orang.")


def test_ranking_of_26_draws_everyone():
    people = pd.DataFrame({"label": [f"P{i:02d}" for i in range(26)], "revenue": np.arange(26) * 1e7})
    chart = charts.ranking_chart("k", people, EN, "Revenue")
    # 15 + 10 = 25 drawn would leave out one person for a row of its own: no room saved, all drawn.
    assert [t for t in svg_texts(chart) if t.startswith(("P", "…"))] == [
        f"P{i:02d}" for i in range(25, -1, -1)
    ]
    assert "draws the" not in chart.alt


EMPTY_FRAMES = {
    "revenue": pd.DataFrame(
        {"week": ["2026-W46", "2026-W47"], "revenue": [NAN, NAN], "revenue_target": [NAN, NAN]}
    ),
    "calls": pd.DataFrame(
        {"week": ["2026-W47"], "actual_calls": [NAN], "effective_calls": [NAN], "ec_ratio": [NAN]}
    ),
    "compliance": pd.DataFrame({"week": ["2026-W47"], "pjp_rate": [NAN], "coverage": [NAN]}),
    "burnup": pd.DataFrame(
        {
            "date": pd.date_range("2026-11-02", periods=2),
            "actual_cum": [NAN, NAN],
            "expected_cum": [NAN, NAN],
            "projection": [NAN, NAN],
        }
    ),
    "activity": pd.DataFrame({"type": ["demo"], "planned": [NAN], "done": [NAN], "missed": [NAN]}),
    "funnel": pd.DataFrame({"stage": ["new"], "count": [NAN], "value": [NAN]}),
    "ranking": pd.DataFrame({"label": ["Andi"], "revenue": [NAN], "target": [NAN]}),
}


@pytest.mark.parametrize("kind", CHARTS)
@pytest.mark.parametrize("empty", ["no rows", "no columns", "all NaN"])
def test_empty_data_gives_a_no_data_chart(kind, empty):
    draw, sample = CHARTS[kind]
    frames = {"no rows": sample().iloc[0:0], "no columns": pd.DataFrame(), "all NaN": EMPTY_FRAMES[kind]}
    frame = frames[empty]
    chart = draw(frame, ID)
    assert "Belum ada data" in svg_texts(chart)
    assert chart.alt.endswith(": belum ada data.")
    assert chart.table.columns[0] in {"Minggu", "Tanggal", "Jenis aktivitas", "Tahap", "Nama"}
    assert "no data" in draw(frame, EN).alt


def test_empty_table_keeps_translated_headers():
    chart = charts.calls_chart("c", pd.DataFrame(), EN, "Calls", 0.6)
    assert list(chart.table.columns) == ["Week", "Actual calls (AC)", "Effective calls (EC)", "EC ratio"]
    assert chart.table.empty


# Labels that must appear in the SVG for each chart, in Indonesian and in English.
LABELS = {
    "revenue": (["Omzet", "Target", f"Rp1{NBSP}M"], ["Revenue", "Target", "Rp1B"]),
    "calls": (
        ["Actual call (AC)", "Effective call (EC)", "Rasio EC", "Batas 60%"],
        ["Actual calls (AC)", "Effective calls (EC)", "EC ratio", "Limit 60%"],
    ),
    "compliance": (
        ["Kepatuhan PJP", "Cakupan outlet", "Batas kepatuhan PJP 90%"],
        ["PJP compliance", "Outlet coverage", "PJP compliance limit 90%"],
    ),
    "burnup": (
        ["Realisasi", "Target berjalan", "Target 500", "Proyeksi", "2 Nov"],
        ["Actual", "Target to date", "Target 500", "Projection", "Nov 2"],
    ),
    "activity": (["Direncanakan", "Terlaksana", "Promosi"], ["Planned", "Done", "Promotion"]),
    "funnel": (["Baru", "Penawaran", "Berhasil", "Gagal"], ["New", "Proposal", "Won", "Lost"]),
    "ranking": (["Omzet", "Target", f"Rp300{NBSP}jt · 150%"], ["Revenue", "Target", "Rp300M · 150%"]),
}


@pytest.mark.parametrize("kind", CHARTS)
def test_labels_follow_the_site_language(kind):
    draw, sample = CHARTS[kind]
    indonesian, english = LABELS[kind]
    id_texts, en_texts = svg_texts(draw(sample(), ID)), svg_texts(draw(sample(), EN))
    assert set(indonesian) <= set(id_texts)
    assert set(english) <= set(en_texts)
    # An Indonesian-only label must not leak into the English chart.
    assert not (set(indonesian) - set(english)) & set(en_texts)


def test_many_weeks_are_thinned_and_show_the_year_when_crossing_it():
    weeks = [f"2026-W{week:02d}" for week in range(27, 53)] + [f"2027-W{week:02d}" for week in range(1, 27)]
    frame = pd.DataFrame({"week": weeks, "revenue": np.linspace(4e8, 9e8, 52), "revenue_target": 7e8})
    texts = svg_texts(charts.revenue_chart("r", frame, ID, "Omzet"))
    week_labels = [text for text in texts if text.startswith("W")]
    # 52 weeks, at most 7 labels (a phone-width chart): every ceil(52 / 7) = 8th week counted back
    # from the latest (index 51, W26), so indices 43, 35, 27, 19, 11, 3; index 0 is 2026-W27, so
    # index 3 is W30 and 2027 starts at index 26 (W01): index 27 is W02.
    assert week_labels == ["W30", "W38", "W46", "W02", "W10", "W18", "W26"]
    assert {"2026", "2027"} <= set(texts)


def test_weeks_within_one_year_show_no_year():
    texts = svg_texts(charts.revenue_chart("r", revenue_weeks(), ID, "Omzet"))
    assert [text for text in texts if text.startswith("W")] == ["W45", "W46", "W47"]
    assert "2026" not in texts


def test_weeks_are_sorted():
    shuffled = revenue_weeks().iloc[[2, 0, 1]]
    chart = charts.revenue_chart("r", shuffled, ID, "Omzet")
    assert chart.table["Minggu"].tolist() == ["2026-W45", "2026-W46", "2026-W47"]
    assert chart.svg == charts.revenue_chart("r", revenue_weeks(), ID, "Omzet").svg


PHONE_CONTENT_WIDTH = 358  # CSS px a chart gets on a 390 px phone (Material's 16 px margins)


@pytest.mark.parametrize("kind", CHARTS)
def test_chart_text_reads_on_a_phone(kind):
    draw, sample = CHARTS[kind]
    svg = draw(sample(), ID).svg
    width = float(ET.fromstring(svg).attrib["viewBox"].split()[2])  # the image scales from this width
    sizes = [float(size) for size in re.findall(r"font-size: ([\d.]+)px", svg.decode())]
    assert sizes
    # Shown 358 px wide, the smallest text is at least 11 CSS px: 11 pt on a 345.6 pt (4.8 in)
    # figure is 11 * 358 / 345.6 = 11.4 px.
    assert min(sizes) * PHONE_CONTENT_WIDTH / width >= 11, (min(sizes), width)


@pytest.mark.parametrize("kind", CHARTS)
def test_no_title_inside_the_image(kind):
    draw, sample = CHARTS[kind]
    # The page's heading or caption names the chart: the image must not repeat it.
    assert TITLE not in svg_texts(draw(sample(), ID))
