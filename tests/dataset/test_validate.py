"""Loading and validation of a data directory: every rule of SPEC section 2, with its message.

Each case replaces one file of the valid base data (conftest.BASE_FILES) with a variant that
has one defect, and states the whole problem list `check_data` must return: path (relative to
the data directory), line, column, level, message and hint, all written out literally.
Columns are counted by hand from the base files; the derivation is noted where it is not obvious.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fixtures import (
    ACTIVITIES_W47,
    CALLS_W47,
    CONFIG,
    OUTLETS,
    PROSPECTS_W47,
    SALES_W47,
    TARGETS,
    TEAM,
)

from reports_gen.dataset.dataset import check_data

C = "weeks/2026-W47/calls.csv"
S = "weeks/2026-W47/sales.csv"
A = "weeks/2026-W47/activities.csv"
P = "weeks/2026-W47/prospects.csv"

ID_HINT = "ids use letters, digits, '-' and '_' (up to 64), starting with a letter or digit"
BOOL_HINT = "use yes/no, y/n, true/false, 1/0 or ya/tidak"
NUMBER_HINT = "write plain numbers such as 1500000 or 12.5; `reports-gen import` converts exported files"
DATE_HINT = "write dates as YYYY-MM-DD, e.g. 2026-11-23; `reports-gen import` converts other formats"
FIELDS_HINT = "a missing or extra comma? text with commas needs double quotes"
PERSON_HINT = "define them in team.yaml"
OUTLET_HINT = "add it to outlets.csv"
START_HINT = "check the date or the person's start in team.yaml"
END_HINT = "check the date or the person's end in team.yaml"
ROLE_HINT = "set role: sales in team.yaml, or name the right rep"
PERIOD_HINT = "use YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM or YYYY-Www"
AMOUNT_HINT = "value: 600000000, or growth: 10%"
METRIC_HINT = "use one of revenue, units, actual_calls, effective_calls, new_prospects, activities_done"
SILENT_HINT = "was the week's data of this person forgotten?"
CALL_HEADER = "date,rep_id,outlet_id,planned,visited,order_value,units,no_order_reason,notes"


def swap(text: str, old: str, new: str) -> str:
    """Replace the one occurrence of `old` (fail loudly if the base data changed)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def problems(root: Path) -> list[tuple]:
    """Return every problem as (path relative to root, line, col, level, message, hint)."""
    result = check_data(root)
    rows = [
        (Path(os.path.relpath(p.path, root)).as_posix(), p.line, p.col, p.level, p.message, p.hint)
        for p in result.problems
    ]
    return sorted(rows, key=lambda r: (r[0], r[1] or 0, r[2] or 0, r[4]))


def errors(root: Path) -> list[tuple]:
    return [p for p in problems(root) if p[3] == "error"]


def E(path: str, line: int | None, col: int | None, message: str, hint: str = "") -> tuple:  # noqa: N802
    return (path, line, col, "error", message, hint)


def W(path: str, message: str, hint: str = SILENT_HINT) -> tuple:  # noqa: N802
    return (path, None, None, "warning", message, hint)


# -- the valid base ------------------------------------------------------------------------------


def test_base_data_is_valid(data_dir: Path) -> None:
    result = check_data(data_dir)
    assert result.problems == []
    assert result.dataset is not None


def test_base_calls_are_typed(data_dir: Path) -> None:
    calls = check_data(data_dir).dataset.calls
    assert calls["planned"].tolist() == [True, True, True, False, True]
    assert calls["visited"].tolist() == [True, False, True, True, True]
    assert calls["order_value"].tolist() == [500000.0, 0.0, 0.0, 250000.0, 300000.0]
    assert calls["units"].tolist() == [5.0, 0.0, 0.0, 2.0, 3.0]
    assert calls["planned"].dtype == bool and calls["visited"].dtype == bool
    assert calls["order_value"].dtype == np.float64 and calls["units"].dtype == np.float64
    assert calls["_line"].tolist() == [2, 3, 4, 5, 6]
    assert calls["date"].tolist() == [
        pd.Timestamp("2026-11-16"),
        pd.Timestamp("2026-11-16"),
        pd.Timestamp("2026-11-18"),
        pd.Timestamp("2026-11-19"),
        pd.Timestamp("2026-11-20"),
    ]
    assert calls["week"].tolist() == ["2026-W47"] * 5
    assert calls["rep_id"].tolist() == ["andi", "andi", "budi", "andi", "citra"]
    assert calls["no_order_reason"].tolist() == ["", "Toko tutup", "Stok masih ada", "", ""]
    assert {Path(f).as_posix()[-len(C) :] for f in calls["_file"]} == {C}


def test_base_other_tables_are_typed(data_dir: Path) -> None:
    ds = check_data(data_dir).dataset
    assert ds.weeks == ("2026-W47",)
    assert ds.outlets["outlet_id"].tolist() == ["O1", "O2", "O3", "O4"]
    assert ds.outlets["visits_per_week"].tolist() == [1.0, 2.0, 0.5, 1.0]
    assert ds.outlets["_line"].tolist() == [2, 3, 4, 5]
    assert ds.sales["order_value"].tolist() == [100000.0]
    assert ds.sales["units"].tolist() == [1.0]
    assert ds.sales["channel"].tolist() == ["whatsapp"]
    assert ds.activities["planned"].tolist() == [True, True, False]
    assert ds.activities["done"].tolist() == [True, False, True]
    assert ds.activities["_line"].tolist() == [2, 3, 4]
    assert ds.prospects["stage"].tolist() == ["new", "contacted"]
    assert ds.prospects["expected_value"].iloc[0] == 1000000.0
    assert math.isnan(ds.prospects["expected_value"].iloc[1])  # empty = unknown, not 0
    assert [p.id for p in ds.org.people] == ["andi", "budi", "citra", "dewi"]
    assert ds.org.person("budi").start.isoformat() == "2026-11-18"
    assert [t.id for t in ds.org.teams] == ["east", "west"]
    assert [(t.period.code, t.scope, t.scope_id, t.metric, t.value) for t in ds.targets] == [
        ("2026-11", "person", "andi", "revenue", 2000000.0),
        ("2026-Q4", "company", "", "revenue", 9000000.0),
    ]
    assert ds.config.language == "en"
    assert ds.config.company == "PT Uji Coba"
    assert ds.config.activity_types == ("demo", "promotion", "meeting")
    assert ds.config.thresholds.ec_ratio == 0.6
    assert ds.config.thresholds.stale_prospect_days == 14


# -- the shape of CSV files ----------------------------------------------------------------------

CSV_CASES = [
    pytest.param(
        {C: swap(CALLS_W47, "no_order_reason,notes", "no_order_reason,note")},
        # header: date(4)+1 rep_id(6)+1 outlet_id(9)+1 planned(7)+1 visited(7)+1 order_value(11)+1
        # units(5)+1 no_order_reason(15)+1 = 72 characters before 'note'
        E(
            C,
            1,
            73,
            "unknown column 'note'",
            "expected columns: date,rep_id,outlet_id,planned,visited,order_value,units,no_order_reason,notes",
        ),
        id="unknown-column",
    ),
    pytest.param(
        {C: swap(CALLS_W47, "units,no_order_reason,notes", "units,notes,notes")},
        E(C, 1, 63, "duplicate column 'notes'"),  # 56 characters up to 'units,', then 'notes,' (6)
        id="duplicate-column",
    ),
    pytest.param(
        {C: "date,rep_id,outlet_id,planned,order_value\n2026-11-16,andi,O1,yes,0\n"},
        E(
            C,
            1,
            None,
            "missing required column(s): visited, units",
            "the header must name: date,rep_id,outlet_id,planned,visited,order_value,units",
        ),
        id="missing-columns",
    ),
    pytest.param(
        {C: CALLS_W47 + "2026-11-17,andi,O1,yes\n"},
        E(C, 7, None, "expected 9 fields, found 4", FIELDS_HINT),
        id="wrong-number-of-fields",
    ),
    pytest.param(
        {C: CALLS_W47 + "2026-11-17,andi,O1,yes,yes,0,0,,,\n"},
        E(C, 7, None, "expected 9 fields, found 10", FIELDS_HINT),
        id="one-field-too-many",
    ),
    pytest.param(
        {C: CALLS_W47 + "2026-11-17,an"},
        E(C, 7, None, "expected 9 fields, found 2", FIELDS_HINT),
        id="truncated-last-line",
    ),
    pytest.param(
        {C: swap(CALLS_W47, "Toko tutup,", '"Toko tutup, sakit\nlagi",') + '2026-11-17,andi,O1,yes,"yes\n'},
        # the unterminated quote opens on line 8 (the quoted note spans lines 3-4)
        E(C, 8, None, "malformed CSV: unexpected end of data", "check the double quotes on this line"),
        id="unterminated-quote",
    ),
    pytest.param(
        {C: ""},
        E(C, 1, None, "empty file: the first line must be the header", "start with: " + CALL_HEADER),
        id="empty-file",
    ),
    pytest.param(
        {C: b"\x89PNG\r\n\x1a\n\x00\x00"},
        E(C, 3, None, "binary content (NUL byte): not a text file"),  # two newlines before the NUL
        id="binary-content",
    ),
    pytest.param(
        {C: swap(CALLS_W47, "Toko tutup,", "Toko tutup caf\xe9,").encode("cp1252")},
        # line 3 is '2026-11-16,andi,O2,yes,no,0,0,Toko tutup caf' (44 characters) before the 0xe9
        E(
            C,
            3,
            45,
            "not valid UTF-8 text (byte 0xe9)",
            "save the file as UTF-8, or bring it in with `reports-gen import`",
        ),
        id="windows-1252",
    ),
    pytest.param(
        {"outlets.csv": OUTLETS + "O 9,Toko X,store,Darmo,citra,1\n"},
        E("outlets.csv", 6, 1, "invalid id 'O 9'", ID_HINT),
        id="invalid-outlet-id",
    ),
]


@pytest.mark.parametrize(("files", "expected"), CSV_CASES)
def test_csv_shape(make_data, files, expected) -> None:
    assert problems(make_data(files)) == [expected]


def test_more_than_twenty_lines_with_wrong_fields_are_counted(make_data) -> None:
    root = make_data({C: CALLS_W47 + "x,1\n" * 25})  # bad lines 7..31
    expected = [E(C, line, None, "expected 9 fields, found 2", FIELDS_HINT) for line in range(7, 27)]
    expected.append(E(C, 27, None, "... and 5 more lines with the wrong number of fields"))
    assert problems(root) == expected


def test_more_than_twenty_wrong_lines_in_a_quoted_file_are_counted(make_data) -> None:
    root = make_data({C: CALLS_W47 + '"x",1\n' * 25})
    expected = [E(C, line, None, "expected 9 fields, found 2", FIELDS_HINT) for line in range(7, 27)]
    expected.append(E(C, 27, None, "... and 5 more lines with the wrong number of fields"))
    assert problems(root) == expected


def test_yaml_syntax_error_is_one_problem_with_its_line(make_data) -> None:
    # Line 6 is '  - {id: budi,, ...': the second comma is character 15. No cascade follows
    # (no "unknown person" for every row that names a person). The wording is libyaml's.
    root = make_data({"team.yaml": swap(TEAM, "- {id: budi,", "- {id: budi,,")})
    assert problems(root) == [E("team.yaml", 6, 15, "invalid YAML: did not find expected node content")]


def test_yaml_with_two_documents(make_data) -> None:
    root = make_data({"targets.yaml": TARGETS + "---\ntargets: []\n"})
    assert problems(root) == [
        E(
            "targets.yaml",
            4,
            1,
            "invalid YAML: expected a single document in the stream, but found another document",
        )
    ]


def test_yaml_control_character(make_data) -> None:
    root = make_data({"team.yaml": TEAM + "\x01\n"})
    assert problems(root) == [
        E(
            "team.yaml",
            9,
            1,
            "invalid YAML: unacceptable character #x0001: control characters are not allowed",
        )
    ]


def test_yaml_bad_explicit_tag(make_data) -> None:
    root = make_data({"config.yaml": swap(CONFIG, "company: PT Uji Coba", "company: !!int PT")})
    assert problems(root) == [E("config.yaml", 1, 10, "invalid YAML: cannot read 'PT' as int")]


def test_yaml_recursive_alias_does_not_hang(make_data) -> None:
    root = make_data({"config.yaml": "company: &x [*x]\n"})
    assert problems(root) == [E("config.yaml", 1, 10, "company must be text")]


def test_yaml_nested_too_deeply(make_data) -> None:
    root = make_data({"config.yaml": "company: " + "[" * 5000 + "]" * 5000 + "\n"})
    # libyaml stops at 1000 levels: '[' number 1000 is character 1009 ('company: ' is 9)
    assert problems(root) == [E("config.yaml", 1, 1009, "invalid YAML: exceeded maximum nesting depth")]


def test_yaml_duplicate_key_is_an_error_without_cascade(make_data) -> None:
    # a second `people:` would silently replace the first list
    root = make_data({"team.yaml": TEAM + "people:\n  - {id: zed, name: Zed, role: sales, team: east}\n"})
    assert problems(root) == [
        E(
            "team.yaml",
            9,
            1,
            "duplicate key 'people'",
            "first used on line 4; the later value would replace it",
        )
    ]


def test_yaml_merge_keys_are_not_duplicates(make_data) -> None:
    # `<<: *base` copies period, and the entry's own period overrides it: plain YAML, no duplicate
    targets = (
        "targets:\n"
        "  - &base {period: 2026-10, scope: company, metric: units, value: 100}\n"
        "  - {<<: *base, period: 2026-11}\n"
    )
    result = check_data(make_data({"targets.yaml": targets}))
    assert result.problems == []
    assert [(t.period.code, t.metric, t.value) for t in result.dataset.targets] == [
        ("2026-10", "units", 100.0),
        ("2026-11", "units", 100.0),
    ]


def test_more_than_ten_identical_mistakes_are_counted(make_data) -> None:
    # 12 rows with planned 'maybe' (planned is character 20 of '2026-11-1x,andi,O1,...')
    rows = [f"2026-11-{16 + i // 2},andi,O{1 + i % 2},maybe,yes,0,0,,\n" for i in range(12)]
    root = make_data({C: CALL_HEADER + "\n" + "".join(rows)})
    expected = [E(C, line, 20, "'maybe' is not a yes/no value", BOOL_HINT) for line in range(2, 12)]
    expected.append(E(C, 12, None, "... and 2 more rows like this"))
    assert errors(root) == expected


# -- config.yaml ---------------------------------------------------------------------------------

CONFIG_CASES = [
    pytest.param(
        swap(CONFIG, "language: en", "language: fr"),
        E("config.yaml", 2, 11, "language must be 'id' or 'en', not 'fr'"),
        id="language",
    ),
    pytest.param(
        swap(CONFIG, "currency: IDR", "currency: Rp"),
        E("config.yaml", 3, 11, "unknown currency 'Rp'", "use an ISO 4217 code such as IDR"),
        id="currency",
    ),
    pytest.param(
        swap(CONFIG, "thu, fri]", "thu, fry]"),
        E("config.yaml", 4, 36, "unknown weekday 'fry'", "use mon, tue, wed, thu, fri, sat, sun"),
        id="weekday",
    ),
    pytest.param(
        swap(CONFIG, "working_days: [mon, tue, wed, thu, fri]", "working_days: []"),
        E(
            "config.yaml",
            4,
            15,
            "working_days must be a non-empty list",
            "for example [mon, tue, wed, thu, fri, sat]",
        ),
        id="working-days-empty",
    ),
    pytest.param(
        CONFIG + "holidays:\n  country: XX\n",
        E("config.yaml", 13, 12, "unknown holiday country 'XX'", "use an ISO 3166 code such as ID"),
        id="holiday-country",
    ),
    pytest.param(
        CONFIG + "holidays:\n  extra: [2026-12-24, 24/12/2026]\n",
        E("config.yaml", 13, 23, "invalid date '24/12/2026'", "write dates as YYYY-MM-DD"),
        id="extra-date-format",
    ),
    pytest.param(
        CONFIG + "holidays:\n  extra: [2026-02-30]\n",
        E("config.yaml", 13, 11, "'2026-02-30' is not a real calendar date"),
        id="extra-date-impossible",
    ),
    pytest.param(
        CONFIG + "holidays:\n  working: 2026-12-26\n",
        E("config.yaml", 13, 12, "working must be a list of dates", "for example [2026-12-24]"),
        id="working-not-a-list",
    ),
    pytest.param(
        CONFIG + "holidays:\n  country: ID\n  extras: [2026-12-24]\n",
        E("config.yaml", 14, 3, "unknown key 'holidays.extras'", "allowed: country, extra, working"),
        id="holidays-unknown-key",
    ),
    pytest.param(
        swap(CONFIG, "ec_ratio: 0.6", "ec_ratio: 60"),
        E(
            "config.yaml",
            6,
            13,
            "threshold ec_ratio must be a number from 0 to 1, not 60",
            "write 0.9 for 90 %",
        ),
        id="threshold-above-1",
    ),
    pytest.param(
        swap(CONFIG, "pjp_rate: 0.9", "pjp_rate: -0.1"),
        E(
            "config.yaml",
            7,
            13,
            "threshold pjp_rate must be a number from 0 to 1, not -0.1",
            "write 0.9 for 90 %",
        ),
        id="threshold-negative",
    ),
    pytest.param(
        swap(CONFIG, "coverage: 0.9", "coverage: 90%"),
        E(
            "config.yaml",
            8,
            13,
            "threshold coverage must be a number from 0 to 1, not '90%'",
            "write 0.9 for 90 %",
        ),
        id="threshold-percent-text",
    ),
    pytest.param(
        swap(CONFIG, "stale_prospect_days: 14", "stale_prospect_days: 0"),
        E("config.yaml", 10, 24, "stale_prospect_days must be a whole number of days >= 1"),
        id="stale-days",
    ),
    pytest.param(
        swap(CONFIG, "  ec_ratio: 0.6", "  ec_rate: 0.6"),
        E(
            "config.yaml",
            6,
            3,
            "unknown threshold 'ec_rate'",
            "allowed: ec_ratio, pjp_rate, coverage, pace_at_risk, stale_prospect_days, "
            "home_alerts_per_team, home_min_severity",
        ),
        id="threshold-unknown",
    ),
    pytest.param(
        CONFIG + "colour: blue\n",
        E(
            "config.yaml",
            12,
            1,
            "unknown key 'colour'",
            "allowed: activity_types, company, currency, holidays, language, thresholds, working_days",
        ),
        id="unknown-key",
    ),
    pytest.param(
        swap(CONFIG, "meeting]", "meeting, bad type]"),
        # 'activity_types: [demo, promotion, meeting, ' is 43 characters
        E("config.yaml", 11, 44, "invalid id 'bad type'", ID_HINT),
        id="activity-type-id",
    ),
    pytest.param(
        swap(CONFIG, "activity_types: [demo, promotion, meeting]", "activity_types: []"),
        E("config.yaml", 11, 17, "activity_types must be a non-empty list"),
        id="activity-types-empty",
    ),
    pytest.param(
        "- company\n",
        E("config.yaml", 1, 1, "the file must be a mapping of keys to values"),
        id="not-a-mapping",
    ),
]


@pytest.mark.parametrize(("config", "expected"), CONFIG_CASES)
def test_config(make_data, config, expected) -> None:
    assert problems(make_data({"config.yaml": config})) == [expected]


@pytest.mark.parametrize("config", ["", "# nothing yet\n", None], ids=["empty", "comment-only", "missing"])
def test_config_defaults(make_data, config) -> None:
    result = check_data(make_data({"config.yaml": config}))
    assert result.problems == []
    cfg = result.dataset.config
    assert (cfg.company, cfg.language, cfg.currency) == ("Sales Performance", "id", "IDR")
    assert cfg.activity_types == (
        "demo",
        "promotion",
        "event",
        "campaign",
        "social_media",
        "follow_up",
        "meeting",
        "training",
    )
    assert cfg.calendar.weekdays == frozenset({0, 1, 2, 3, 4})
    assert (
        cfg.thresholds.ec_ratio,
        cfg.thresholds.pjp_rate,
        cfg.thresholds.coverage,
        cfg.thresholds.pace_at_risk,
        cfg.thresholds.stale_prospect_days,
    ) == (0.6, 0.9, 0.9, 0.9, 14)


def test_config_norway_is_not_false(make_data) -> None:
    # YAML 1.1 reads a bare NO as false; the country code is meant
    result = check_data(make_data({"config.yaml": CONFIG + "holidays:\n  country: NO\n"}))
    assert result.problems == []
    assert result.dataset.config.calendar.country == "NO"


# -- team.yaml -----------------------------------------------------------------------------------

TEAM_CASES = [
    pytest.param(
        None,
        E("team.yaml", None, None, "team.yaml is missing", "every data directory needs its teams and people"),
        id="missing-file",
    ),
    pytest.param("", E("team.yaml", None, None, "team.yaml is empty"), id="empty-file"),
    pytest.param(
        swap(TEAM, "{id: budi,", "{id: bu di,"),
        E("team.yaml", 6, 10, "invalid id 'bu di'", ID_HINT),
        id="bad-id",
    ),
    pytest.param(
        TEAM + "  - {id: budi, name: Budi Lain, role: sales, team: west}\n",
        E("team.yaml", 9, None, "duplicate id 'budi' in people", "first defined on line 6"),
        id="duplicate-person",
    ),
    pytest.param(
        swap(TEAM, "team: west}\n  - {id: dewi", "team: nort}\n  - {id: dewi"),
        E("team.yaml", 7, 57, "unknown team 'nort'", "define it under teams:"),
        id="unknown-team",
    ),
    pytest.param(
        swap(TEAM, "manager: andi", "manager: andy"),
        E("team.yaml", 2, 37, "unknown person 'andy'", "the manager must be listed under people:"),
        id="unknown-manager",
    ),
    pytest.param(
        swap(TEAM, "role: marketing", "role: admin"),
        E("team.yaml", 8, 44, "role must be 'sales' or 'marketing', not 'admin'"),
        id="bad-role",
    ),
    pytest.param(
        swap(TEAM, "start: 2026-11-18}", "start: 2026-11-18, end: 2026-11-01}"),
        E("team.yaml", 6, 85, "end 2026-11-01 is before start 2026-11-18"),
        id="end-before-start",
    ),
    pytest.param(
        swap(TEAM, "name: Budi Santoso, ", ""), E("team.yaml", 6, 5, "missing name"), id="missing-name"
    ),
    pytest.param(
        swap(TEAM, "name: Budi Santoso,", 'name: "",'), E("team.yaml", 6, 22, "missing name"), id="empty-name"
    ),
    pytest.param(
        swap(TEAM, "name: Citra Lestari, ", ""),
        # citra manages west: her entry's error must not also make the manager "unknown"
        E("team.yaml", 7, 5, "missing name"),
        id="missing-name-of-a-manager",
    ),
    pytest.param(
        swap(TEAM, "start: 2026-11-18", "start: 2026-02-30"),
        E("team.yaml", 6, 68, "'2026-02-30' is not a real calendar date"),
        id="impossible-start",
    ),
    pytest.param(
        swap(TEAM, "start: 2026-11-18", "start: 18/11/2026"),
        E("team.yaml", 6, 68, "invalid date '18/11/2026'", "write dates as YYYY-MM-DD"),
        id="start-not-iso",
    ),
    pytest.param(
        swap(TEAM, ", team: east, start", ", start"),
        E("team.yaml", 6, 5, "person 'budi' has no team"),
        id="no-team",
    ),
    pytest.param(
        TEAM + "managers: [andi]\n",
        E("team.yaml", 9, 1, "unknown key 'managers'", "allowed: people, teams"),
        id="unknown-key",
    ),
]


@pytest.mark.parametrize(("team", "expected"), TEAM_CASES)
def test_team(make_data, team, expected) -> None:
    # whatever is wrong in team.yaml, references to people elsewhere do not cascade
    assert problems(make_data({"team.yaml": team})) == [expected]


def test_open_end_far_in_the_future(make_data) -> None:
    # some HR exports write 9999-12-31 for "no end": it must not overflow into the past
    team = swap(TEAM, "start: 2026-11-18}", "start: 2026-11-18, end: 9999-12-31}")
    result = check_data(make_data({"team.yaml": team}))
    assert result.problems == []
    assert result.dataset.org.person("budi").end.isoformat() == "9999-12-31"


def test_duplicate_person_reported_where_the_later_entry_is(make_data) -> None:
    # the duplicate is removed first; an unknown team after it must still point at its own line
    team = swap(
        TEAM,
        "  - {id: citra, name: Citra Lestari, role: sales, team: west}\n",
        "  - {id: andi, name: Andi Dua, role: sales, team: east}\n"
        "  - {id: citra, name: Citra Lestari, role: sales, team: nort}\n",
    )
    assert problems(make_data({"team.yaml": team})) == [
        E("team.yaml", 7, None, "duplicate id 'andi' in people", "first defined on line 5"),
        E("team.yaml", 8, 57, "unknown team 'nort'", "define it under teams:"),
    ]


# -- outlets.csv ---------------------------------------------------------------------------------

OC = "outlets.csv"
WITH_COORDINATES = "outlet_id,name,type,area,rep_id,visits_per_week,lat,lon\n" + "".join(
    line + ",-7.3,112.7\n" for line in OUTLETS.splitlines()[1:]
)
# Row 3 'O2,UD Sentosa,reseller,...': type at 15. Row 4 'O3,CV Abadi,buyer,Gubeng,budi,0.5':
# visits_per_week at 31. Row 5 'O4,Toko Jaya,store,Darmo,citra,1': name 4, rep_id 26.
OUTLET_CASES = [
    pytest.param(
        None,
        E(
            OC,
            None,
            None,
            "outlets.csv is missing",
            "list the stores, resellers and buyers, even if only the header",
        ),
        id="missing",
    ),
    pytest.param(
        swap(OUTLETS, "reseller", "shop"),
        E(OC, 3, 15, "unknown outlet type 'shop'", "use one of store, reseller, buyer"),
        id="type",
    ),
    pytest.param(
        swap(OUTLETS, "Gubeng,budi,0.5", "Gubeng,budi,0"),
        E(
            OC,
            4,
            31,
            "visits_per_week must be more than 0",
            "0.5 means every two weeks; remove outlets that are no longer visited",
        ),
        id="visits-zero",
    ),
    pytest.param(
        swap(OUTLETS, "Gubeng,budi,0.5", "Gubeng,budi,-1"),
        E(OC, 4, 31, "visits_per_week must not be negative (-1)"),
        id="visits-negative",
    ),
    pytest.param(
        swap(OUTLETS, "Gubeng,budi,0.5", "Gubeng,budi,weekly"),
        E(OC, 4, 31, "visits_per_week 'weekly' is not a plain number", NUMBER_HINT),
        id="visits-text",
    ),
    pytest.param(
        OUTLETS + "O1,Toko X,store,Darmo,citra,1\n",
        E(OC, 6, None, "duplicate outlet: same outlet_id as line 2"),
        id="duplicate-id",
    ),
    pytest.param(
        swap(OUTLETS, "Darmo,citra", "Darmo,zed"),
        E(OC, 5, 26, "unknown person 'zed'", PERSON_HINT),
        id="unknown-rep",
    ),
    pytest.param(
        swap(OUTLETS, "Darmo,citra", "Darmo,dewi"),
        E(OC, 5, 26, "'dewi' is a marketing person; outlets need a sales rep", ROLE_HINT),
        id="marketing-rep",
    ),
    pytest.param(swap(OUTLETS, "O4,Toko Jaya", "O4,"), E(OC, 5, 4, "missing name"), id="missing-name"),
    pytest.param(
        WITH_COORDINATES.replace("citra,1,-7.3", "citra,1,95"),
        E(OC, 5, 34, "lat 95 is out of range -90..90"),
        id="lat-range",
    ),
    pytest.param(
        WITH_COORDINATES.replace("citra,1,-7.3,112.7", "citra,1,-7.3,-181"),
        E(OC, 5, 39, "lon -181 is out of range -180..180"),
        id="lon-range",
    ),
]


@pytest.mark.parametrize(("outlets", "expected"), OUTLET_CASES)
def test_outlets(make_data, outlets, expected) -> None:
    assert problems(make_data({"outlets.csv": outlets})) == [expected]


def test_outlets_empty_visits_per_week_is_one(make_data) -> None:
    result = check_data(make_data({"outlets.csv": swap(OUTLETS, "budi,0.5", "budi,")}))
    assert result.problems == []
    assert result.dataset.outlets["visits_per_week"].tolist() == [1.0, 2.0, 1.0, 1.0]


def test_outlets_with_coordinates(make_data) -> None:
    outlets = "outlet_id,name,type,area,rep_id,visits_per_week,lat,lon\n" + "".join(
        line + ",-7.29,112.73\n" for line in OUTLETS.splitlines()[1:]
    )
    result = check_data(make_data({"outlets.csv": outlets}))
    assert result.problems == []
    assert result.dataset.outlets["lat"].tolist() == [-7.29] * 4
    assert result.dataset.outlets["lon"].tolist() == [112.73] * 4


# -- week folders --------------------------------------------------------------------------------

HEADER_ONLY = CALL_HEADER + "\n"

WEEK_FOLDER_CASES = [
    pytest.param(
        {"weeks/week48/calls.csv": HEADER_ONLY},
        [
            E(
                "weeks/week48",
                None,
                None,
                "week folder 'week48' is not named YYYY-Www",
                "name it after its ISO week, such as 2026-W48",
            )
        ],
        id="bad-name",
    ),
    pytest.param(
        {"weeks/2026-W54/calls.csv": HEADER_ONLY},
        [E("weeks/2026-W54", None, None, "invalid ISO week '2026-W54': 2026 has no week 54")],
        id="week-54",
    ),
    pytest.param(
        {"weeks/2025-W53/calls.csv": HEADER_ONLY},
        [E("weeks/2025-W53", None, None, "invalid ISO week '2025-W53': 2025 has no week 53")],
        id="week-53-of-a-52-week-year",
    ),
    pytest.param(
        {"weeks/notes.txt": "remember the stock count\n"},
        [
            E(
                "weeks/notes.txt",
                None,
                None,
                "unexpected file in weeks/",
                "weeks/ holds one folder per ISO week, such as weeks/2026-W48/",
            )
        ],
        id="file-in-weeks",
    ),
    pytest.param(
        {"weeks/2026-W47/calls.xlsx": b"PK\x03\x04"},
        [
            E(
                "weeks/2026-W47/calls.xlsx",
                None,
                None,
                "unexpected file 'calls.xlsx'",
                "a week folder holds activities.csv, calls.csv, prospects.csv, sales.csv",
            )
        ],
        id="unexpected-file-in-week",
    ),
    pytest.param(
        {C: None},
        # andi and budi logged nothing else that week; citra has a sale, dewi activities
        [
            W("weeks/2026-W47", "Andi Saputra (andi) has no rows at all in 2026-W47"),
            W("weeks/2026-W47", "Budi Santoso (budi) has no rows at all in 2026-W47"),
            E(
                C,
                None,
                None,
                "calls.csv is missing",
                "every week folder has a calls.csv, even if only the header",
            ),
        ],
        id="missing-calls",
    ),
]


def test_week_folder_past_year_9999(make_data) -> None:
    assert problems(make_data({"weeks/9999-W52/calls.csv": HEADER_ONLY})) == [
        E("weeks/9999-W52", None, None, "invalid ISO week '9999-W52': beyond the year 9999")
    ]


@pytest.mark.parametrize(("files", "expected"), WEEK_FOLDER_CASES)
def test_week_folders(make_data, files, expected) -> None:
    assert problems(make_data(files)) == expected


def test_week_53_of_a_53_week_year_is_valid(make_data) -> None:
    # 2026-12-28 is a Monday in ISO week 53 of 2026
    root = make_data({"weeks/2026-W53/calls.csv": HEADER_ONLY + "2026-12-28,andi,O1,yes,yes,0,0,,\n"})
    assert errors(root) == []


def test_no_weeks_folder_is_a_warning(make_data) -> None:
    result = check_data(make_data({C: None, S: None, A: None, P: None}))
    assert [(p.level, p.message, p.hint) for p in result.problems] == [
        ("warning", "no weeks/ folder: there is no data yet", "create one with `reports-gen new-week`")
    ]
    assert result.dataset is not None
    assert result.dataset.weeks == ()


# -- calls.csv -----------------------------------------------------------------------------------

ROW5 = "2026-11-19,andi,O2,no,yes,250000,2,,"  # date 1, rep_id 12, outlet_id 17, planned 20,
# visited 23, order_value 27, units 34

CALL_CASES = [
    pytest.param(
        swap(CALLS_W47, ROW5, "19/11/2026" + ROW5[10:]),
        E(C, 5, 1, "'19/11/2026' is not an ISO date", DATE_HINT),
        id="date-not-iso",
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, "2026-11-9" + ROW5[10:]),
        E(C, 5, 1, "'2026-11-9' is not an ISO date", DATE_HINT),
        id="date-one-digit-day",
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, ROW5.replace("2026-11-19,", ",")),
        E(C, 5, 1, "missing date", DATE_HINT),
        id="date-missing",
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, "2026-02-30" + ROW5[10:]),
        E(C, 5, 1, "'2026-02-30' is not a real calendar date"),
        id="date-impossible",
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, "2026-11-24" + ROW5[10:]),
        E(
            C,
            5,
            1,
            "date 2026-11-24 is outside week 2026-W47 (2026-11-16..2026-11-22)",
            "move the row to weeks/2026-W48/",
        ),
        id="date-after-week",
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, "2026-11-15" + ROW5[10:]),
        E(
            C,
            5,
            1,
            "date 2026-11-15 is outside week 2026-W47 (2026-11-16..2026-11-22)",
            "move the row to weeks/2026-W46/",
        ),
        id="date-before-week",
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, ROW5.replace("andi", "anddi")),
        E(C, 5, 12, "unknown person 'anddi'", PERSON_HINT),
        id="unknown-rep",
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, ROW5.replace("andi", "")), E(C, 5, 12, "missing rep_id"), id="missing-rep"
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, ROW5.replace("andi", "an di")),
        E(C, 5, 12, "invalid id 'an di'", ID_HINT),
        id="invalid-rep-id",
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, ROW5.replace("andi", "Andi")),
        E(C, 5, 12, "unknown person 'Andi'", PERSON_HINT),
        id="ids-are-case-sensitive",
    ),
    pytest.param(
        swap(CALLS_W47, "2026-11-18,budi", "2026-11-17,budi"),
        E(C, 4, 12, "'budi' is not active on 2026-11-17: starts 2026-11-18", START_HINT),
        id="rep-not-started",
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, ROW5.replace("andi", "dewi")),
        E(C, 5, 12, "'dewi' is a marketing person; calls need a sales rep", ROLE_HINT),
        id="marketing-rep",
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, ROW5.replace("O2", "O9")),
        E(C, 5, 17, "unknown outlet 'O9'", OUTLET_HINT),
        id="unknown-outlet",
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, ROW5.replace("O2", "")), E(C, 5, 17, "missing outlet_id"), id="missing-outlet"
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, ROW5.replace(",no,yes,", ",nope,yes,")),
        E(C, 5, 20, "'nope' is not a yes/no value", BOOL_HINT),
        id="bad-boolean",
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, ROW5.replace("250000", "-250000")),
        E(C, 5, 27, "order_value must not be negative (-250000)"),
        id="negative-order",
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, ROW5.replace(",2,,", ",-2,,")),
        E(C, 5, 34, "units must not be negative (-2)"),
        id="negative-units",
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, ROW5.replace("250000", "Rp 1.500.000")),
        E(C, 5, 27, "order_value 'Rp 1.500.000' is not a plain number", NUMBER_HINT),
        id="rupiah-text",
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, ROW5.replace("250000", "1.500.000")),
        E(C, 5, 27, "order_value '1.500.000' is not a plain number", NUMBER_HINT),
        id="thousands-separators",
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, ROW5.replace("250000", "250000,00")),
        E(C, 5, None, "expected 9 fields, found 10", FIELDS_HINT),
        id="decimal-comma",
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, ROW5.replace("250000", "\u0662\u0665\u0660")),
        E(C, 5, 27, "order_value '\u0662\u0665\u0660' is not a plain number", NUMBER_HINT),
        id="arabic-indic-digits",
    ),
    pytest.param(
        swap(CALLS_W47, ROW5, ROW5.replace("250000", "9" * 400)),
        E(C, 5, 27, f"order_value '{'9' * 400}' is too large"),
        id="number-too-large",
    ),
    pytest.param(
        CALLS_W47 + "2026-11-17,andi,O1,no,no,0,0,,\n",
        E(
            C,
            7,
            20,
            "call is neither planned nor visited",
            "set planned or visited to yes, or delete the row",
        ),
        id="neither-planned-nor-visited",
    ),
    pytest.param(
        CALLS_W47 + "2026-11-17,andi,O1,,,0,0,,\n",
        E(
            C,
            7,
            20,
            "call is neither planned nor visited",
            "set planned or visited to yes, or delete the row",
        ),
        id="empty-booleans",
    ),
    pytest.param(
        CALLS_W47 + "2026-11-17,andi,O1,yes,no,1000,1,,\n",
        # visited is character 24 of '2026-11-17,andi,O1,yes,no,...'
        E(
            C,
            7,
            24,
            "order on a call that was not visited",
            "set visited to yes, or record the order in sales.csv",
        ),
        id="order-without-visit",
    ),
    pytest.param(
        CALLS_W47 + "2026-11-17,andi,O1,yes,no,0,3,,\n",
        E(
            C,
            7,
            24,
            "order on a call that was not visited",
            "set visited to yes, or record the order in sales.csv",
        ),
        id="units-without-visit",
    ),
    pytest.param(
        CALLS_W47 + "2026-11-16,andi,O1,no,yes,0,0,,\n",
        E(C, 7, None, "duplicate call: same date, rep_id, outlet_id as line 2"),
        id="duplicate",
    ),
]


@pytest.mark.parametrize(("calls", "expected"), CALL_CASES)
def test_calls(make_data, calls, expected) -> None:
    assert problems(make_data({C: calls})) == [expected]


def test_call_by_a_rep_who_has_left(make_data) -> None:
    team = swap(
        TEAM,
        "{id: andi, name: Andi Saputra, role: sales, team: east}",
        "{id: andi, name: Andi Saputra, role: sales, team: east, end: 2026-11-18}",
    )
    assert problems(make_data({"team.yaml": team})) == [
        E(C, 5, 12, "'andi' is not active on 2026-11-19: left 2026-11-18", END_HINT)
    ]


def test_duplicate_across_week_folders_names_the_other_file(make_data) -> None:
    root = make_data({"weeks/2026-W48/calls.csv": HEADER_ONLY + "2026-11-16,andi,O1,yes,yes,0,0,,\n"})
    assert errors(root) == [
        E(
            "weeks/2026-W48/calls.csv",
            2,
            None,
            "duplicate call: same date, rep_id, outlet_id as weeks/2026-W47/calls.csv:2",
        ),
        E(
            "weeks/2026-W48/calls.csv",
            2,
            1,
            "date 2026-11-16 is outside week 2026-W48 (2026-11-23..2026-11-29)",
            "move the row to weeks/2026-W47/",
        ),
    ]


def test_error_in_a_quoted_row_points_at_its_column(make_data) -> None:
    calls = swap(CALLS_W47, ROW5, '2026-11-19,andi,O2,no,yes,"Rp 250.000",2,"a, b",')
    assert problems(make_data({C: calls})) == [
        E(C, 5, 27, "order_value 'Rp 250.000' is not a plain number", NUMBER_HINT)
    ]


def test_errors_in_two_files_are_all_reported(make_data) -> None:
    root = make_data(
        {
            C: swap(CALLS_W47, ROW5, ROW5.replace("O2", "O9")),
            S: swap(SALES_W47, "citra,O4", "citra,O8"),
        }
    )
    assert problems(root) == [
        E(C, 5, 17, "unknown outlet 'O9'", OUTLET_HINT),
        E(S, 2, 18, "unknown outlet 'O8'", OUTLET_HINT),
    ]


# -- sales.csv -----------------------------------------------------------------------------------

SALE = "2026-11-17,citra,O4,100000,1,whatsapp,"  # date 1, rep_id 12, outlet_id 18, order_value 21,
# units 28

SALES_CASES = [
    pytest.param(
        swap(SALES_W47, SALE, SALE.replace("citra", "zed")),
        E(S, 2, 12, "unknown person 'zed'", PERSON_HINT),
        id="unknown-rep",
    ),
    pytest.param(
        swap(SALES_W47, SALE, SALE.replace("citra", "dewi")),
        E(S, 2, 12, "'dewi' is a marketing person; sales need a sales rep", ROLE_HINT),
        id="marketing-rep",
    ),
    pytest.param(
        swap(SALES_W47, SALE, SALE.replace("citra", "budi")),
        E(S, 2, 12, "'budi' is not active on 2026-11-17: starts 2026-11-18", START_HINT),
        id="rep-not-started",
    ),
    pytest.param(
        swap(SALES_W47, SALE, SALE.replace("O4", "O9")),
        E(S, 2, 18, "unknown outlet 'O9'", OUTLET_HINT),
        id="unknown-outlet",
    ),
    pytest.param(
        swap(SALES_W47, SALE, SALE.replace(",O4,", ",,")),
        E(S, 2, 18, "missing outlet_id"),
        id="missing-outlet",
    ),
    pytest.param(
        swap(SALES_W47, SALE, SALE.replace("2026-11-17", "2026-11-23")),
        E(
            S,
            2,
            1,
            "date 2026-11-23 is outside week 2026-W47 (2026-11-16..2026-11-22)",
            "move the row to weeks/2026-W48/",
        ),
        id="date-outside-week",
    ),
    pytest.param(
        swap(SALES_W47, SALE, SALE.replace("2026-11-17", "17/11/2026")),
        E(S, 2, 1, "'17/11/2026' is not an ISO date", DATE_HINT),
        id="date-not-iso",
    ),
    pytest.param(
        swap(SALES_W47, SALE, SALE.replace("100000", "-100000")),
        E(S, 2, 21, "order_value must not be negative (-100000)"),
        id="negative-order",
    ),
    pytest.param(
        swap(SALES_W47, SALE, SALE.replace("100000", "Rp 100.000")),
        E(S, 2, 21, "order_value 'Rp 100.000' is not a plain number", NUMBER_HINT),
        id="rupiah-text",
    ),
    pytest.param(
        swap(SALES_W47, SALE, SALE.replace(",1,", ",one,")),
        E(S, 2, 28, "units 'one' is not a plain number", NUMBER_HINT),
        id="units-text",
    ),
    pytest.param(
        swap(SALES_W47, "channel,notes", "channel,note"),
        E(
            S,
            1,
            49,
            "unknown column 'note'",
            "expected columns: date,rep_id,outlet_id,order_value,units,channel,notes",
        ),
        id="unknown-column",
    ),
]


@pytest.mark.parametrize(("sales", "expected"), SALES_CASES)
def test_sales(make_data, sales, expected) -> None:
    assert problems(make_data({S: sales})) == [expected]


# -- activities.csv ------------------------------------------------------------------------------

ACT_HINT = "add it to activity_types in config.yaml, or use one of demo, promotion, meeting"
# Row 2 '2026-11-17,dewi,demo,yes,yes,O1,...': person_id 12, type 17, planned 22, done 26, outlet_id 30.
# Row 3 '2026-11-18,dewi,promotion,yes,no,,,,': planned 27. Row 4 '2026-11-19,dewi,meeting,no,yes,,P1,,':
# type 17, prospect_id 33.
ACTIVITY_CASES = [
    pytest.param(
        swap(ACTIVITIES_W47, "meeting", "webinar"),
        E(A, 4, 17, "unknown activity type 'webinar'", ACT_HINT),
        id="unknown-type",
    ),
    pytest.param(
        swap(ACTIVITIES_W47, "dewi,demo", "dewi,Demo"),
        E(A, 2, 17, "unknown activity type 'Demo'", ACT_HINT),
        id="type-is-case-sensitive",
    ),
    pytest.param(
        swap(ACTIVITIES_W47, "2026-11-18,dewi,promotion,yes,no", "2026-11-18,dewi,,yes,no"),
        E(A, 3, 17, "missing type"),
        id="missing-type",
    ),
    pytest.param(
        swap(ACTIVITIES_W47, "promotion,yes,no", "promotion,no,no"),
        E(A, 3, 27, "activity is neither planned nor done", "set planned or done to yes, or delete the row"),
        id="neither-planned-nor-done",
    ),
    pytest.param(
        swap(ACTIVITIES_W47, "demo,yes,yes", "demo,yes,maybe"),
        E(A, 2, 26, "'maybe' is not a yes/no value", BOOL_HINT),
        id="bad-boolean",
    ),
    pytest.param(
        swap(ACTIVITIES_W47, ",P1,", ",P9,"),
        E(A, 4, 33, "unknown prospect 'P9'", "add the prospect to a prospects.csv first"),
        id="unknown-prospect",
    ),
    pytest.param(
        swap(ACTIVITIES_W47, ",O1,", ",O9,"),
        E(A, 2, 30, "unknown outlet 'O9'", OUTLET_HINT),
        id="unknown-outlet",
    ),
    pytest.param(
        swap(ACTIVITIES_W47, "2026-11-17,dewi", "2026-11-17,dewa"),
        E(A, 2, 12, "unknown person 'dewa'", PERSON_HINT),
        id="unknown-person",
    ),
    pytest.param(
        swap(ACTIVITIES_W47, "2026-11-17,dewi", "2026-11-17,budi"),
        E(A, 2, 12, "'budi' is not active on 2026-11-17: starts 2026-11-18", START_HINT),
        id="person-not-started",
    ),
    pytest.param(
        swap(ACTIVITIES_W47, "2026-11-19,dewi", "2026-11-29,dewi"),
        E(
            A,
            4,
            1,
            "date 2026-11-29 is outside week 2026-W47 (2026-11-16..2026-11-22)",
            "move the row to weeks/2026-W48/",
        ),
        id="date-outside-week",
    ),
]


@pytest.mark.parametrize(("activities", "expected"), ACTIVITY_CASES)
def test_activities(make_data, activities, expected) -> None:
    assert problems(make_data({A: activities})) == [expected]


def test_activity_by_a_sales_rep_is_fine(make_data) -> None:
    root = make_data({A: ACTIVITIES_W47 + "2026-11-20,andi,demo,no,yes,O1,,,\n"})
    assert problems(root) == []


def test_activity_types_come_from_config(make_data) -> None:
    root = make_data(
        {
            A: ACTIVITIES_W47 + "2026-11-20,dewi,webinar,no,yes,,,,\n",
            "config.yaml": swap(CONFIG, "meeting]", "meeting, webinar]"),
        }
    )
    assert problems(root) == []


# -- prospects.csv -------------------------------------------------------------------------------

# Row 2 '2026-11-16,P1,Toko Baru,dewi,referral,new,1000000,,': prospect_id 12, name 15, owner_id 25,
# stage 39, expected_value 43. Row 3 '2026-11-20,P1,,dewi,,contacted,,,': owner_id 16, stage 22.
PROSPECT_CASES = [
    pytest.param(
        swap(PROSPECTS_W47, "contacted", "contact"),
        E(P, 3, 22, "unknown stage 'contact'", "use one of new, contacted, qualified, proposal, won, lost"),
        id="unknown-stage",
    ),
    pytest.param(
        swap(PROSPECTS_W47, "dewi,,contacted", "dewi,,"), E(P, 3, 22, "missing stage"), id="missing-stage"
    ),
    pytest.param(
        swap(PROSPECTS_W47, "Toko Baru", ""),
        E(
            P,
            2,
            15,
            "first event of prospect 'P1' has no name",
            "the earliest row of a prospect carries its name",
        ),
        id="first-event-without-name",
    ),
    pytest.param(
        swap(PROSPECTS_W47, "Toko Baru,dewi", "Toko Baru,"),
        E(
            P,
            2,
            25,
            "first event of prospect 'P1' has no owner_id",
            "the earliest row of a prospect names who owns it",
        ),
        id="first-event-without-owner",
    ),
    pytest.param(
        swap(PROSPECTS_W47, "Toko Baru,dewi", "Toko Baru,zed"),
        E(P, 2, 25, "unknown person 'zed'", PERSON_HINT),
        id="unknown-owner",
    ),
    pytest.param(
        swap(PROSPECTS_W47, "Toko Baru,dewi", "Toko Baru,budi"),
        E(P, 2, 25, "'budi' is not active on 2026-11-16: starts 2026-11-18", START_HINT),
        id="owner-not-active",
    ),
    pytest.param(
        PROSPECTS_W47 + "2026-11-20,P1,,dewi,,contacted,,,\n",
        E(P, 4, None, "duplicate prospect event: same date, prospect_id, stage as line 3"),
        id="duplicate-event",
    ),
    pytest.param(
        PROSPECTS_W47 + "2026-11-21,P1,,dewi,,won,,O9,\n",
        E(P, 4, 27, "unknown outlet 'O9'", OUTLET_HINT),
        id="won-unknown-outlet",
    ),
    pytest.param(
        swap(PROSPECTS_W47, "1000000", "1 juta"),
        E(P, 2, 43, "expected_value '1 juta' is not a plain number", NUMBER_HINT),
        id="value-text",
    ),
]


@pytest.mark.parametrize(("prospects", "expected"), PROSPECT_CASES)
def test_prospects(make_data, prospects, expected) -> None:
    assert problems(make_data({P: prospects})) == [expected]


def test_invalid_prospect_id(make_data) -> None:
    # with row 2 no longer about P1, P1's earliest event is the unnamed one on line 3
    assert problems(make_data({P: swap(PROSPECTS_W47, "2026-11-16,P1", "2026-11-16,P 1")})) == [
        E(P, 2, 12, "invalid id 'P 1'", ID_HINT),
        E(
            P,
            3,
            15,
            "first event of prospect 'P1' has no name",
            "the earliest row of a prospect carries its name",
        ),
    ]


def test_first_event_is_the_earliest_not_the_first_line(make_data) -> None:
    # the named event is on line 3 but dated later: the earliest event (line 2) has no name
    prospects = (
        "date,prospect_id,name,owner_id,source,stage,expected_value,outlet_id,notes\n"
        "2026-11-20,P1,,dewi,,contacted,,,\n"
        "2026-11-21,P1,Toko Baru,dewi,referral,qualified,1000000,,\n"
    )
    assert problems(make_data({P: prospects})) == [
        E(
            P,
            2,
            15,
            "first event of prospect 'P1' has no name",
            "the earliest row of a prospect carries its name",
        )
    ]


def test_won_prospect_with_a_known_outlet_is_fine(make_data) -> None:
    assert problems(make_data({P: PROSPECTS_W47 + "2026-11-21,P1,,dewi,,won,,O1,\n"})) == []


# -- targets.yaml --------------------------------------------------------------------------------

T = "targets.yaml"
T2 = '  - {period: 2026-11, scope: "person:andi", metric: revenue, value: 2000000}'
T3 = "  - {period: 2026-Q4, scope: company, metric: revenue, value: 9000000}"
# In T2 the mapping starts at 5, period's value at 14, scope's at 30, metric's at 53, value's at 69.
# In T3 metric's value is at 47 and value's at 63.


def t2(new: str) -> str:
    return swap(TARGETS, T2, new)


TARGET_CASES = [
    pytest.param(
        t2(T2.replace("2026-11", "2026-13")),
        E(T, 2, 14, "invalid period '2026-13': month must be 01..12", PERIOD_HINT),
        id="month-13",
    ),
    pytest.param(
        swap(TARGETS, "2026-Q4", "2026-Q5"),
        E(T, 3, 14, "invalid period '2026-Q5': quarter must be Q1..Q4", PERIOD_HINT),
        id="quarter-5",
    ),
    pytest.param(
        t2(T2.replace("2026-11", "2026-W54")),
        E(T, 2, 14, "invalid ISO week '2026-W54': 2026 has no week 54", PERIOD_HINT),
        id="week-54",
    ),
    pytest.param(
        t2(T2.replace("2026-11", "2026-H3")),
        E(T, 2, 14, "invalid period '2026-H3': half must be H1 or H2", PERIOD_HINT),
        id="half-3",
    ),
    pytest.param(
        t2(T2.replace("2026-11", "November")),
        E(T, 2, 14, "invalid period 'November'", PERIOD_HINT),
        id="period-words",
    ),
    pytest.param(
        t2(T2.replace("2026-11", "9999-W52")),
        # the week would end in year 10000
        E(T, 2, 14, "invalid ISO week '9999-W52': beyond the year 9999", PERIOD_HINT),
        id="week-past-year-9999",
    ),
    pytest.param(
        t2(T2.replace("period: 2026-11, ", "")),
        E(T, 2, 5, "target has no period", "for example period: 2026-11"),
        id="no-period",
    ),
    pytest.param(
        t2(T2.replace('"person:andi"', "region:east")),
        E(T, 2, 30, "invalid scope 'region:east'", "use company, team:<id> or person:<id>"),
        id="bad-scope",
    ),
    pytest.param(
        t2(T2.replace('"person:andi"', '"team:nort"')),
        E(T, 2, 30, "unknown team 'nort' in scope", "define it in team.yaml"),
        id="unknown-team",
    ),
    pytest.param(
        t2(T2.replace('"person:andi"', '"person:zed"')),
        E(T, 2, 30, "unknown person 'zed' in scope", "define it in team.yaml"),
        id="unknown-person",
    ),
    pytest.param(
        swap(TARGETS, "metric: revenue, value: 9", "metric: revenu, value: 9"),
        E(T, 3, 47, "unknown target metric 'revenu'", METRIC_HINT),
        id="unknown-metric",
    ),
    pytest.param(
        swap(TARGETS, "metric: revenue, value: 9", "metric: ec_ratio, value: 9"),
        E(T, 3, 47, "unknown target metric 'ec_ratio'", METRIC_HINT),
        id="ratio-is-not-a-target-metric",
    ),
    pytest.param(
        t2(T2.replace("value: 2000000", "value: 2000000, growth: 10%")),
        E(T, 2, 5, "a target needs exactly one of value or growth", AMOUNT_HINT),
        id="value-and-growth",
    ),
    pytest.param(
        swap(TARGETS, ", value: 9000000", ""),
        E(T, 3, 5, "a target needs exactly one of value or growth", AMOUNT_HINT),
        id="neither-value-nor-growth",
    ),
    pytest.param(
        swap(TARGETS, "value: 9000000", "value: -5"),
        E(T, 3, 63, "value must not be negative (-5)"),
        id="negative-value",
    ),
    pytest.param(
        t2(T2.replace("value: 2000000", "value: 2.000.000")),
        E(
            T,
            2,
            69,
            "value must be a plain number, not '2.000.000'",
            "write 1500000, without separators or currency",
        ),
        id="value-with-separators",
    ),
    pytest.param(
        t2(T2.replace("value: 2000000", "value: .inf")),
        E(T, 2, 69, "value must be a plain number, not inf", "write 1500000, without separators or currency"),
        id="value-infinite",
    ),
    pytest.param(
        t2(T2.replace("value: 2000000", "growth: 10")),
        E(T, 2, 70, "growth must be a percentage, not 10", "for example growth: 10% or growth: -5%"),
        id="growth-not-percent",
    ),
    pytest.param(
        t2(T2.replace("value: 2000000", "growth: -100%")),
        E(T, 2, 70, "growth must be above -100%"),
        id="growth-minus-100",
    ),
    pytest.param(
        t2(T2.replace("value: 2000000", "growth: 10%, basis: last_month")),
        E(T, 2, 82, "basis must be 'previous' or 'last_year', not 'last_month'"),
        id="basis-invalid",
    ),
    pytest.param(
        t2(T2.replace("value: 2000000", "value: 2000000, basis: previous")),
        E(T, 2, 85, "basis applies only to growth targets", "remove basis, or use growth instead of value"),
        id="basis-with-value",
    ),
    pytest.param(
        t2(T2.replace("value: 2000000", "value: 2000000, split: days")),
        E(T, 2, 85, "split must be 'working_days' or 'calendar_days', not 'days'"),
        id="split-invalid",
    ),
    pytest.param(
        t2(T2.replace("value: 2000000", "value: 2000000, owner: rina")),
        E(T, 2, 78, "unknown key 'owner'", "allowed: basis, growth, metric, period, scope, split, value"),
        id="unknown-key",
    ),
    pytest.param(
        TARGETS + '  - {period: 2026-11, scope: "person:andi", metric: revenue, value: 3000000}\n',
        E(T, 4, 5, "duplicate target for 2026-11 person:andi revenue", "first defined on line 2"),
        id="duplicate",
    ),
    pytest.param(
        TARGETS + '  - {period: 2026-12, scope: "person:andi", metric: revenue, growth: 10%, '
        "basis: last_year}\n",
        E(
            T,
            4,
            None,
            "growth target for 2026-12 is based on 2025-12, which has no data",
            "add the week folders of that period, or set a value",
        ),
        id="growth-last-year-without-data",
    ),
    pytest.param(
        TARGETS + "  - {period: 2026-Q1, scope: company, metric: units, growth: 5%}\n",
        E(
            T,
            4,
            None,
            "growth target for 2026-Q1 is based on 2025-Q4, which has no data",
            "add the week folders of that period, or set a value",
        ),
        id="growth-previous-without-data",
    ),
]


@pytest.mark.parametrize(("targets", "expected"), TARGET_CASES)
def test_targets(make_data, targets, expected) -> None:
    assert problems(make_data({"targets.yaml": targets})) == [expected]


def test_growth_target_with_data_is_valid(make_data) -> None:
    # 2026-12 grows on 2026-11, which has the week folder 2026-W47
    targets = TARGETS + '  - {period: 2026-12, scope: "person:andi", metric: revenue, growth: 10%}\n'
    result = check_data(make_data({"targets.yaml": targets}))
    # November has data only in 2026-W47 (16-22 Nov): valid, with a warning about the rest.
    assert [p.format_text() for p in result.problems] == [
        f"{result.problems[0].path}:4: warning: growth target for 2026-12 is based on 2026-11, but only 7 of "
        "its 30 days have week folders (hint: the target is computed from the part that has data)"
    ]
    growth = result.dataset.targets[2]
    assert (growth.period.code, growth.value, growth.growth, growth.basis) == (
        "2026-12",
        None,
        0.1,
        "previous",
    )
    assert growth.basis_period.code == "2026-11"


def test_targets_file_is_optional(make_data) -> None:
    result = check_data(make_data({"targets.yaml": None}))
    assert result.problems == []
    assert result.dataset.targets == ()


def test_target_scopes_are_not_checked_when_team_yaml_is_broken(make_data) -> None:
    root = make_data({"team.yaml": swap(TEAM, "- {id: budi,", "- {id: budi,,")})
    assert [p[0] for p in problems(root)] == ["team.yaml"]


# -- warnings ------------------------------------------------------------------------------------


def test_person_without_rows_is_a_warning_only(make_data) -> None:
    result = check_data(
        make_data(
            {
                C: swap(CALLS_W47, "2026-11-20,citra,O4,yes,yes,300000,3,,\n", ""),
                S: "date,rep_id,outlet_id,order_value,units,channel,notes\n",
            }
        )
    )
    assert [
        (p.path[-len("weeks/2026-W47") :], p.line, p.col, p.level, p.message, p.hint) for p in result.problems
    ] == [
        (
            "weeks/2026-W47",
            None,
            None,
            "warning",
            "Citra Lestari (citra) has no rows at all in 2026-W47",
            SILENT_HINT,
        )
    ]
    assert result.errors == []
    assert result.dataset is not None


def test_no_warning_for_a_person_not_yet_working(make_data) -> None:
    # budi starts after the week: no rows are expected of him
    team = swap(TEAM, "start: 2026-11-18", "start: 2026-11-23")
    calls = swap(CALLS_W47, "2026-11-18,budi,O3,yes,yes,0,0,Stok masih ada,\n", "")
    outlets = swap(OUTLETS, "Gubeng,budi", "Gubeng,andi")
    assert problems(make_data({"team.yaml": team, C: calls, "outlets.csv": outlets})) == []


def test_no_warning_when_a_file_of_the_week_cannot_be_read(make_data) -> None:
    # the broken sales file may hold citra's rows: do not also claim she logged nothing
    calls = swap(CALLS_W47, "2026-11-20,citra,O4,yes,yes,300000,3,,\n", "")
    assert problems(make_data({C: calls, S: SALES_W47 + "x\n"})) == [
        E(S, 3, None, "expected 7 fields, found 1", FIELDS_HINT)
    ]


# -- valid variants ------------------------------------------------------------------------------


def test_bom_and_crlf(make_data) -> None:
    calls = ("\ufeff" + CALLS_W47.replace("\n", "\r\n")).encode("utf-8")
    result = check_data(make_data({C: calls, "team.yaml": ("\ufeff" + TEAM.replace("\n", "\r\n")).encode()}))
    assert result.problems == []
    assert result.dataset.calls["_line"].tolist() == [2, 3, 4, 5, 6]
    assert result.dataset.calls["no_order_reason"].tolist() == ["", "Toko tutup", "Stok masih ada", "", ""]


def test_crlf_error_keeps_line_and_column(make_data) -> None:
    calls = swap(CALLS_W47, ROW5, ROW5.replace(",no,yes,", ",nope,yes,")).replace("\n", "\r\n").encode()
    assert problems(make_data({C: calls})) == [E(C, 5, 20, "'nope' is not a yes/no value", BOOL_HINT)]


TRUE_SPELLINGS = ["yes", "y", "true", "1", "ya", "YA", "Yes", "TRUE", "Y", "Ya", " yes "]
FALSE_SPELLINGS = ["no", "n", "false", "0", "tidak", "Tidak", "NO", "FALSE", "N", "TIDAK", ""]


def test_every_boolean_spelling(make_data) -> None:
    slots = [
        (f"2026-11-{16 + d}", rep, outlet)
        for d in range(7)
        for rep in ("andi", "citra")
        for outlet in ("O1", "O2", "O3", "O4")
    ]
    rows = [
        f"{day},{rep},{outlet},{word},no,0,0,,\n"
        for word, (day, rep, outlet) in zip(TRUE_SPELLINGS, slots[:11], strict=True)
    ]
    rows += [
        f"{day},{rep},{outlet},{word},yes,0,0,,\n"
        for word, (day, rep, outlet) in zip(FALSE_SPELLINGS, slots[11:22], strict=True)
    ]
    result = check_data(make_data({C: CALL_HEADER + "\n" + "".join(rows)}))
    assert result.errors == []
    calls = result.dataset.calls
    assert calls["planned"].tolist() == [True] * 11 + [False] * 11
    assert calls["visited"].tolist() == [False] * 11 + [True] * 11


def test_empty_booleans_mean_no(make_data) -> None:
    result = check_data(make_data({A: swap(ACTIVITIES_W47, "promotion,yes,no", "promotion,yes,")}))
    # A planned activity with a blank done is "not reported yet" (SPEC section 2): one warning.
    assert [(p.level, p.line, p.message) for p in result.problems] == [
        ("warning", 3, "1 planned activity has no outcome yet")
    ]
    assert result.dataset.activities["done"].tolist() == [True, False, True]
    assert result.dataset.activities["reported"].tolist() == [True, False, True]


def test_header_only_sales(make_data) -> None:
    result = check_data(make_data({S: "date,rep_id,outlet_id,order_value,units,channel,notes\n"}))
    assert result.problems == []
    assert len(result.dataset.sales) == 0
    assert list(result.dataset.sales.columns[:3]) == ["date", "week", "rep_id"]


def test_header_only_activities_and_prospects(make_data) -> None:
    # without them dewi (marketing) logged nothing: a warning, not an error
    root = make_data(
        {
            A: "date,person_id,type,planned,done,outlet_id,prospect_id,outcome,notes\n",
            P: "date,prospect_id,name,owner_id,source,stage,expected_value,outlet_id,notes",
        }
    )
    assert problems(root) == [W("weeks/2026-W47", "Dewi Anggraini (dewi) has no rows at all in 2026-W47")]
    ds = check_data(root).dataset
    assert (len(ds.activities), len(ds.prospects)) == (0, 0)


def test_absent_optional_files(make_data) -> None:
    root = make_data({S: None, A: None, P: None})
    assert problems(root) == [W("weeks/2026-W47", "Dewi Anggraini (dewi) has no rows at all in 2026-W47")]
    ds = check_data(root).dataset
    assert (len(ds.sales), len(ds.activities), len(ds.prospects)) == (0, 0, 0)
    assert "order_value" in ds.sales and "done" in ds.activities and "stage" in ds.prospects


def test_absent_optional_columns(make_data) -> None:
    result = check_data(
        make_data(
            {
                C: "\n".join(",".join(line.split(",")[:7]) for line in CALLS_W47.splitlines()) + "\n",
                S: "date,rep_id,outlet_id,order_value,units\n2026-11-17,citra,O4,100000,1\n",
                A: "date,person_id,type,planned,done\n2026-11-17,dewi,demo,yes,yes\n",
                P: "date,prospect_id,name,owner_id,stage\n2026-11-16,P1,Toko Baru,dewi,new\n",
            }
        )
    )
    assert result.problems == []
    ds = result.dataset
    assert ds.calls["notes"].tolist() == [""] * 5
    assert ds.calls["no_order_reason"].tolist() == [""] * 5
    assert ds.sales["channel"].tolist() == [""]
    assert ds.activities["prospect_id"].tolist() == [""]
    assert math.isnan(ds.prospects["expected_value"].iloc[0])


def test_columns_in_another_order(make_data) -> None:
    calls = (
        "notes,units,order_value,visited,planned,outlet_id,rep_id,date,no_order_reason\n"
        ",5,500000,yes,yes,O1,andi,2026-11-16,\n"
        ",0,0,no,yes,O2,andi,2026-11-16,Toko tutup\n"
        ",0,0,yes,yes,O3,budi,2026-11-18,Stok masih ada\n"
        ",2,250000,yes,no,O2,andi,2026-11-19,\n"
        ",3,nope,yes,yes,O4,citra,2026-11-20,\n"
    )
    # the error's column follows the file's own order: 'nope' is character 4 of ',3,nope,...'
    assert problems(make_data({C: calls})) == [
        E(C, 6, 4, "order_value 'nope' is not a plain number", NUMBER_HINT)
    ]
    result = check_data(make_data({C: calls.replace("nope", "300000")}))
    assert result.problems == []
    calls_frame = result.dataset.calls
    assert calls_frame["order_value"].tolist() == [500000.0, 0.0, 0.0, 250000.0, 300000.0]
    assert calls_frame["planned"].tolist() == [True, True, True, False, True]
    assert calls_frame["rep_id"].tolist() == ["andi", "andi", "budi", "andi", "citra"]


def test_quoted_fields_with_commas_and_a_newline(make_data) -> None:
    calls = swap(CALLS_W47, "Toko tutup,", '"Toko tutup, pemilik sakit\nbuka lagi Senin",')
    calls = swap(
        calls,
        "2026-11-20,citra,O4,yes,yes,300000,3,,",
        '2026-11-20,citra,O4,yes,yes,300000,3,,"ok, ""besar"""',
    )
    result = check_data(make_data({C: calls}))
    assert result.problems == []
    frame = result.dataset.calls
    assert frame["_line"].tolist() == [2, 3, 5, 6, 7]  # the note of line 3 continues on line 4
    assert frame["no_order_reason"].tolist()[1] == "Toko tutup, pemilik sakit\nbuka lagi Senin"
    assert frame["notes"].tolist()[4] == 'ok, "besar"'


def test_line_numbers_after_a_multiline_field_in_errors(make_data) -> None:
    calls = swap(CALLS_W47, "Toko tutup,", '"Toko tutup, sakit\nlagi",')
    calls = swap(calls, ROW5, ROW5.replace("andi", "ani"))
    assert problems(make_data({C: calls})) == [E(C, 6, 12, "unknown person 'ani'", PERSON_HINT)]


@pytest.mark.parametrize(
    "blank",
    ["\n", "\n\n", "   \n", "\t\n", ",,,,,,,,\n"],
    ids=["empty", "two-empty", "spaces", "tab", "bare-commas"],
)
def test_blank_lines_in_the_middle(make_data, blank) -> None:
    calls = swap(CALLS_W47, "2026-11-18,budi", blank + "2026-11-18,budi")
    extra = blank.count("\n")
    result = check_data(make_data({C: calls.encode()}))  # bytes: keep the spaces as written
    assert result.problems == []
    assert result.dataset.calls["_line"].tolist() == [2, 3, 4 + extra, 5 + extra, 6 + extra]
    bad = swap(calls, ROW5, ROW5.replace("andi", "anddi"))
    assert problems(make_data({C: bad.encode()})) == [
        E(C, 5 + extra, 12, "unknown person 'anddi'", PERSON_HINT)
    ]


def test_blank_lines_in_a_quoted_file(make_data) -> None:
    calls = swap(CALLS_W47, "Toko tutup,", '"Toko tutup",')
    calls = swap(calls, "2026-11-18,budi", "\n   \n2026-11-18,budi")
    result = check_data(make_data({C: calls.encode()}))
    assert result.problems == []
    assert result.dataset.calls["_line"].tolist() == [2, 3, 6, 7, 8]


def test_trailing_blank_lines_and_no_final_newline(make_data) -> None:
    assert problems(make_data({C: CALLS_W47 + "\n\n"})) == []
    assert problems(make_data({C: CALLS_W47.rstrip("\n")})) == []


def test_spaces_around_values_are_ignored(make_data) -> None:
    calls = swap(CALLS_W47, ROW5, " 2026-11-19 , andi ,O2, no , yes ,250000 ,2,,")
    result = check_data(make_data({C: calls.encode()}))
    assert result.problems == []
    assert result.dataset.calls["rep_id"].tolist()[3] == "andi"
    assert result.dataset.calls["order_value"].tolist()[3] == 250000.0


def test_spaces_inside_quotes_and_non_breaking_spaces_are_ignored(make_data) -> None:
    calls = swap(CALLS_W47, ROW5, '2026-11-19,andi,"O2 ",no,yes\xa0,250000,2,," "')
    result = check_data(make_data({C: calls}))
    assert result.problems == []
    assert result.dataset.calls["outlet_id"].tolist()[3] == "O2"
    assert result.dataset.calls["visited"].tolist()[3] is True
    assert result.dataset.calls["notes"].tolist()[3] == ""
    # and in a file without any quote, read by the fast path
    plain = check_data(make_data({C: swap(CALLS_W47, ROW5, "2026-11-19,andi,O2\xa0,no,yes\xa0,250000,2,,")}))
    assert plain.problems == []
    assert plain.dataset.calls["outlet_id"].tolist()[3] == "O2"


def test_plain_numbers(make_data) -> None:
    calls = swap(CALLS_W47, ROW5, "2026-11-19,andi,O2,no,yes,1250000.50,2.5,,")
    result = check_data(make_data({C: calls}))
    assert result.problems == []
    assert result.dataset.calls["order_value"].tolist()[3] == 1250000.5
    assert result.dataset.calls["units"].tolist()[3] == 2.5


def test_empty_order_value_is_zero(make_data) -> None:
    calls = swap(CALLS_W47, "2026-11-16,andi,O2,yes,no,0,0,", "2026-11-16,andi,O2,yes,no,,,")
    result = check_data(make_data({C: calls}))
    assert result.problems == []
    assert result.dataset.calls["order_value"].tolist()[1] == 0.0
    assert result.dataset.calls["units"].tolist()[1] == 0.0


def test_data_directory_not_found(tmp_path: Path) -> None:
    result = check_data(tmp_path / "nowhere")
    assert [(p.line, p.col, p.level, p.message, p.hint) for p in result.problems] == [
        (
            None,
            None,
            "error",
            "data directory not found",
            "pass --data DIR, or create one with `reports-gen init`",
        )
    ]
    assert result.dataset is None


def test_stray_file_in_data_directory_is_a_warning(make_data) -> None:
    data = make_data({"outlet.csv": "outlet_id\n"})
    result = check_data(data)
    assert [(p.path, p.level, p.message) for p in result.problems] == [
        (str(data / "outlet.csv"), "warning", "'outlet.csv' is not read by reports-gen")
    ]
    assert result.dataset is not None


def test_ids_differing_only_in_case_are_an_error(make_data) -> None:
    team = TEAM + "  - {id: Andi, name: Andi Kedua, role: sales, team: east}\n"
    result = check_data(make_data({"team.yaml": team}))
    assert [(p.line, p.message) for p in result.errors] == [
        (9, "id 'Andi' differs from 'andi' only in upper/lower case")
    ]  # the 9th line of team.yaml


@pytest.mark.parametrize("day", ["mond", "mo", "weekday"])
def test_working_days_need_real_day_names(make_data, day) -> None:
    config = CONFIG.replace("working_days: [mon, tue, wed, thu, fri]", f"working_days: [{day}, tue]")
    result = check_data(make_data({"config.yaml": config}))
    assert [p.message for p in result.errors] == [f"unknown weekday {day!r}"]


def test_full_day_names_are_accepted(make_data) -> None:
    config = CONFIG.replace("working_days: [mon, tue, wed, thu, fri]", "working_days: [Monday, tuesday, sat]")
    result = check_data(make_data({"config.yaml": config}))
    assert result.errors == []
    assert result.dataset.config.calendar.weekdays == frozenset({0, 1, 5})
