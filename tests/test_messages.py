"""The i18n files and the Problem codes: both languages complete, every code worded, words filled in right."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
import yaml

import reports_gen.i18n as i18n
from reports_gen.errors import Choices, ConfigError, Message, MessageError, Place, Problem, Term, render
from reports_gen.i18n import Translator

I18N = Path(i18n.__file__).parent
SOURCE = Path(i18n.__file__).parent.parent
CODE_RE = re.compile(r"^[a-z]+(?:\.[a-z0-9-]+)+$")
# The calls that take a message code (a Problem, a YamlDoc problem, a table check, a coded error).
CODE_TAKERS = {
    "error",
    "warning",
    "make",
    "problem",
    "key_problem",
    "flag",
    "known",
    "choice",
    "of",
    "report",
    "count_per_file",
}
# Values an Indonesian message leaves out on purpose: PyYAML's reason is English text.
LEFT_OUT = {"problem.yaml.bad-character": {"reason"}}


def _load(path: Path) -> dict[str, str]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@pytest.mark.parametrize("english", sorted(I18N.glob("*.en.yaml")), ids=lambda p: p.name)
def test_every_i18n_file_has_the_same_keys_in_both_languages(english: Path) -> None:
    indonesian = english.with_name(english.name.replace(".en.", ".id."))
    assert indonesian.exists()
    assert set(_load(english)) == set(_load(indonesian))


def test_there_are_i18n_files_of_every_area() -> None:
    areas = {p.name.split(".")[0] for p in I18N.glob("*.yaml")}
    assert {"site", "alerts", "charts", "diff", "messages"} <= areas
    assert len(list(I18N.glob("*.id.yaml"))) == len(list(I18N.glob("*.en.yaml")))


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_messages_fill_in_the_same_values_in_both_languages() -> None:
    english, indonesian = _load(I18N / "messages.en.yaml"), _load(I18N / "messages.id.yaml")
    differing = {
        k: (english[k], indonesian[k])
        for k in english
        if _fields(english[k]) - LEFT_OUT.get(k, set()) != _fields(indonesian[k])
    }
    assert differing == {}


def _codes_in_source() -> set[str]:
    """Every message code written where a Problem or a coded error is made (read from the syntax tree)."""
    codes: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            coded = name in CODE_TAKERS | {"MessageError", "Message", "_unreadable", "_mapping"}
            # Parsed(error=...) and Number(error=...) of workflow/cells.py carry a code too.
            arguments = (
                [k.value for k in node.keywords if k.arg == "error"] if name in ("Parsed", "Number") else []
            )
            if coded:
                arguments = [*node.args, *(k.value for k in node.keywords)]
            for argument in arguments:
                for constant in ast.walk(argument):
                    text = constant.value if isinstance(constant, ast.Constant) else None
                    if isinstance(text, str) and CODE_RE.match(text):
                        codes.add(text)
    return codes


def test_every_problem_code_in_the_code_has_a_message_in_both_languages() -> None:
    codes = _codes_in_source()
    assert len(codes) > 120  # the scan finds the codes: it cannot pass by finding none
    assert {"calls.order-without-visit", "week.calls-missing", "import.ambiguous-number"} <= codes
    for language in ("en", "id"):
        messages = _load(I18N / f"messages.{language}.yaml")
        missing = sorted(c for c in codes if f"problem.{c}" not in messages)
        # Label prefixes (stage., chart.activity., ...) look like codes but name other files' keys.
        assert [c for c in missing if not c.startswith(("chart.", "stage.", "outlet_type."))] == []


def test_every_message_is_used() -> None:
    messages = _load(I18N / "messages.en.yaml")
    codes = {
        k.removeprefix("problem.") for k in messages if k.startswith("problem.") and not k.endswith(".hint")
    }
    # Words and places are looked up by the Problem itself (problem.word.<what>, problem.place.line),
    # and so is the singular form of a message about a count (problem.<code>.one) when its code is used.
    used_inside = {c for c in codes if c.startswith(("word.", "place.")) or c == "in-column"}
    in_source = _codes_in_source()
    singulars = {c for c in codes if c.endswith(".one") and c.removesuffix(".one") in in_source}
    assert singulars == {"calls.no-outcome-yet.one", "activities.no-outcome-yet.one"}
    used_inside |= singulars
    # fileio.WriteError names its message and the usual causes of a failed write in its own code.
    in_tables = {c for c in codes - in_source if f'"{c}"' in (SOURCE / "fileio.py").read_text()}
    assert sorted(codes - used_inside - in_tables - in_source) == []
    assert len(in_tables) == 5


def test_every_hint_belongs_to_a_message() -> None:
    messages = _load(I18N / "messages.en.yaml")
    orphans = [k for k in messages if k.endswith(".hint") and k.removesuffix(".hint") not in messages]
    assert orphans == []


def test_a_count_of_one_takes_the_singular_form() -> None:
    one = Problem.warning("calls.csv", "calls.no-outcome-yet", 7, 24, count=1)
    two = one.with_values(count=2)
    assert (one.message, two.message) == (
        "1 planned visit has no outcome yet",
        "2 planned visits have no outcome yet",
    )
    # Indonesian does not inflect the noun: one sentence for every count.
    assert one.text(Translator("id")) == "1 kunjungan terencana belum ada hasilnya"
    assert two.text(Translator("id")) == "2 kunjungan terencana belum ada hasilnya"
    assert one.hint == two.hint  # the hint has no count


def test_problem_renders_in_each_language_with_the_same_code() -> None:
    problem = Problem.error("data/weeks/2026-W47/calls.csv", "calls.order-without-visit", 3, 24)
    assert problem.code == "calls.order-without-visit"
    assert problem.format_text(Path("/nowhere")) == (
        "data/weeks/2026-W47/calls.csv:3:24: error: order on a call that was not visited "
        "(hint: set visited to yes, or record the order in sales.csv)"
    )
    assert problem.format_text(Path("/nowhere"), Translator("id")) == (
        "data/weeks/2026-W47/calls.csv:3:24: error: ada order pada kunjungan yang tidak dilakukan "
        "(hint: isi visited dengan ya, atau catat order itu di sales.csv)"
    )
    assert problem.as_dict(Path("/nowhere"), Translator("id"))["code"] == "calls.order-without-visit"


def test_a_place_is_a_line_of_the_same_file_or_a_path_and_line() -> None:
    same = Problem.error("a.yaml", "id.duplicate", 5, None, id="andi", section="people", first=Place(2))
    assert same.hint == "first defined on line 2"
    assert same.hint_text(Translator("id")) == "pertama ditulis di baris 2"
    other = same.with_values(first=Place(7, "weeks/2026-W47/calls.csv"))
    assert other.hint_text(Translator("id")) == "pertama ditulis di weeks/2026-W47/calls.csv:7"
    assert other.values["id"] == "andi"  # the other values are kept


def test_a_term_shows_the_label_lower_case_mid_sentence() -> None:
    tr = Translator("id")
    assert render("x", {}, tr) == "x"  # no template anywhere: the code itself, never an empty line
    assert Term("chart.activity.social_media", "social_media").render(tr) == "Media sosial"
    assert f"{Term('chart.activity.social_media', 'social_media').render(tr):lower}" == "media sosial"
    assert f"{Term('unknown.key', 'pameran').render(tr):lower}" == "pameran"  # a type of the team's own


def test_choices_list_codes_or_codes_with_labels() -> None:
    text = Choices(("demo", "promotion", "wa_blast"), "chart.activity.").render(Translator("id"))
    assert f"{text}" == "demo, promotion, wa_blast"
    # demo's label is "Demo produk", promotion's "Promosi" (lowercased mid-sentence); wa_blast has no label.
    assert f"{text:labelled}" == "demo (demo produk), promotion (promosi), wa_blast"


def test_a_message_inside_a_message_is_worded_in_the_same_language() -> None:
    with pytest.raises(MessageError) as caught:
        from reports_gen.workcalendar import parse_period

        parse_period("2026-13")
    assert str(caught.value) == "invalid period '2026-13': month must be 01..12"
    problem = Problem.error("targets.yaml", "targets.invalid-period", 2, 14, reason=caught.value.message)
    assert problem.text(Translator("id")) == "periode '2026-13' tidak valid karena bulan harus 01 sampai 12"
    assert (
        problem.hint_text(Translator("id")) == "tulis seperti 2026, 2026-H2, 2026-Q4, 2026-11, atau 2026-W48"
    )
    assert isinstance(caught.value.message, Message)


def test_a_missing_translation_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    real = i18n._strings

    def without_indonesian_message(language: str) -> dict[str, str]:
        strings = dict(real(language))
        if language == "id":
            strings.pop("problem.calls.order-without-visit")
        return strings

    monkeypatch.setattr(i18n, "_strings", without_indonesian_message)
    problem = Problem.error("calls.csv", "calls.order-without-visit", 3, 24)
    assert problem.text(Translator("id")) == "order on a call that was not visited"
    assert problem.hint_text(Translator("id")) == "isi visited dengan ya, atau catat order itu di sales.csv"


def test_a_coded_error_is_english_as_text_and_worded_on_demand() -> None:
    error = ConfigError.of("init.not-a-directory", target="tim")
    assert str(error) == "tim is a file, not a directory"
    assert error.text(Translator("id")) == "tim adalah file, bukan folder"
    assert ConfigError("plain").text(Translator("id")) == "plain"  # an uncoded error shows as raised


def test_indonesian_messages_use_the_glossary_words() -> None:
    # Issue 15: "file", not "berkas"; a data-check warning is a "catatan pemeriksaan", never "peringatan"
    # (that word is for sales alerts); yes/no are ya/tidak.
    words = " ".join(_load(I18N / "messages.id.yaml").values()).lower()
    assert "berkas" not in words
    assert "peringatan" not in words
    assert _load(I18N / "messages.id.yaml")["data.yes"] == "ya"
    assert _load(I18N / "messages.id.yaml")["data.no"] == "tidak"


def test_a_failed_write_names_its_cause_in_the_language() -> None:
    import errno

    from reports_gen.fileio import WriteError

    error = WriteError("site/index.html", OSError(errno.ENOSPC, "No space left on device"))
    assert str(error) == "site/index.html: error: could not write: the disk is full"
    assert error.text(Translator("id")) == "site/index.html: error: file tidak bisa ditulis karena disk penuh"
    unusual = WriteError("x.csv", OSError(errno.EIO, "Input/output error"))
    assert unusual.text(Translator("id")) == "x.csv: error: file tidak bisa ditulis karena Input/output error"


def test_line_and_column_are_positional_so_they_are_never_taken_for_message_values() -> None:
    with pytest.raises(TypeError):
        Problem.error("calls.csv", "calls.order-without-visit", line=3)
    more = Problem.warning("calls.csv", "rows.more", 12, None, count=4)
    assert (more.line, more.message) == (12, "... and 4 more rows like this")
