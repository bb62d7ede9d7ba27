"""`reports-gen check` through click's CliRunner: exit codes and the exact lines printed."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from fixtures import ACTIVITIES_W47, CALLS_W47, CONFIG, SALES_W47, TEAM, write_data

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
    result = runner.invoke(cli, ["check", "--strict"])
    assert result.exit_code == 0
    assert result.stdout == ""
    # The base data: 1 week folder, 4 people in team.yaml, 4 outlets, 5 rows in calls.csv.
    assert result.stderr == "✓ data is valid: 1 week, 4 people, 4 outlets, 5 calls (0 errors, 0 warnings)\n"


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


# -- messages in the data's language (config.yaml `language`) ------------------------------------

ID_CONFIG = {"config.yaml": CONFIG.replace("language: en", "language: id")}


def test_valid_data_in_indonesian(runner, in_tmp) -> None:
    write_data(in_tmp / "data", ID_CONFIG)
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0
    assert result.stderr == (
        "✓ data valid: 1 minggu, 4 personel, 4 outlet, 5 kunjungan (0 kesalahan, 0 catatan pemeriksaan)\n"
    )


def test_broken_file_in_indonesian(runner, in_tmp) -> None:
    write_data(in_tmp / "data", {**BAD_DATE, **ID_CONFIG})
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    # The place, the level word and "(hint: ...)" stay as they are: editors and GitHub parse them.
    assert result.stdout == (
        "data/weeks/2026-W47/calls.csv:5:1: error: '19/11/2026' bukan tanggal berformat ISO "
        "(hint: tulis tanggal dengan format TTTT-BB-HH, misalnya 2026-11-23; "
        "`reports-gen import` bisa mengubah format lain)\n"
    )
    assert result.stderr == "✗ data: 1 kesalahan, 0 catatan pemeriksaan\n"


def test_a_data_check_warning_is_a_catatan_pemeriksaan(runner, in_tmp) -> None:
    write_data(in_tmp / "data", {**SILENT_CITRA, **ID_CONFIG})
    result = runner.invoke(cli, ["check", "--strict"])
    assert result.exit_code == 1
    assert result.stdout == (
        "data/weeks/2026-W47: warning: Citra Lestari (citra) tidak punya satu baris pun di 2026-W47 "
        "(hint: apakah datanya untuk minggu itu lupa dimasukkan?)\n"
    )
    assert result.stderr == "✗ data: 0 kesalahan, 1 catatan pemeriksaan\n"


def test_outcomes_not_reported_yet_in_indonesian(runner, in_tmp) -> None:
    # Two planned visits (lines 7 and 8) and one planned activity (line 5) with a blank outcome.
    calls = CALLS_W47 + "2026-11-20,andi,O1,yes,,,,,\n2026-11-19,budi,O3,yes,,,,,\n"
    activities = ACTIVITIES_W47 + "2026-11-20,dewi,demo,yes,,,,,\n"
    write_data(
        in_tmp / "data",
        {**ID_CONFIG, "weeks/2026-W47/calls.csv": calls, "weeks/2026-W47/activities.csv": activities},
    )
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        # "2026-11-20,dewi,demo,yes," is 25 characters: done starts in column 26.
        "data/weeks/2026-W47/activities.csv:5:26: warning: 1 aktivitas terencana belum ada hasilnya "
        "(hint: isi done (ya/tidak) setelah hasilnya dilaporkan; sampai saat itu aktivitas ini "
        "tidak dihitung sebagai terlaksana ataupun terlewat)",
        # "2026-11-20,andi,O1,yes," is 23 characters: visited starts in column 24.
        "data/weeks/2026-W47/calls.csv:7:24: warning: 2 kunjungan terencana belum ada hasilnya "
        "(hint: isi visited (ya/tidak) setelah hasilnya dilaporkan; sampai saat itu kunjungan ini "
        "tidak dihitung sebagai dilakukan ataupun terlewat)",
    ]
    # 5 calls of the base week + the 2 not reported yet = 7.
    assert result.stderr == (
        "✓ data valid: 1 minggu, 4 personel, 4 outlet, 7 kunjungan (0 kesalahan, 2 catatan pemeriksaan)\n"
    )


def test_row_problems_in_indonesian(runner, in_tmp) -> None:
    calls = CALLS_W47.replace("2026-11-16,andi,O2,yes,no,0,0", "2026-11-16,andi,O2,yes,no,50000,0")
    calls += "2026-11-16,andi,O1,yes,yes,0,0,,\n"  # line 7 repeats line 2's date, rep and outlet
    write_data(in_tmp / "data", {**ID_CONFIG, "weeks/2026-W47/calls.csv": calls})
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        # line 3: 2026-11-16(10)+1 andi(4)+1 O2(2)+1 yes(3)+1 = 23 characters before visited: column 24
        "data/weeks/2026-W47/calls.csv:3:24: error: ada order pada kunjungan yang tidak dilakukan "
        "(hint: isi visited dengan ya, atau catat order itu di sales.csv)",
        "data/weeks/2026-W47/calls.csv:7: error: kunjungan ganda: date, rep_id, outlet_id "
        "sama dengan baris 2",
    ]


def test_unknown_activity_type_lists_the_types_with_their_labels(runner, in_tmp) -> None:
    # An activity type in a sentence shows through its label, as on the site ("promosi", not a bare code);
    # the code stays beside it, since that is what the file must hold.
    activities = ACTIVITIES_W47.replace("2026-11-17,dewi,demo", "2026-11-17,dewi,sosmed")
    write_data(in_tmp / "data", {**ID_CONFIG, "weeks/2026-W47/activities.csv": activities})
    result = runner.invoke(cli, ["check"])
    assert result.stdout == (
        # 2026-11-17(10)+1 dewi(4)+1: type starts at column 17
        "data/weeks/2026-W47/activities.csv:2:17: error: jenis aktivitas 'sosmed' tidak dikenal "
        "(hint: tambahkan ke activity_types di config.yaml, atau pakai salah satu: "
        "demo (demo produk), promotion (promosi), meeting (rapat))\n"
    )


def test_unknown_activity_type_in_english(runner, in_tmp) -> None:
    activities = ACTIVITIES_W47.replace("2026-11-17,dewi,demo", "2026-11-17,dewi,sosmed")
    write_data(in_tmp / "data", {"weeks/2026-W47/activities.csv": activities})
    result = runner.invoke(cli, ["check"])
    assert result.stdout == (
        "data/weeks/2026-W47/activities.csv:2:17: error: unknown activity type 'sosmed' "
        "(hint: add it to activity_types in config.yaml, or use one of demo, promotion, meeting)\n"
    )


def test_github_and_json_formats_in_indonesian(runner, in_tmp) -> None:
    write_data(in_tmp / "data", {**BAD_DATE, **ID_CONFIG})
    github = runner.invoke(cli, ["check", "--format", "github"])
    assert github.stdout == (
        "::error file=data/weeks/2026-W47/calls.csv,line=5,col=1::'19/11/2026' bukan tanggal berformat ISO "
        "(hint: tulis tanggal dengan format TTTT-BB-HH, misalnya 2026-11-23; "
        "`reports-gen import` bisa mengubah format lain)\n"
    )
    as_json = runner.invoke(cli, ["check", "--format", "json"])
    assert json.loads(as_json.stdout) == [
        {
            "path": "data/weeks/2026-W47/calls.csv",
            "line": 5,
            "column": 1,
            "level": "error",
            "code": "date.not-iso",  # the same code in every language
            "message": "'19/11/2026' bukan tanggal berformat ISO",
            "hint": "tulis tanggal dengan format TTTT-BB-HH, misalnya 2026-11-23; "
            "`reports-gen import` bisa mengubah format lain",
        }
    ]


def test_other_config_errors_keep_the_language_that_could_be_read(runner, in_tmp) -> None:
    config = ID_CONFIG["config.yaml"].replace("currency: IDR", "currency: RUPIAH")
    write_data(in_tmp / "data", {"config.yaml": config})
    result = runner.invoke(cli, ["check"])
    assert result.stdout == (
        "data/config.yaml:3:11: error: mata uang 'RUPIAH' tidak dikenal "
        "(hint: pakai kode ISO 4217, misalnya IDR)\n"
    )
    assert result.stderr == "✗ data: 1 kesalahan, 0 catatan pemeriksaan\n"


def test_unreadable_config_falls_back_to_english(runner, in_tmp) -> None:
    config = ID_CONFIG["config.yaml"] + "thresholds: [\n"
    write_data(in_tmp / "data", {"config.yaml": config})
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    assert result.stdout.startswith("data/config.yaml:13:1: error: invalid YAML: ")
    assert result.stderr == "✗ data: 1 error, 0 warnings\n"


def test_data_without_config_speaks_the_default_language(runner, in_tmp) -> None:
    # Every key of config.yaml is optional, the language too: its default, id, is the site's as well.
    write_data(in_tmp / "data", {**BAD_DATE, "config.yaml": None})
    result = runner.invoke(cli, ["check"])
    assert result.stdout.startswith("data/weeks/2026-W47/calls.csv:5:1: error: '19/11/2026' bukan tanggal")


def test_import_in_indonesian(runner, in_tmp) -> None:
    write_data(in_tmp / "data", ID_CONFIG)
    (in_tmp / "penjualan.csv").write_text(
        "Tanggal;Sales;Kode Toko;Nilai;Jumlah\n"
        "23/11/2026;citra;O4;Rp 2.000,00;1\n"
        "24/11/2026;andi;O1;Rp 350.000;3\n"
        "TOTAL;;;Rp 352.000;4\n"
    )
    result = runner.invoke(cli, ["import", "penjualan.csv", "--kind", "sales"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "data/weeks/2026-W48: warning: 2026-W48 belum punya calls.csv "
        "(hint: impor kunjungan minggu itu, atau jalankan `reports-gen new-week 2026-W48`)\n"
        "penjualan.csv:4: warning: baris 'TOTAL' dilewati karena menjumlahkan baris-baris di atasnya\n"
        "data/weeks/2026-W48/sales.csv: 2 baris ditambahkan (file baru)\n"
    )


def test_import_completing_planned_rows_in_indonesian(runner, in_tmp) -> None:
    write_data(in_tmp / "data", ID_CONFIG)
    assert runner.invoke(cli, ["new-week", "2026-W48"]).exit_code == 0
    with (in_tmp / "data/weeks/2026-W48/calls.csv").open() as handle:
        plan = [row for row in csv.DictReader(handle) if row["rep_id"] == "andi" and row["outlet_id"] == "O1"]
    day = "/".join(reversed(plan[0]["date"].split("-")))
    (in_tmp / "kunjungan.csv").write_text(
        "Tanggal;Kode Sales;Kode Toko;Dikunjungi;Nilai Order\n"
        f"{day};andi;O1;ya;Rp 100.000\n"  # completes andi's planned visit to O1 that day
        "28/11/2026;citra;O4;ya;Rp 50.000\n"  # a Saturday, not planned: added
    )
    result = runner.invoke(cli, ["import", "kunjungan.csv", "--kind", "calls"])
    assert result.exit_code == 0, result.output
    # "N planned rows completed, M rows added (K already there)"
    assert result.stdout.endswith(
        "data/weeks/2026-W48/calls.csv: 1 baris rencana dilengkapi, 1 baris ditambahkan (0 sudah ada)\n"
    )


def test_import_errors_in_indonesian(runner, in_tmp) -> None:
    write_data(in_tmp / "data", ID_CONFIG)
    (in_tmp / "calls.csv").write_text(
        "Tanggal,Sales,Outlet,Visit,Nilai\n11/23/2026,andi,O1,mungkin,Rp 1.5.0\n"
    )
    result = runner.invoke(cli, ["import", "calls.csv", "--kind", "calls"])
    assert result.exit_code == 1
    assert result.stdout == (
        "calls.csv:2: error: Nilai: 'Rp 1.5.0' bukan angka "
        "(hint: tulis nominal seperti 1500000, Rp 1.500.000, atau 1.500.000,50)\n"
        "calls.csv:2: error: Tanggal: '11/23/2026' bukan tanggal karena tidak ada bulan 23 "
        "(hint: tanggal dibaca dengan hari lebih dulu (HH/BB/TTTT), misalnya 23/11/2026)\n"
        "calls.csv:2: error: Visit: 'mungkin' bukan nilai ya/tidak "
        "(hint: pakai ya/tidak, yes/no, y/n, 1/0, v/x, atau ✓)\n"
    )
    assert result.stderr == "✗ calls.csv: 3 kesalahan, jadi tidak ada yang diimpor\n"


def test_import_points_check_problems_at_the_export_in_indonesian(runner, in_tmp) -> None:
    write_data(in_tmp / "data", ID_CONFIG)
    # Unknown ids are caught before the check (see the next test); these rows only the check catches.
    (in_tmp / "calls.csv").write_text(
        "Tanggal,Kode Sales,Outlet,Rencana,Visit,Nilai\n"
        "23/11/2026,andi,O2,ya,tidak,5000\n"
        "23/11/2026,andi,O1,ya,ya,0\n"
        "23/11/2026,andi,O1,ya,ya,5000\n"
    )
    result = runner.invoke(cli, ["import", "calls.csv", "--kind", "calls"])
    assert result.exit_code == 1
    # The week file's "line 3" of the duplicate is the export's row 3: a place, not words to rewrite.
    assert result.stdout == (
        "calls.csv:2: error: ada order pada kunjungan yang tidak dilakukan di kolom 'Visit' "
        "(hint: isi visited dengan ya, atau catat order itu di sales.csv)\n"
        "calls.csv:4: error: kunjungan ganda: date, rep_id, outlet_id sama dengan calls.csv:3\n"
    )
    assert result.stderr == "✗ calls.csv: 2 kesalahan, jadi tidak ada yang diimpor\n"


def test_import_unknown_ids_with_did_you_mean_in_indonesian(runner, in_tmp) -> None:
    write_data(in_tmp / "data", ID_CONFIG)
    (in_tmp / "calls.csv").write_text(
        "Tanggal,Kode Sales,Kode Outlet,Visit,Nilai\n"
        "23/11/2026,andii,O1,ya,0\n"  # close to andi
        "23/11/2026,zed,O1,ya,0\n"  # close to no one
        "23/11/2026,andi,O11,ya,0\n"  # close to O1
    )
    result = runner.invoke(cli, ["import", "calls.csv", "--kind", "calls"])
    assert result.exit_code == 1
    assert result.stdout == (
        "calls.csv:2: error: Kode Sales: personel 'andii' tidak dikenal (hint: mungkin maksudnya 'andi'?)\n"
        "calls.csv:3: error: Kode Sales: personel 'zed' tidak dikenal "
        "(hint: tambahkan dulu personel itu di team.yaml, atau impor daftar personel dengan --kind team)\n"
        "calls.csv:4: error: Kode Outlet: outlet 'O11' tidak dikenal (hint: mungkin maksudnya 'O1'?)\n"
    )


def test_import_formula_without_saved_value_in_indonesian(runner, in_tmp) -> None:
    write_data(in_tmp / "data", ID_CONFIG)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Tanggal", "Sales", "Outlet", "Nilai"])
    sheet.append([dt.datetime(2026, 11, 23), "citra", "O4", "=1+1"])  # openpyxl saves no cached value
    book.save(in_tmp / "penjualan.xlsx")
    result = runner.invoke(cli, ["import", "penjualan.xlsx", "--kind", "sales"])
    assert result.exit_code == 1
    assert result.stdout == (
        "penjualan.xlsx:2: error: sel D2 berisi rumus yang nilainya belum tersimpan; "
        "buka lalu simpan file itu di Excel, atau ekspor nilainya saja\n"
    )


def test_import_of_a_call_already_there_in_indonesian(runner, in_tmp) -> None:
    write_data(in_tmp / "data", ID_CONFIG)
    (in_tmp / "calls.csv").write_text(
        "Tanggal,Kode Sales,Kode Outlet,Rencana,Kunjungan,Nilai Order,Qty\n"
        "16/11/2026,andi,O1,ya,ya,Rp 600.000,6\n"
    )
    result = runner.invoke(cli, ["import", "calls.csv", "--kind", "calls", "--dry-run"])
    assert result.exit_code == 0, result.output
    # W47's line 2 is andi at O1 on 2026-11-16 with 500000 and 5 units: the file's values are kept.
    assert result.stdout == (
        "calls.csv:2: warning: baris ini sama dengan weeks/2026-W47/calls.csv:2 tetapi isinya berbeda: "
        "order_value di file '500000', di ekspor '600000'; units di file '5', di ekspor '6'; "
        "nilai di file tetap dipakai (hint: pakai --replace untuk mengambil nilai dari file ekspor)\n"
        "data/weeks/2026-W47/calls.csv: 0 baris rencana akan dilengkapi, 0 baris akan ditambahkan "
        "(1 sudah ada)\n"
    )


def test_new_week_in_indonesian_writes_ya(runner, in_tmp) -> None:
    write_data(in_tmp / "data", ID_CONFIG)
    result = runner.invoke(cli, ["new-week", "2026-W48"])
    assert result.exit_code == 0, result.output
    # O1, O2 (twice), O4 weekly and O3 (budi, every second week: due in W48 by its phase): 5 visits;
    # andi, budi and citra are the sales reps working that week.
    assert result.stderr.splitlines() == [
        "Dibuat: data/weeks/2026-W48/calls.csv (5 kunjungan terencana untuk 3 sales)",
        "Dibuat: data/weeks/2026-W48/sales.csv",
        "Dibuat: data/weeks/2026-W48/activities.csv",
        "Dibuat: data/weeks/2026-W48/prospects.csv",
        "Isi visited, order_value, units, dan no_order_reason sepanjang minggu berjalan, "
        "lalu jalankan `reports-gen check`.",
    ]
    rows = (in_tmp / "data/weeks/2026-W48/calls.csv").read_text().splitlines()[1:]
    assert {row.split(",")[3] for row in rows} == {"ya"}
    again = runner.invoke(cli, ["new-week", "2026-W48"])
    assert again.stderr == (
        "Tidak ada yang perlu dibuat; semua file 2026-W48 sudah ada di data/weeks/2026-W48\n"
    )
    assert runner.invoke(cli, ["check"]).exit_code == 0  # ya is a yes word of canonical files


def test_new_week_in_english_writes_yes(runner, in_tmp) -> None:
    write_data(in_tmp / "data", {})
    assert runner.invoke(cli, ["new-week", "2026-W48"]).exit_code == 0
    rows = (in_tmp / "data/weeks/2026-W48/calls.csv").read_text().splitlines()[1:]
    assert {row.split(",")[3] for row in rows} == {"yes"}


def test_init_speaks_its_language(runner, in_tmp) -> None:
    (in_tmp / "tim").mkdir()
    (in_tmp / "tim/catatan.txt").write_text("milik saya")
    result = runner.invoke(cli, ["init", "tim", "--language", "id"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: tim tidak kosong; pilih folder kosong, atau pakai --force untuk menambahkan file "
        "yang belum ada (file yang sudah ada tidak pernah ditimpa)\n"
    )
    result = runner.invoke(cli, ["init", "baru", "--language", "id"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert "  dibuat    baru/mkdocs.yml" in lines
    assert lines[-1] == "✓ baru siap dipakai: cd baru && reports-gen check && reports-gen build"


def test_diff_outside_a_repository_in_indonesian(runner, in_tmp) -> None:
    write_data(in_tmp / "data", ID_CONFIG)
    result = runner.invoke(cli, ["diff", "HEAD"])
    assert result.exit_code == 2
    assert result.stderr == "error: data tidak berada di dalam repositori git\n"
