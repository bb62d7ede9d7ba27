"""Property-based tests: no input makes `check_data` raise, and valid calls are read exactly.

Every example gets a fresh data directory from `tempfile` (function-scoped fixtures such as
tmp_path are not reset between hypothesis examples).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from fixtures import BASE_FILES, CALLS_W47, write_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports_gen.dataset.dataset import CheckResult, check_data
from reports_gen.errors import Problem

KINDS = {
    "config.yaml": "config.yaml",
    "team.yaml": "team.yaml",
    "targets.yaml": "targets.yaml",
    "outlets.csv": "outlets.csv",
    "calls.csv": "weeks/2026-W47/calls.csv",
    "sales.csv": "weeks/2026-W47/sales.csv",
    "activities.csv": "weeks/2026-W47/activities.csv",
    "prospects.csv": "weeks/2026-W47/prospects.csv",
}
FUZZ = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that mean something to CSV or YAML, a few troublemakers (NUL, BOM, CR, control and
# line-separator characters, non-ASCII digits), and plain letters.
SPECIAL = list(",;\"'\n\r\t :-{}[]#&*!|>%@`?.+") + [
    "\x00",
    "\ufeff",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x85",
    "\u2028",
    "\u0662",
    "é",
    "Rp",
]
WORDS = [
    "yes",
    "no",
    "ya",
    "tidak",
    "2026-11-16",
    "2026-11-19",
    "2026-02-30",
    "andi",
    "budi",
    "dewi",
    "O1",
    "O9",
    "P1",
    "-1",
    "0",
    "1e9",
    "1.5",
    "nan",
    "inf",
    "9" * 30,
    "person:andi",
    "team:east",
    "2026-W47",
    "2026-Q4",
    "growth: 10%",
    "value:",
    "id:",
    "people:",
    "teams:",
    "&a",
    "*a",
    "!!int",
    "!!timestamp",
    "? ",
    "- ",
    "<<: *a",
    "---",
]

any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
csv_yaml_text = st.lists(st.sampled_from(SPECIAL + WORDS) | st.text(max_size=3), max_size=80).map("".join)


@st.composite
def spliced(draw: st.DrawFn, base: str) -> str:
    """Return the valid base file with one random stretch replaced by random text."""
    start = draw(st.integers(0, len(base)))
    end = draw(st.integers(start, min(len(base), start + 40)))
    return base[:start] + draw(csv_yaml_text | any_text) + base[end:]


@contextmanager
def data_with(name: str, content: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield write_data(Path(tmp) / "data", {name: content})


def assert_well_formed(result: CheckResult) -> None:
    """A CheckResult whose problems can all be printed, and a dataset exactly when no error."""
    assert isinstance(result, CheckResult)
    for problem in result.problems:
        assert isinstance(problem, Problem)
        assert problem.level in ("error", "warning")
        assert problem.line is None or problem.line >= 1
        assert problem.col is None or (problem.col >= 1 and problem.line is not None)
        assert problem.message
        problem.format_text()
        problem.format_github()
        json.dumps(problem.as_dict())
    assert (result.dataset is None) == bool(result.errors)


@pytest.mark.parametrize("kind", KINDS)
@FUZZ
@given(content=st.binary(max_size=600))
def test_arbitrary_bytes_never_raise(kind: str, content: bytes) -> None:
    with data_with(KINDS[kind], content) as root:
        assert_well_formed(check_data(root))


@pytest.mark.parametrize("kind", KINDS)
@settings(FUZZ, max_examples=40)
@given(data=st.data())
def test_arbitrary_text_never_raises(kind: str, data: st.DataObject) -> None:
    name = KINDS[kind]
    text = data.draw(any_text | csv_yaml_text | spliced(BASE_FILES[name]), label="text")
    with data_with(name, text.encode("utf-8")) as root:
        assert_well_formed(check_data(root))


# -- valid calls.csv files -----------------------------------------------------------------------

# (rep, day of November 2026, outlet) that are valid in week 2026-W47: budi starts on the 18th.
SLOTS = [
    (rep, day, outlet)
    for rep, first in (("andi", 16), ("budi", 18), ("citra", 16))
    for day in range(first, 23)
    for outlet in ("O1", "O2", "O3", "O4")
]
TRUE_WORDS = ["yes", "y", "true", "1", "ya"]
FALSE_WORDS = ["no", "n", "false", "0", "tidak", ""]
COLUMNS = [
    "date",
    "rep_id",
    "outlet_id",
    "planned",
    "visited",
    "order_value",
    "units",
    "no_order_reason",
    "notes",
]


def spelling(words: list[str]) -> st.SearchStrategy[str]:
    """A boolean word in any letter case."""
    return st.sampled_from(words).flatmap(
        lambda w: st.lists(st.booleans(), min_size=len(w), max_size=len(w)).map(
            lambda upper: "".join(c.upper() if u else c for c, u in zip(w, upper, strict=True))
        )
    )


amount = st.one_of(
    st.integers(0, 10**12).map(str),
    st.decimals(0, 10**9, places=2, allow_nan=False, allow_infinity=False).map(str),
    st.just(""),
)
note = st.text(st.sampled_from(list("abc XYZ,\"'\n;:-09é")), max_size=20)


@st.composite
def call_row(draw: st.DrawFn, slot: tuple[str, int, str]) -> dict[str, str]:
    rep, day, outlet = slot
    planned, visited = draw(st.sampled_from([(True, True), (True, False), (False, True)]))
    row = {
        "date": f"2026-11-{day}",
        "rep_id": rep,
        "outlet_id": outlet,
        "planned": draw(spelling(TRUE_WORDS if planned else FALSE_WORDS)),
        "visited": draw(spelling(TRUE_WORDS if visited else FALSE_WORDS)),
        # an order only on a visit
        "order_value": draw(amount) if visited else draw(st.sampled_from(["0", "", "0.00"])),
        "units": draw(amount) if visited else "0",
        "no_order_reason": draw(note),
        "notes": draw(note),
    }
    return row


@st.composite
def calls_file(draw: st.DrawFn) -> tuple[str, list[dict[str, str]]]:
    slots = draw(st.lists(st.sampled_from(SLOTS), unique=True, max_size=30))
    rows = [draw(call_row(slot)) for slot in slots]
    columns = draw(st.permutations(COLUMNS))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(columns)
    writer.writerows([[row[c] for c in columns] for row in rows])
    return out.getvalue(), rows


@settings(max_examples=60, deadline=None)
@given(generated=calls_file())
def test_valid_calls_are_read_exactly(generated: tuple[str, list[dict[str, str]]]) -> None:
    text, rows = generated
    with data_with(KINDS["calls.csv"], text.encode("utf-8")) as root:
        result = check_data(root)
    assert result.errors == []
    calls = result.dataset.calls
    assert len(calls) == len(rows)
    expected_sum = sum(Decimal(row["order_value"] or "0") for row in rows)
    assert calls["order_value"].sum() == pytest.approx(float(expected_sum), rel=1e-12)
    assert calls["planned"].tolist() == [row["planned"].lower() in TRUE_WORDS for row in rows]
    assert calls["visited"].tolist() == [row["visited"].lower() in TRUE_WORDS for row in rows]
    assert calls["rep_id"].tolist() == [row["rep_id"] for row in rows]
    assert calls["notes"].tolist() == [row["notes"].strip() for row in rows]
    lines = calls["_line"].tolist()
    assert lines == sorted(set(lines)) and (not lines or lines[0] == 2)


@settings(max_examples=40, deadline=None)
@given(
    extra=st.lists(st.sampled_from(["\n", "   \n", "\t\n", ",,,,,,,,\n"]), max_size=3),
    position=st.integers(1, 5),
)
def test_blank_lines_never_change_the_data(extra: list[str], position: int) -> None:
    lines = CALLS_W47.splitlines(keepends=True)
    text = "".join(lines[:position] + extra + lines[position:])
    with data_with(KINDS["calls.csv"], text.encode("utf-8")) as root:
        result = check_data(root)
    assert result.problems == []
    calls = result.dataset.calls
    assert calls["order_value"].tolist() == [500000.0, 0.0, 0.0, 250000.0, 300000.0]
    shift = len(extra)  # every blank line after row `position` pushes the later rows down by one
    assert calls["_line"].tolist() == [line + (shift if line > position else 0) for line in [2, 3, 4, 5, 6]]
