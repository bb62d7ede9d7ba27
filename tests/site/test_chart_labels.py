"""Long names never break a chart: labels are shortened to fit, the alt text and table keep them."""

from __future__ import annotations

import pandas as pd

from reports_gen.i18n import Translator
from reports_gen.site import charts
from reports_gen.site.chartstyle import FIGSIZE, RC, text_width

EN = Translator("en", "IDR")
LONG = "Andi " + "Saputrawijayakusuma " * 7 + "Jr"  # 147 characters, a real admin's full name


def test_a_150_character_name_is_shortened_on_the_chart_and_whole_elsewhere():
    people = pd.DataFrame(
        {"label": [LONG, "Budi"], "revenue": [300_000_000, 100_000_000], "target": [200_000_000, None]}
    )
    chart = charts.ranking_chart("k", people, EN, "Revenue")  # raised "left cannot be >= right" before
    svg = chart.svg.decode("utf-8")
    assert LONG not in svg
    # a ranking cuts names to MAX_NAME characters first (phone-sized charts), then fits them
    shown = charts.fit_labels(pd.Series([LONG[: charts.MAX_NAME - 1] + "…"])).iloc[0]
    assert shown.endswith("…") and LONG.startswith(shown[:-1])
    assert shown in svg or shown.replace("…", "&#8230;") in svg
    # at most 35 % of the 8-inch chart (201.6 pt) in the label font
    assert text_width(shown, RC["font.size"]) <= FIGSIZE[0] * 72 * charts.MAX_LABEL_SHARE
    assert LONG in chart.alt  # the top earner is named in full
    assert LONG in list(chart.table.iloc[:, 0])


def test_short_labels_are_left_alone():
    assert list(charts.fit_labels(pd.Series(["Andi", "Budi Santoso"]))) == ["Andi", "Budi Santoso"]


def test_activity_and_funnel_labels_are_fitted_too():
    mix = pd.DataFrame({"type": ["x" * 64], "planned": [3], "done": [2]})
    chart = charts.activity_chart("k", mix, EN, "Activities")  # an activity type id of 64 characters
    assert "x" * 64 not in chart.svg.decode("utf-8")
