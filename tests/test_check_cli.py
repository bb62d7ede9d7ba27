"""`reports-gen check` through click's CliRunner: exit codes and the exact lines printed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures import CALLS_W47, CONFIG, SALES_W47, TEAM, write_data

from reports_gen.cli import cli

BAD_DATE = {"weeks/2026-W47/calls.csv": CALLS_W47.replace("2026-11-19,andi", "19/11/2026,andi")}
BAD_DATE_LINE = (
    "data/weeks/2026-W47/calls.csv:5:1: error: '19/11/2026' is not an ISO date "
    "(hint: write dates as YYYY-MM-DD, e.g. 2026-11-23; "
    "`reports-gen import` converts other formats)"
)
# citra's only call and sale removed: she logged nothing in the week, which is a warning
SILENT_CITRA = {
    "weeks/2026-W47/calls.csv": CALLS_W47.replace("2026-11-20,citra,O4,yes,yes,300000,3,,\n", ""),
    "weeks/2026-W47/sales.csv": SALES_W47.splitlines()[0] + "\n",
}
SILENT_LINE = (
    "data/weeks/2026-W47: warning: Citra Lestari (citra) has no rows at all in 2026-W47 "
    "(hint: was the week's data of this person forgotten?)"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in tmp_path, where `data/` is the data directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_valid_data(runner, in_tmp) -> None:
    write_data(in_tmp / "data", {})
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "✓ data is valid: 1 week, 4 people, 4 outlets, 5 calls (0 errors, 0 warnings)\n"


def test_broken_file(runner, in_tmp) -> None:
    write_data(in_tmp / "data", BAD_DATE)
    result = runner.invoke(cli, ["check", "--data", "data"])
    assert result.exit_code == 1
    assert result.stdout == BAD_DATE_LINE + "\n"
    assert result.stderr == "✗ data: 1 error, 0 warnings\n"


def test_problems_are_sorted_by_file_and_line(runner, in_tmp) -> None:
    write_data(
        in_tmp / "data",
        {
            "weeks/2026-W47/calls.csv": CALLS_W47.replace("2026-11-19,andi", "19/11/2026,andi").replace(
                "2026-11-16,andi,O2", "2026-11-16,andi,O9"
            ),
            "config.yaml": CONFIG.replace("language: en", "language: fr"),
        },
    )
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "data/config.yaml:2:11: error: language must be 'id' or 'en', not 'fr'",
        "data/weeks/2026-W47/calls.csv:3:17: error: unknown outlet 'O9' (hint: add it to outlets.csv)",
        BAD_DATE_LINE,
    ]
    assert result.stderr == "✗ data: 3 errors, 0 warnings\n"


def test_absolute_data_path_is_shown_relative_to_the_working_directory(runner, in_tmp) -> None:
    root = write_data(in_tmp / "data", BAD_DATE)
    result = runner.invoke(cli, ["--data", str(root), "check"])
    assert result.exit_code == 1
    assert result.stdout == BAD_DATE_LINE + "\n"


def test_path_outside_the_working_directory_stays_absolute(runner, tmp_path, monkeypatch) -> None:
    root = write_data(tmp_path / "data", BAD_DATE)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    result = runner.invoke(cli, ["check", "--data", str(root)])
    assert result.exit_code == 1
    assert result.stdout == BAD_DATE_LINE.replace("data/", f"{root.as_posix()}/", 1) + "\n"


def test_nested_data_dir(runner, in_tmp) -> None:
    # (click 8.5 deprecates runner.isolated_filesystem: the working directory is set with monkeypatch)
    write_data(Path("repo/data"), BAD_DATE)
    result = runner.invoke(cli, ["check", "--data", "repo/data"])
    assert result.exit_code == 1
    assert result.stdout == "repo/" + BAD_DATE_LINE + "\n"
    assert result.stderr == "✗ repo/data: 1 error, 0 warnings\n"


def test_warning_passes_without_strict(runner, in_tmp) -> None:
    write_data(in_tmp / "data", SILENT_CITRA)
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0
    assert result.stdout == SILENT_LINE + "\n"
    assert result.stderr == "✓ data is valid: 1 week, 4 people, 4 outlets, 4 calls (0 errors, 1 warning)\n"


def test_strict_turns_a_warning_into_a_failure(runner, in_tmp) -> None:
    write_data(in_tmp / "data", SILENT_CITRA)
    result = runner.invoke(cli, ["check", "--strict"])
    assert result.exit_code == 1
    assert result.stdout == SILENT_LINE + "\n"
    assert result.stderr == "✗ data: 0 errors, 1 warning\n"


def test_strict_on_valid_data(runner, in_tmp) -> None:
    write_data(in_tmp / "data", {})
    assert runner.invoke(cli, ["check", "--strict"]).exit_code == 0


def test_github_format(runner, in_tmp) -> None:
    write_data(in_tmp / "data", BAD_DATE)
    result = runner.invoke(cli, ["check", "--format", "github"])
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=data/weeks/2026-W47/calls.csv,line=5,col=1::'19/11/2026' is not an ISO date "
        "(hint: write dates as YYYY-MM-DD, e.g. 2026-11-23; `reports-gen import` converts other formats)\n"
    )
    assert result.stderr == ""


def test_github_format_escapes_percent_and_omits_missing_positions(runner, in_tmp) -> None:
    config = CONFIG.replace("ec_ratio: 0.6", "ec_ratio: 60")
    write_data(in_tmp / "data", {**SILENT_CITRA, "config.yaml": config})
    result = runner.invoke(cli, ["check", "--format", "github"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=data/config.yaml,line=6,col=13::threshold ec_ratio must be a number from 0 to 1, "
        "not 60 (hint: write 0.9 for 90 %25)",
        "::warning file=data/weeks/2026-W47::Citra Lestari (citra) has no rows at all in 2026-W47 "
        "(hint: was the week's data of this person forgotten?)",
    ]


def test_github_format_line_without_column(runner, in_tmp) -> None:
    write_data(in_tmp / "data", {"weeks/2026-W47/calls.csv": CALLS_W47 + "2026-11-17,andi,O1,yes\n"})
    result = runner.invoke(cli, ["check", "--format", "github"])
    assert result.stdout == (
        "::error file=data/weeks/2026-W47/calls.csv,line=7::expected 9 fields, found 4 "
        "(hint: a missing or extra comma? text with commas needs double quotes)\n"
    )


def test_json_format(runner, in_tmp) -> None:
    write_data(
        in_tmp / "data",
        {
            **BAD_DATE,
            **SILENT_CITRA,
            "weeks/2026-W47/calls.csv": SILENT_CITRA["weeks/2026-W47/calls.csv"].replace(
                "2026-11-19,andi", "19/11/2026,andi"
            ),
        },
    )
    result = runner.invoke(cli, ["check", "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "path": "data/weeks/2026-W47",
            "line": None,
            "column": None,
            "level": "warning",
            "code": "week.person-without-rows",
            "message": "Citra Lestari (citra) has no rows at all in 2026-W47",
            "hint": "was the week's data of this person forgotten?",
        },
        {
            "path": "data/weeks/2026-W47/calls.csv",
            "line": 5,
            "column": 1,
            "level": "error",
            "code": "date.not-iso",
            "message": "'19/11/2026' is not an ISO date",
            "hint": "write dates as YYYY-MM-DD, e.g. 2026-11-23; `reports-gen import` converts other formats",
        },
    ]
    assert result.stderr == ""


def test_json_format_without_hint_and_non_ascii(runner, in_tmp) -> None:
    write_data(in_tmp / "data", {"team.yaml": TEAM.replace("role: marketing", "role: pemasaran")})
    result = runner.invoke(cli, ["check", "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "path": "data/team.yaml",
            "line": 8,
            "column": 44,
            "level": "error",
            "code": "team.role",
            "message": "role must be 'sales' or 'marketing', not 'pemasaran'",
            "hint": None,
        },
    ]


def test_json_format_of_valid_data_is_an_empty_list(runner, in_tmp) -> None:
    write_data(in_tmp / "data", {})
    result = runner.invoke(cli, ["check", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize(
    "args",
    [["--data", "mydata", "check"], ["check", "--data", "mydata"]],
    ids=["before-subcommand", "after-subcommand"],
)
def test_data_option_before_and_after_the_subcommand(runner, in_tmp, args) -> None:
    write_data(in_tmp / "mydata", BAD_DATE)
    write_data(in_tmp / "data", {})  # the default, which must not be used
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.stdout == "my" + BAD_DATE_LINE + "\n"
    assert result.stderr == "✗ mydata: 1 error, 0 warnings\n"


def test_data_option_after_the_subcommand_wins(runner, in_tmp) -> None:
    write_data(in_tmp / "good", {})
    write_data(in_tmp / "bad", BAD_DATE)
    result = runner.invoke(cli, ["--data", "good", "check", "--data", "bad"])
    assert result.exit_code == 1
    assert result.stderr == "✗ bad: 1 error, 0 warnings\n"


def test_missing_data_directory(runner, in_tmp) -> None:
    result = runner.invoke(cli, ["check", "--data", "nowhere"])
    assert result.exit_code == 1
    assert result.stdout == (
        "nowhere: error: data directory not found "
        "(hint: pass --data DIR, or create one with `reports-gen init`)\n"
    )
    assert result.stderr == "✗ nowhere: 1 error, 0 warnings\n"


def test_default_data_directory_missing(runner, in_tmp) -> None:
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    assert result.stdout.startswith("data: error: data directory not found")


def test_unknown_option_is_a_usage_error(runner, in_tmp) -> None:
    result = runner.invoke(cli, ["check", "--bogus"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "Usage: cli check [OPTIONS]"
    assert "No such option" in result.stderr and "--bogus" in result.stderr  # click's wording varies
    assert result.stdout == ""


def test_unknown_format_is_a_usage_error(runner, in_tmp) -> None:
    result = runner.invoke(cli, ["check", "--format", "xml"])
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


def test_data_option_naming_a_file_is_a_usage_error(runner, in_tmp) -> None:
    (in_tmp / "data.csv").write_text("x\n")
    result = runner.invoke(cli, ["check", "--data", "data.csv"])
    assert result.exit_code == 2
    assert "Invalid value for '--data'" in result.stderr


def _console_script() -> str:
    found = shutil.which("reports-gen", path=str(Path(sys.executable).parent)) or shutil.which("reports-gen")
    if found is None:
        pytest.skip("the reports-gen console script is not installed")
    return found


@pytest.mark.parametrize(
    ("files", "first_line"),
    [
        (BAD_DATE, BAD_DATE_LINE),
        (
            {"team.yaml": TEAM + "\x01\n"},
            "data/team.yaml:9:1: error: invalid YAML: unacceptable character #x0001: "
            "control characters are not allowed",
        ),
        (
            {"team.yaml": TEAM.replace("start: 2026-11-18", "start: 2026-02-30")},
            "data/team.yaml:6:68: error: '2026-02-30' is not a real calendar date",
        ),
        (
            {"weeks/2026-W47/calls.csv": b"\xff\xfe\x00d\x00a\x00t\x00e"},
            "data/weeks/2026-W47/calls.csv:1: error: binary content (NUL byte): not a text file",
        ),
    ],
    ids=["bad-date", "yaml-control-character", "yaml-impossible-date", "utf16-file"],
)
def test_console_script_reports_without_traceback(tmp_path, files, first_line) -> None:
    write_data(tmp_path / "data", files)
    proc = subprocess.run(
        [_console_script(), "check"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0] == first_line
    assert proc.stderr.startswith("✗ data: 1 error")


def test_console_script_usage_error_exit_status(tmp_path) -> None:
    proc = subprocess.run(
        [_console_script(), "check", "--bogus"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[0] == "Usage: reports-gen check [OPTIONS]"
    assert "No such option" in proc.stderr and "--bogus" in proc.stderr
