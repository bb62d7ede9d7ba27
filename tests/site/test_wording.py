"""Words a sales manager reads without stopping: the glossary's terms, no raw codes, alert triage."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
import yaml
from fixtures import CONFIG, ROOT

from reports_gen.metrics.alerts import ALERT_KINDS, alert_severity
from reports_gen.metrics.report import compute_report
from reports_gen.site import urls
from reports_gen.site.chartbook import ChartBook
from reports_gen.site.pages import plan_pages, render_pages
from reports_gen.site.views import View

I18N = ROOT / "reports_gen" / "i18n"
# Variants the glossary (site_src/guide/glossary.md) replaced: one term per concept.
FORBIDDEN = {
    "id": [
        "sesuai jalur",  # status: Sesuai jadwal
        "memenuhi syarat",  # stage: Terkualifikasi
        "seharusnya s.d.",  # Target berjalan
        "kepatuhan rencana",  # Kepatuhan PJP
        "tanpa pembaruan",  # tanpa perkembangan
        "tidak ada pembaruan",
        "berkas",  # file
        "pembeli",  # outlet type: Institusi
        "ukuran",  # Indikator
        "pemilik",  # PIC
        "prospek terbuka",  # Prospek aktif
        "ambang",  # Batas
        " pp",  # poin
        "minggu ini",  # Minggu terakhir, for the latest data week
        "laju yang diharapkan",
    ],
    "en": [
        "journey-plan compliance",  # PJP compliance
        "expected to date",  # Target to date
        "stale prospect",  # Prospects without progress
        "open prospects",  # Active prospects
        "threshold",  # Limit
        " pp",  # points
        "this week",  # Latest week
        "expected pace",
    ],
}
AREAS = ("site", "alerts", "charts", "diff", "manager")
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
STAGE_CODES = re.compile(r"\b(contacted|qualified|proposal|won|lost)\b")


@pytest.mark.parametrize("language", ["id", "en"])
def test_i18n_strings_follow_the_glossary(language):
    found = []
    for area in AREAS:
        strings = yaml.safe_load((I18N / f"{area}.{language}.yaml").read_text(encoding="utf-8"))
        for key, text in strings.items():
            if key in ("week.alerts",):  # "alerts of this week" on a week's own page is right
                continue
            lowered = re.sub(r"\{[^}]*\}", "", str(text)).lower()  # placeholders are code
            found += [
                f"{area}.{language}.yaml {key}: {bad!r}" for bad in FORBIDDEN[language] if bad in lowered
            ]
    assert found == []


def test_glossary_page_exists_in_both_languages():
    page = (ROOT / "site_src" / "guide" / "glossary.md").read_text(encoding="utf-8")
    assert '=== "Bahasa Indonesia"' in page and '=== "English"' in page
    for term in ("Target berjalan", "Laju", "Sesuai jadwal", "Kepatuhan PJP", "Indikator", "Lingkup", "PIC"):
        assert term in page, term


def _visible(markdown: str) -> str:
    """The words a reader sees: no front matter, link targets, HTML tags, attributes or code."""
    text = markdown.split("---\n", 2)[-1]
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"<[^>]+>", " ", text)  # tags with their attributes
    text = re.sub(r"`[^`]*`", " ", text)  # code spans
    text = re.sub(r"\{[^}]*\}", " ", text)  # attribute lists
    return text.replace("\\_", "_")


@pytest.fixture(scope="module", params=["id", "en"])
def rendered(request, tmp_path_factory):
    data = tmp_path_factory.mktemp("data") / "data"
    import shutil

    shutil.copytree(ROOT / "data", data)
    config = data / "config.yaml"
    text = config.read_text(encoding="utf-8").replace("language: id", f"language: {request.param}")
    config.write_text(text, encoding="utf-8")
    report = compute_report(data)
    view = View(report)
    book = ChartBook(report.tr)
    pages = plan_pages(view, book, {"weekly.csv": 1, "periods.csv": 1, "alerts.csv": 1})
    book.rendered = {name: _Stub() for name in book.requests}  # the words, not the drawings
    return request.param, report, render_pages(pages, view, book)


class _Stub:
    alt = "chart"
    table = pd.DataFrame({"a": ["1"]})


def test_no_raw_code_in_any_alert_sentence(rendered):
    language, report, _ = rendered
    alerts = report.alerts
    assert set(alerts["kind"]) >= set(ALERT_KINDS) - {"low_coverage"}  # the example has every other kind
    for kind, detail in zip(alerts["kind"], alerts["detail"], strict=True):
        assert not SNAKE.search(detail), (kind, detail)
        if language == "id":
            assert not STAGE_CODES.search(detail), (kind, detail)
            assert not re.search(r"\b\d{4}-(W\d\d|\d\d|Q\d|H\d)\b", detail), (kind, detail)


def test_no_raw_code_on_any_page(rendered):
    language, _, pages = rendered
    problems = []
    for path, markdown in pages.items():
        text = _visible(markdown)
        problems += [f"{path}: {m}" for m in SNAKE.findall(text)]
        if language == "id":
            problems += [f"{path}: {m}" for m in STAGE_CODES.findall(text)]
    assert problems == []


def test_home_shows_the_few_alerts_that_matter_per_team(rendered):
    language, report, pages = rendered
    home = pages["index.md"]
    teams = report.dataset.org.teams
    # config.yaml sets no triage keys: at most 3 alerts (the default) per team table on the home page.
    sections = home.split("\n### ")[1:]
    assert len(sections) >= len(teams)
    for section in sections:
        rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
        assert 1 <= len(rows) - 1 <= 3, section[:200]


def test_alert_severity_ranks_targets_and_long_log_gaps_above_a_missed_visit():
    alerts = pd.DataFrame(
        {
            "kind": [
                "missed_call",
                "behind_target",
                "low_ec_ratio",
                "log_gap",
                "log_gap",
                "log_gap",
                "log_gap",
            ],
            "date": pd.to_datetime(
                [
                    "2026-11-16",
                    "2026-11-22",
                    "2026-11-16",
                    "2026-11-16",
                    "2026-11-17",
                    "2026-11-18",
                    "2026-11-25",
                ]
            ),
            "person_id": ["andi", "", "budi", "citra", "citra", "citra", "citra"],
        }
    )
    # citra has 3 gap days in W47 (16, 17, 18: a long gap, high) and 1 in W48 (25: low).
    assert alert_severity(alerts).tolist() == [1, 3, 2, 3, 3, 3, 1]


def test_home_triage_thresholds_come_from_config(make_data):
    config = CONFIG.replace("stale_prospect_days: 14", "stale_prospect_days: 14\n  home_alerts_per_team: 1")
    assert config != CONFIG
    report = compute_report(make_data({"config.yaml": config}))
    assert report.dataset.config.thresholds.home_alerts_per_team == 1
    assert report.dataset.config.thresholds.home_min_severity == 2  # the default


def test_periods_are_named_as_people_say_them():
    from reports_gen.i18n import Translator

    tr_id, tr_en = Translator("id"), Translator("en")
    assert tr_id.period("2026-W47") == "Minggu ke-47 (16–22 Nov 2026)"
    assert tr_en.period("2026-W47") == "Week 47 (Nov 16\u2009–\u200922, 2026)"  # Babel's thin spaces
    assert tr_id.period("2026-11") == "November 2026"
    assert tr_id.period("2026-Q4") == "Q4 2026" == tr_en.period("2026-Q4")
    assert tr_id.period("2026-H2") == "Semester 2 2026"
    assert tr_id.period("2026") == "2026"
    # Rupiah keep their symbol and take the locale's separators in both languages.
    assert tr_id.money(1_500_000) == "Rp1.500.000"
    assert tr_en.money(1_500_000) == "Rp1,500,000"


def test_a_leaver_is_only_listed_for_weeks_worked(rendered):
    _, report, pages = rendered
    leavers = [p for p in report.dataset.org.people if p.end and p.end < dt.date(2026, 11, 16)]
    if not leavers:
        pytest.skip("the example has no leaver")
    person = leavers[0]
    assert f"]({person.id}/index.md)" not in pages[urls.PEOPLE]  # links there are relative
    tr = report.tr
    # Their own page says when they left ("keluar pada 18 Jul 2026" / "left on 18 Jul 2026").
    assert tr("person.until", date=tr.date(person.end)) in pages[urls.person_page(person.id)]
    # The latest week's page lists only people who worked in it.
    own = urls.person_page(person.id)
    assert own not in pages[urls.week_page(report.dataset.weeks[-1])]
    first_week = report.dataset.weeks[0]
    assert own in pages[urls.week_page(first_week)]  # they worked in June


def test_freshness_line_and_stale_or_missing_weeks(make_data):
    header = "date,rep_id,outlet_id,planned,visited,order_value,units,no_order_reason,notes\n"
    view = View(compute_report(make_data({"weeks/2026-W45/calls.csv": header})))
    tr = view.tr
    # Weeks W45 and W47 exist: W46 in between is missing. The latest ends Sun 22 Nov.
    line = view.freshness(dt.date(2026, 11, 23))
    assert line == "Data up to Week 47 (Sun, Nov 22) · 2 weeks since Week 45 · built Nov 23, 2026"
    # every other page leaves the build date out, so a rebuild on another day can reuse it
    assert view.freshness() == "Data up to Week 47 (Sun, Nov 22) · 2 weeks since Week 45"
    # a page about a week says the data up to that week, so a new week leaves it as it was
    assert view.freshness(upto="2026-W45") == "Data up to Week 45 (Sun, Nov 8) · 1 week since Week 45"
    assert view.freshness(upto="2026-W47") == view.freshness()
    # Built on Mon 23 Nov: 1 day after the latest week, not stale; W46 is missing.
    assert view.data_warnings(dt.date(2026, 11, 23)) == [tr("missing_weeks", weeks=tr.period("2026-W46"))]
    # Built on Mon 30 Nov: 8 days > 7 after Sun 22 Nov, so the latest week is stale too.
    warnings = view.data_warnings(dt.date(2026, 11, 30))
    assert warnings[0].startswith("The latest data is Week 47 (Nov 16")
    assert len(warnings) == 2
    # Sun 29 Nov is exactly 7 days after: not stale.
    assert len(view.data_warnings(dt.date(2026, 11, 29))) == 1


def test_percent_near_a_limit_shows_the_decimal_that_tells_them_apart():
    from reports_gen.i18n import Translator
    from reports_gen.metrics.alerts import _below

    tr = Translator("id")
    # 0.896 rounds to 90% like the 90% limit: one decimal shows it is below (89,6%).
    assert _below(tr, 0.896, 0.9) == "89,6%"
    assert _below(tr, 0.85, 0.9) == "85%"  # whole percents already differ
    assert _below(tr, 0.9, 0.9) == "90%"  # the limit itself
    assert _below(tr, 0.8999, 0.9) == "89,99%"  # 90,0% would still read as the limit
