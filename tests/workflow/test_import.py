"""`reports-gen import`: Excel and CSV exports into canonical week files, exactly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from fixtures import CALLS_W47, SALES_W47, write_data
from hypothesis import given, settings
from hypothesis import strategies as st

from reports_gen.cli import cli
from reports_gen.errors import DataError
from reports_gen.workflow.cells import format_number, parse_bool, parse_date, parse_number
from reports_gen.workflow.importer import canonicalise, import_file, read_export

CALLS_HEADER = "date,rep_id,outlet_id,planned,visited,order_value,units,no_order_reason,notes\n"
SALES_HEADER = "date,rep_id,outlet_id,order_value,units,channel,notes\n"
NO_COLUMN = (
    "warning: column 'No' ignored (hint: names, areas and row numbers come from team.yaml and outlets.csv)"
)
AMBIGUOUS = (
    "orders.csv:2: error: Nilai: '1.500' is ambiguous: is the . a thousands separator or a decimal "
    "mark? (hint: pass --decimal comma to read 1.500 as 1500, or --decimal dot to read it as 1.5)"
)

# A visit report as a sales admin exports it: a title, a blank row, then the header on row 3.
VISITS = [
    ["Laporan Kunjungan Sales – November 2026"],
    [None],
    [
        "No",
        "Tanggal",
        "Kode Sales",
        "Kode Outlet",
        "Rencana",
        "Dikunjungi",
        "Nilai Order (Rp)",
        "Qty",
        "Alasan Tidak Order",
        "Keterangan",
    ],
    [1, dt.datetime(2026, 11, 23, 9, 30), "andi", "O1", "Ya", "Ya", "Rp 1.500.000", 15, None, "Order rutin"],
    [2, dt.datetime(2026, 11, 23), "andi", "O2", "ya", "tidak", None, 0, "Toko tutup", None],
    [
        3,
        dt.datetime(2026, 11, 24),
        "budi",
        "O3",
        "v",
        "v",
        "Rp2.250.000,00",
        20,
        None,
        'Bayar "tunai", lunas',
    ],
    [4, 46350, "citra", "O4", "x", "✓", 750000, 5.0, None, None],  # 46350: Excel's serial for 2026-11-24
]
VISITS_W48 = (
    CALLS_HEADER + "2026-11-23,andi,O1,yes,yes,1500000,15,,Order rutin\n"
    "2026-11-23,andi,O2,yes,no,,0,Toko tutup,\n"
    '2026-11-24,budi,O3,yes,yes,2250000,20,,"Bayar ""tunai"", lunas"\n'
    "2026-11-24,citra,O4,no,yes,750000,5,,\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in tmp_path, with the small valid data directory in `data/` (week 2026-W47)."""
    monkeypatch.chdir(tmp_path)
    return write_data(tmp_path / "data", {})


def workbook(
    path: Path, rows: list[list], sheet: str = "Kunjungan", other_sheets: tuple[str, ...] = ()
) -> Path:
    """Write rows into a new .xlsx workbook, sheet by sheet as Excel would."""
    book = openpyxl.Workbook()
    first = book.active
    for name in other_sheets:
        book.create_sheet(name).append(["Ringkasan", "lain"])
    first.title = sheet
    for row in rows:
        first.append(row)
    book.save(path)
    return path


def run(runner: CliRunner, *args: str):
    return runner.invoke(cli, ["import", *args])


def test_xlsx_with_title_rows_indonesian_headers_and_excel_cells(runner, data, tmp_path) -> None:
    workbook(tmp_path / "kunjungan.xlsx", VISITS)
    result = run(runner, "kunjungan.xlsx", "--kind", "calls")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"kunjungan.xlsx:3: {NO_COLUMN}\ndata/weeks/2026-W48/calls.csv: 4 rows added (new file)\n"
    )
    assert (data / "weeks/2026-W48/calls.csv").read_bytes().decode("utf-8") == VISITS_W48
    assert sorted(p.name for p in (data / "weeks/2026-W48").iterdir()) == ["calls.csv"]
    assert runner.invoke(cli, ["check"]).exit_code == 0


def test_semicolon_windows_1252_csv_with_day_first_dates_and_rupiah(runner, data, tmp_path) -> None:
    export = (
        "Laporan Penjualan;;;;;;\r\n"
        "Tanggal;Sales;Kode Toko;Nilai;Jumlah;Kanal;Catatan\r\n"
        "21/11/2026;andi;O2;Rp 1.500.000,00;12;WhatsApp;Pesanan ulang – café\r\n"
        "23/11/2026;citra;O4;Rp 2.000,00;1;telepon;\r\n"
        "23-11-2026;andi;O1;IDR 350.000;3;telepon;\r\n"
    )
    (tmp_path / "penjualan.csv").write_bytes(export.encode("cp1252"))
    result = run(runner, "penjualan.csv", "--kind", "sales")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "data/weeks/2026-W48: warning: 2026-W48 has no calls.csv yet "
        "(hint: import the week's calls, or run `reports-gen new-week 2026-W48`)\n"
        "data/weeks/2026-W47/sales.csv: 1 row added (0 already there)\n"
        "data/weeks/2026-W48/sales.csv: 2 rows added (new file)\n"
    )
    assert (data / "weeks/2026-W47/sales.csv").read_text(encoding="utf-8") == (
        SALES_W47 + "2026-11-21,andi,O2,1500000,12,whatsapp,Pesanan ulang – café\n"
    )
    assert (data / "weeks/2026-W48/sales.csv").read_text(encoding="utf-8") == (
        SALES_HEADER + "2026-11-23,citra,O4,2000,1,telepon,\n2026-11-23,andi,O1,350000,3,telepon,\n"
    )
    assert not (data / "weeks/2026-W48/calls.csv").exists()


def test_rows_of_two_iso_weeks_go_to_two_folders(runner, data, tmp_path) -> None:
    # Sunday 2026-11-29 closes W48; Monday 2026-11-30 opens W49. UTF-8 with a BOM, English number style.
    export = (
        "Date,Rep,Outlet,Planned,Visited,Order value,Units\n"
        '2026-11-29,andi,O1,yes,yes,"1,500,000.50",2\n'
        '30.11.2026,andi,O2,yes,yes,"250,000",1\n'
        '30/11/2026,citra,O4,no,yes,"2,000,000",4\n'
    )
    (tmp_path / "visits.csv").write_bytes(b"\xef\xbb\xbf" + export.encode("utf-8"))
    result = run(runner, "visits.csv", "--kind", "calls")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "data/weeks/2026-W48/calls.csv: 1 row added (new file)\n"
        "data/weeks/2026-W49/calls.csv: 2 rows added (new file)\n"
    )
    assert (data / "weeks/2026-W48/calls.csv").read_text() == (
        CALLS_HEADER + "2026-11-29,andi,O1,yes,yes,1500000.5,2,,\n"
    )
    assert (data / "weeks/2026-W49/calls.csv").read_text() == (
        CALLS_HEADER + "2026-11-30,andi,O2,yes,yes,250000,1,,\n2026-11-30,citra,O4,no,yes,2000000,4,,\n"
    )


def test_prospects_and_activities_in_spec_column_order(runner, data, tmp_path) -> None:
    (tmp_path / "prospek.csv").write_text(
        "Tanggal;Kode Prospek;Nama;Pemilik;Tahap;Sumber;Nilai Potensi\n"
        "24/11/2026;P2;Toko Baru Jaya;dewi;Baru;Pameran;Rp 5.000.000\n"
        "26/11/2026;P2;;dewi;Dihubungi;;\n"
    )
    (tmp_path / "kegiatan.csv").write_text(
        "Tanggal,PIC,Jenis Aktivitas,Rencana,Selesai,Kode Prospek,Hasil\n"
        "25/11/2026,dewi,Demo,ya,sudah,P2,Tertarik\n"
        "26/11/2026,dewi,Meeting,ya,belum,,\n"
    )
    assert run(runner, "prospek.csv", "--kind", "prospects").exit_code == 0
    assert run(runner, "kegiatan.csv", "--kind", "activities").exit_code == 0
    assert (data / "weeks/2026-W48/prospects.csv").read_text() == (
        "date,prospect_id,name,owner_id,source,stage,expected_value,outlet_id,notes\n"
        "2026-11-24,P2,Toko Baru Jaya,dewi,Pameran,new,5000000,,\n"
        "2026-11-26,P2,,dewi,,contacted,,,\n"
    )
    assert (data / "weeks/2026-W48/activities.csv").read_text() == (
        "date,person_id,type,planned,done,outlet_id,prospect_id,outcome,notes\n"
        "2026-11-25,dewi,demo,yes,yes,,P2,Tertarik,\n"
        "2026-11-26,dewi,meeting,yes,no,,,,\n"
    )


def test_appending_keeps_the_existing_bytes_and_line_endings(
    runner, make_data, tmp_path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    existing = (
        "date,rep_id,outlet_id,planned,visited,order_value,units\r\n"
        "2026-11-16,andi,O1,Ya,yes,500000.0,5"
    )  # hand-written, no line break at the end
    data = make_data({"weeks/2026-W47/calls.csv": existing})
    (tmp_path / "calls.csv").write_text(
        "Tanggal,Sales,Outlet,Visit,Nilai\n16/11/2026,andi,O1,ya,500000\n17/11/2026,andi,O2,ya,0\n"
    )
    result = run(runner, "calls.csv", "--kind", "calls")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(
        "data/weeks/2026-W47/calls.csv: 0 planned rows completed, 1 row added (1 already there)\n"
    )
    # no `planned` column in the export: written as no; the file's own columns and CRLF are kept
    expected = existing + "\r\n2026-11-17,andi,O2,no,yes,0,\r\n"
    assert (data / "weeks/2026-W47/calls.csv").read_bytes() == expected.encode()


def test_importing_the_same_file_again_adds_nothing(runner, data, tmp_path) -> None:
    workbook(tmp_path / "kunjungan.xlsx", VISITS)
    assert run(runner, "kunjungan.xlsx", "--kind", "calls").exit_code == 0
    again = run(runner, "kunjungan.xlsx", "--kind", "calls")
    assert again.exit_code == 0, again.output
    assert again.stdout == (
        f"kunjungan.xlsx:3: {NO_COLUMN}\n"
        "data/weeks/2026-W48/calls.csv: 0 planned rows completed, 0 rows added (4 already there)\n"
    )
    assert (data / "weeks/2026-W48/calls.csv").read_text() == VISITS_W48
    # The week's export grows: only the new row is added, below the existing ones.
    grown = [*VISITS, [5, "25/11/2026", "citra", "O4", "ya", "ya", "Rp 1.000", 1]]
    workbook(tmp_path / "kunjungan.xlsx", grown)
    more = run(runner, "kunjungan.xlsx", "--kind", "calls")
    assert more.stdout.endswith(
        "data/weeks/2026-W48/calls.csv: 0 planned rows completed, 1 row added (4 already there)\n"
    )
    assert (data / "weeks/2026-W48/calls.csv").read_text() == (
        VISITS_W48 + "2026-11-25,citra,O4,yes,yes,1000,1,,\n"
    )


def test_a_call_already_in_the_week_file_with_other_values_is_a_warning(runner, data, tmp_path) -> None:
    (tmp_path / "calls.csv").write_text(
        "Tanggal,Kode Sales,Kode Outlet,Rencana,Kunjungan,Nilai Order,Qty\n"
        "16/11/2026,andi,O1,ya,ya,Rp 600.000,6\n"
        "20/11/2026,citra,O4,ya,ya,Rp 300.000,3\n"
    )
    result = run(runner, "calls.csv", "--kind", "calls")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        # row 2 of the export has the key of calls.csv:2 (2026-11-16, andi, O1), whose filled
        # order_value and units differ: a conflict, the file wins; row 3 is already there as it is.
        "calls.csv:2: warning: this row matches weeks/2026-W47/calls.csv:2 but differs: "
        "order_value '500000' in the file, '600000' in the export; units '5' in the file, '6' in "
        "the export; kept the file's values (hint: pass --replace to take the export's values)\n"
        "data/weeks/2026-W47/calls.csv: 0 planned rows completed, 0 rows added (2 already there)\n"
    )
    assert (data / "weeks/2026-W47/calls.csv").read_text() == CALLS_W47


@pytest.mark.parametrize(
    ("option", "written"), [(["--decimal", "comma"], "1500"), (["--decimal", "dot"], "1.5")]
)
def test_ambiguous_thousands_need_decimal_option(runner, data, tmp_path, option, written) -> None:
    (tmp_path / "orders.csv").write_text("Tanggal;Sales;Outlet;Nilai;Qty\n23/11/2026;citra;O4;1.500;1\n")
    result = run(runner, "orders.csv", "--kind", "sales")
    assert result.exit_code == 1
    assert result.stdout == AMBIGUOUS + "\n"
    assert result.stderr == "✗ orders.csv: 1 error; nothing was imported\n"
    assert not (data / "weeks/2026-W48").exists()
    result = run(runner, "orders.csv", "--kind", "sales", *option)
    assert result.exit_code == 0, result.output
    expected = SALES_HEADER + f"2026-11-23,citra,O4,{written},1,,\n"
    assert (data / "weeks/2026-W48/sales.csv").read_text() == expected


def test_ambiguous_value_is_read_like_the_rest_of_its_column(runner, data, tmp_path) -> None:
    # 1.250.000 can only use . for thousands, so the 1.500 in the same column is 1500 too.
    (tmp_path / "orders.csv").write_text(
        "Tanggal;Sales;Outlet;Nilai;Qty\n23/11/2026;citra;O4;1.500;1\n24/11/2026;citra;O4;1.250.000;2\n"
    )
    result = run(runner, "orders.csv", "--kind", "sales")
    assert result.exit_code == 0, result.output
    assert (data / "weeks/2026-W48/sales.csv").read_text() == (
        SALES_HEADER + "2026-11-23,citra,O4,1500,1,,\n2026-11-24,citra,O4,1250000,2,,\n"
    )


def test_unknown_rep_names_the_source_row_and_writes_nothing(runner, data, tmp_path) -> None:
    rows = [list(row) for row in VISITS[2:]] + [
        [5, dt.datetime(2026, 11, 20), "andi", "O2", "ya", "ya", "Rp 100.000", 1]
    ]
    rows[3][2] = "zed"  # sheet row 4: the header is row 1
    workbook(tmp_path / "orders.xlsx", rows)
    result = run(runner, "orders.xlsx", "--kind", "calls")
    assert result.exit_code == 1
    assert result.stdout == (
        f"orders.xlsx:1: {NO_COLUMN}\n"
        "orders.xlsx:4: error: Kode Sales: unknown person 'zed' "
        "(hint: add the person to team.yaml first, or import your people with --kind team)\n"
    )
    assert result.stderr == "✗ orders.xlsx: 1 error; nothing was imported\n"
    assert not (data / "weeks/2026-W48").exists()
    assert (data / "weeks/2026-W47/calls.csv").read_text() == CALLS_W47  # the valid W47 row was not written


def test_duplicate_calls_inside_the_export_name_both_source_rows(runner, data, tmp_path) -> None:
    (tmp_path / "calls.csv").write_text(
        "Tanggal,Sales,Outlet,Visit,Nilai\n23/11/2026,andi,O1,ya,0\n\n23/11/2026,andi,O1,ya,5000\n"
    )
    result = run(runner, "calls.csv", "--kind", "calls")
    assert result.exit_code == 1
    duplicate = "calls.csv:4: error: duplicate call: same date, rep_id, outlet_id as calls.csv:2"
    assert result.stdout == duplicate + "\n"


def test_week_option_makes_rows_of_other_weeks_errors(runner, data, tmp_path) -> None:
    workbook(tmp_path / "kunjungan.xlsx", VISITS)
    assert run(runner, "kunjungan.xlsx", "--kind", "calls", "--week", "2026-W48").exit_code == 0
    result = run(runner, "kunjungan.xlsx", "--kind", "calls", "--week", "2026-W49")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == (
        "kunjungan.xlsx:4: error: date 2026-11-23 is outside week 2026-W49 (2026-11-30..2026-12-06) "
        "(hint: it belongs to 2026-W48; leave out --week to import every week)"
    )
    assert run(runner, "kunjungan.xlsx", "--kind", "calls", "--week", "2026-W60").exit_code == 2


def test_unknown_column_is_an_error_naming_file_and_header(runner, data, tmp_path) -> None:
    (tmp_path / "orders.csv").write_text("Tanggal,Sales,Outlet,Nilai,Diskon\n23/11/2026,citra,O4,1000,5\n")
    result = run(runner, "orders.csv", "--kind", "sales")
    assert result.exit_code == 1
    assert result.stdout == (
        "orders.csv:1: error: unknown column 'Diskon' in column 5 (hint: sales.csv columns are date, rep_id, "
        "outlet_id, order_value, units, channel, notes; rename the header or delete the column)\n"
    )


def test_missing_columns_say_which_headers_would_do(runner, data, tmp_path) -> None:
    (tmp_path / "calls.csv").write_text("Tanggal,Kode Sales,Nilai\n23/11/2026,andi,1000\n")
    result = run(runner, "calls.csv", "--kind", "calls")
    assert result.exit_code == 1
    assert result.stdout == (
        "calls.csv:1: error: no column for outlet_id (hint: name it outlet_id, or Kode Outlet, Kode Toko, "
        "Id Outlet)\n"
        "calls.csv:1: error: no column for planned or visited (hint: name them, for example, Rencana and "
        "Kunjungan)\n"
    )


def test_bad_cells_are_reported_with_the_source_row(runner, data, tmp_path) -> None:
    (tmp_path / "calls.csv").write_text(
        "Tanggal,Sales,Outlet,Visit,Nilai\n11/23/2026,andi,O1,mungkin,Rp 1.5.0\n"
    )
    result = run(runner, "calls.csv", "--kind", "calls")
    assert result.exit_code == 1
    assert result.stdout == (
        "calls.csv:2: error: Nilai: 'Rp 1.5.0' is not a number "
        "(hint: write amounts such as 1500000, Rp 1.500.000 or 1.500.000,50)\n"
        "calls.csv:2: error: Tanggal: '11/23/2026' is not a date: there is no month 23 "
        "(hint: dates are read day first: dd/mm/yyyy, e.g. 23/11/2026)\n"
        "calls.csv:2: error: Visit: 'mungkin' is not a yes/no value "
        "(hint: use yes/no, ya/tidak, y/n, 1/0, v/x or ✓)\n"
    )


def test_totals_row_at_the_bottom_is_skipped(runner, data, tmp_path) -> None:
    (tmp_path / "orders.csv").write_text(
        "Tanggal;Sales;Outlet;Nilai;Qty\n23/11/2026;citra;O4;Rp 1.500.000;1\nTOTAL;;;Rp 1.500.000;1\n"
    )
    result = run(runner, "orders.csv", "--kind", "sales")
    assert result.exit_code == 0, result.output
    skipped = "orders.csv:3: warning: skipped the 'TOTAL' row: it adds up the rows above"
    assert result.stdout.splitlines()[1] == skipped
    expected = SALES_HEADER + "2026-11-23,citra,O4,1500000,1,,\n"
    assert (data / "weeks/2026-W48/sales.csv").read_text() == expected


def test_dry_run_shows_the_rows_and_writes_nothing(runner, data, tmp_path) -> None:
    workbook(tmp_path / "kunjungan.xlsx", VISITS)
    result = run(runner, "kunjungan.xlsx", "--kind", "calls", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"kunjungan.xlsx:3: {NO_COLUMN}\n"
        "data/weeks/2026-W48/calls.csv: 4 rows would be added (new file)\n"
        + "".join("    " + line + "\n" for line in VISITS_W48.splitlines())
    )
    assert not (data / "weeks/2026-W48").exists()


def test_sheet_named_like_the_kind_is_read(runner, data, tmp_path) -> None:
    workbook(tmp_path / "laporan.xlsx", VISITS, sheet="Kunjungan", other_sheets=("Ringkasan",))
    result = run(runner, "laporan.xlsx", "--kind", "calls", "--data", "data")
    assert result.exit_code == 0, result.output
    assert result.stderr == "read sheet 'Kunjungan' of laporan.xlsx\n"
    assert (data / "weeks/2026-W48/calls.csv").read_text() == VISITS_W48


def test_library_api_reports_counts_per_week(data, tmp_path) -> None:
    workbook(tmp_path / "kunjungan.xlsx", VISITS)
    raw = read_export(tmp_path / "kunjungan.xlsx", "calls")
    assert (raw.header_line, raw.frame["_line"].tolist()) == (3, [4, 5, 6, 7])
    rows, problems = canonicalise(raw, "calls")
    assert rows["date"].tolist() == ["2026-11-23", "2026-11-23", "2026-11-24", "2026-11-24"]
    assert [p.level for p in problems] == ["warning"]
    result = import_file(tmp_path / "kunjungan.xlsx", "calls", data, dry_run=True)
    assert [(f.week, f.added, f.already, f.new_file) for f in result.files] == [("2026-W48", 4, 0, True)]
    assert not result.written
    with pytest.raises(DataError):
        import_file(tmp_path / "kunjungan.xlsx", "calls", data, week="2026-W47")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-11-23", dt.date(2026, 11, 23)),
        ("23/11/2026", dt.date(2026, 11, 23)),
        ("23-11-2026", dt.date(2026, 11, 23)),
        ("23.11.2026", dt.date(2026, 11, 23)),
        ("3/1/2026", dt.date(2026, 1, 3)),
        ("23 Nov 2026", dt.date(2026, 11, 23)),
        ("Senin, 23 November 2026", dt.date(2026, 11, 23)),
        (dt.datetime(2026, 11, 23, 8), dt.date(2026, 11, 23)),
        (46349, dt.date(2026, 11, 23)),
        (46349.75, dt.date(2026, 11, 23)),
        ("2026-11-23 00:00:00", dt.date(2026, 11, 23)),
    ],
)
def test_dates(cell, expected) -> None:
    assert parse_date(cell).value == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Rp 1.500.000", "1500000"),
        ("Rp1.500.000,00", "1500000"),
        ("1.500.000,50", "1500000.5"),
        ("1,500,000.50", "1500000.5"),
        ("1500000", "1500000"),
        ("IDR 1.500.000", "1500000"),
        (1500000, "1500000"),
        (1500000.5, "1500000.5"),
        ("Rp 15.000,-", "15000"),
        ("12,5", "12.5"),
        ("0.75", "0.75"),
        ("-", ""),
        ("1 500 000", "1500000"),
        ("(Rp 5.000)", "-5000"),
        ("Rp 600.000", "600000"),
    ],
)
def test_money_and_numbers(cell, expected) -> None:
    assert format_number(parse_number(cell).value) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        (1, True),
        ("ya", True),
        ("v", True),
        ("✓", True),
        (True, True),
        ("no", False),
        ("n", False),
        ("false", False),
        (0, False),
        ("Tidak", False),
        ("x", False),
        ("", False),
        (None, False),
    ],
)
def test_booleans(cell, expected) -> None:
    assert parse_bool(cell).value is expected


@settings(max_examples=500, deadline=None)
@given(st.text(), st.sampled_from([None, "comma", "dot"]))
def test_number_parser_never_raises_on_text(text, decimal) -> None:
    number = parse_number(text, decimal)
    # Text with a digit in it is a number, two possible numbers, or a reported problem.
    if any(ch in "0123456789" for ch in text):
        assert number.value is not None or number.ambiguous or number.error
    assert not (number.value is not None and number.error)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.,-() RpIDR\xa0"), st.sampled_from([None, "comma", "dot"]))
def test_number_parser_never_raises_on_money_like_text(text, decimal) -> None:
    number = parse_number(text, decimal)
    assert number.value is not None or number.ambiguous or number.error or not any(c.isdigit() for c in text)


@given(
    st.integers(min_value=0, max_value=10**15),
    st.sampled_from(["Rp ", "Rp", "IDR ", ""]),
    st.sampled_from(["", ",00", ",-"]),
)
def test_indonesian_amounts_read_back(amount, prefix, suffix) -> None:
    text = prefix + f"{amount:,}".replace(",", ".") + suffix
    assert parse_number(text, "comma").value == amount
    number = parse_number(text)
    assert number.value == amount or (number.ambiguous and number.readings[0] == amount)


@given(st.one_of(st.text(), st.integers(), st.floats(), st.none(), st.booleans()))
def test_date_parser_never_raises(cell) -> None:
    parsed = parse_date(cell)
    assert parsed.value is None or isinstance(parsed.value, dt.date)


def test_interrupted_write_is_finished_or_rolled_back(data, monkeypatch) -> None:
    from reports_gen.workflow import journal

    new, old = data / "weeks/2026-W48/sales.csv", data / "weeks/2026-W47/sales.csv"

    def killed(*args) -> None:
        raise KeyboardInterrupt  # stands for kill -9 between the journal and the renames

    monkeypatch.setattr(journal, "_roll_forward", killed)
    with pytest.raises(KeyboardInterrupt):
        journal.write_files(data, {new: b"x\n", old: b"y\n"})
    monkeypatch.undo()
    assert old.read_text() == SALES_W47  # nothing renamed yet
    assert journal.recover(data).note == "note: an interrupted import was finished first"
    assert (new.read_bytes(), old.read_bytes()) == (b"x\n", b"y\n")
    assert not list(data.rglob(".*"))


def test_interrupted_staging_is_rolled_back(data, monkeypatch) -> None:
    from reports_gen.workflow import journal

    writes = []
    real = journal.atomic_write

    def killed_on_third(path, content) -> None:  # journal, first staged file, then the kill
        writes.append(path)
        if len(writes) == 3:
            raise KeyboardInterrupt
        real(path, content)

    monkeypatch.setattr(journal, "atomic_write", killed_on_third)
    with pytest.raises(KeyboardInterrupt):
        journal.write_files(
            data, {data / "weeks/2026-W50/sales.csv": b"z\n", data / "weeks/2026-W51/x.csv": b""}
        )
    monkeypatch.undo()
    assert journal.recover(data).note == "note: an interrupted import was rolled back first"
    assert not (data / "weeks/2026-W50").exists() and not (data / "weeks/2026-W51").exists()
    assert not list(data.rglob(".*"))


def test_disk_full_is_one_line_and_leaves_nothing(runner, data, tmp_path, monkeypatch) -> None:
    import errno

    from reports_gen import fileio

    (tmp_path / "orders.csv").write_text("Tanggal;Sales;Outlet;Nilai;Qty\n23/11/2026;citra;O4;Rp 1.500;1\n")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", full)
    result = run(runner, "orders.csv", "--kind", "sales")
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("could not write: the disk is full; nothing was imported")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "None" not in result.stderr
    assert not (data / "weeks/2026-W48").exists() and not list(data.rglob(".*"))


def test_fill_the_plan_and_replace(runner, data, tmp_path) -> None:
    plan = CALLS_HEADER + "2026-11-23,andi,O1,yes,,,,,\n2026-11-24,andi,O2,yes,,,,,\n"
    (data / "weeks/2026-W48").mkdir()
    (data / "weeks/2026-W48/calls.csv").write_text(plan)
    (tmp_path / "v.csv").write_text(
        "Tanggal;Sales;Toko;Dikunjungi;Nilai;Qty;Alasan\n"
        "23/11/2026;ANDI;o1;ya;Rp 1.500.000;15;\n"  # completes line 2 (ids matched ignoring case)
        "24/11/2026;andi;O2;tidak;;;Tutup\n"  # completes line 3
        "25/11/2026;andi;O1;ya;Rp 200.000;2;\n"  # not planned: added
        "Jumlah;;;;Rp 1.700.000;17;\n"  # a total row: skipped
    )
    result = run(runner, "v.csv", "--kind", "calls")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(
        "data/weeks/2026-W48/calls.csv: 2 planned rows completed, 1 row added (0 already there)\n"
    )
    assert (data / "weeks/2026-W48/calls.csv").read_text() == (
        CALLS_HEADER + "2026-11-23,andi,O1,yes,yes,1500000,15,,\n2026-11-24,andi,O2,yes,no,,,Tutup,\n"
        "2026-11-25,andi,O1,no,yes,200000,2,,\n"
    )
    (tmp_path / "w.csv").write_text(
        "Tanggal;Sales;Toko;Dikunjungi;Nilai\n23/11/2026;andi;O1;ya;Rp 1.000.000\n"
    )
    kept = run(runner, "w.csv", "--kind", "calls")
    assert "order_value '1500000' in the file, '1000000' in the export" in kept.stdout
    replaced = run(runner, "w.csv", "--kind", "calls", "--replace")
    assert "1 row replaced" in replaced.stdout
    assert "2026-11-23,andi,O1,yes,yes,1000000,15,," in (data / "weeks/2026-W48/calls.csv").read_text()


def test_near_miss_id_gets_a_hint(runner, data, tmp_path) -> None:
    (tmp_path / "o.csv").write_text("Tanggal;Sales;Outlet;Nilai\n23/11/2026;andii;O4;1000\n")
    result = run(runner, "o.csv", "--kind", "sales")
    assert result.exit_code == 1
    assert "o.csv:2: error: Sales: unknown person 'andii' (hint: did you mean 'andi'?)" in result.stdout


def test_decimal_mark_from_the_other_columns(runner, data, tmp_path) -> None:
    # Qty '2,5' proves ',' is the decimal mark, so Nilai '1.500' reads 1500, not 1.5
    (tmp_path / "o.csv").write_text("Tanggal;Sales;Outlet;Nilai;Qty\n23/11/2026;citra;O4;1.500;2,5\n")
    result = run(runner, "o.csv", "--kind", "sales")
    assert result.exit_code == 0, result.output
    assert "2026-11-23,citra,O4,1500,2.5,," in (data / "weeks/2026-W48/sales.csv").read_text()


def test_formula_without_saved_value_is_located(runner, data, tmp_path) -> None:
    rows = [["Tanggal", "Sales", "Outlet", "Nilai"], [dt.datetime(2026, 11, 23), "citra", "O4", "=1+1"]]
    workbook(tmp_path / "kunjungan.xlsx", rows, sheet="Sales")  # openpyxl saves no cached value
    result = run(runner, "kunjungan.xlsx", "--kind", "sales")
    assert result.exit_code == 1
    assert (
        "kunjungan.xlsx:2: error: cell D2 is a formula with no saved value; open and save the file "
        "in Excel, or export values" in result.stdout
    )


def test_big_cell_and_unbalanced_quote(runner, data, tmp_path) -> None:
    note = "x, " * 47_000  # 141,000 characters, quoted: over the csv module's default 131,072
    (tmp_path / "big.csv").write_text(
        f'date,rep_id,outlet_id,order_value,notes\n2026-11-17,citra,O4,1,"{note}"\n'
    )
    assert run(runner, "big.csv", "--kind", "sales").exit_code == 0
    assert note.strip() in (data / "weeks/2026-W47/sales.csv").read_text()
    assert runner.invoke(cli, ["check"]).exit_code == 0  # check reads the long cell the same way
    (tmp_path / "bad.csv").write_text(
        'date,rep_id,outlet_id,order_value,notes\n2026-11-24,citra,O4,1,"open\n'
    )
    bad = run(runner, "bad.csv", "--kind", "sales")
    assert bad.exit_code == 1
    assert "bad.csv:2: error: malformed CSV" in bad.stdout


def test_outlets_are_completed_added_and_located(runner, data, tmp_path) -> None:
    (tmp_path / "toko.csv").write_text(
        "Kode Toko;Nama Toko;Tipe;Area;Kode Sales;Frekuensi\n"
        "O1;Toko Makmur;toko;Rungkut;andi;1\n"  # the same as outlets.csv:2 once canonical
        "o5;Warung Baru;Warung;Darmo;CITRA;0,5\n"  # new: warung -> store, CITRA -> citra
    )
    result = run(runner, "toko.csv", "--kind", "outlets")
    assert result.exit_code == 0, result.output
    assert result.stdout == "data/outlets.csv: 0 rows completed, 1 row added (1 already there)\n"
    assert (
        (data / "outlets.csv")
        .read_text()
        .endswith("O4,Toko Jaya,store,Darmo,citra,1\no5,Warung Baru,store,Darmo,citra,0.5\n")
    )
    (tmp_path / "bad.csv").write_text("Kode Toko;Nama Toko;Tipe;Kode Sales\nO6;Toko X;kapal;andi\n")
    bad = run(runner, "bad.csv", "--kind", "outlets")
    assert bad.exit_code == 1
    assert bad.stdout.startswith("bad.csv:2: error:")  # the unknown type, on the source's row


def test_team_import_adds_people_and_teams_and_keeps_conflicts(runner, data, tmp_path) -> None:
    (tmp_path / "tim.csv").write_text(
        "Kode Sales;Nama;Jabatan;Tim;Tanggal Masuk\n"
        "ANDI;Andi S.;sales;east;\n"  # known (ANDI -> andi), its name differs: a conflict
        "eka;Eka Putri;Salesman;Surabaya Barat;01/12/2026\n"  # new person and a new team
    )
    result = run(runner, "tim.csv", "--kind", "team")
    assert result.exit_code == 0, result.output
    assert (
        "tim.csv:2: warning: person 'andi' differs: name 'Andi Saputra' in team.yaml, 'Andi S.' in the "
        "export; kept team.yaml's values (hint: pass --replace to take the export's values)\n"
    ) in result.stdout
    assert result.stdout.endswith("data/team.yaml: 0 rows completed, 1 row added (1 already there)\n")
    team = (data / "team.yaml").read_text()
    assert "  - {id: surabaya-barat, name: Surabaya Barat}\n" in team
    assert "  - {id: eka, name: Eka Putri, role: sales, team: surabaya-barat, start: 2026-12-01}\n" in team
    assert "{id: andi, name: Andi Saputra, role: sales, team: east}" in team
    replaced = run(runner, "tim.csv", "--kind", "team", "--replace")
    assert (
        "data/team.yaml: 0 rows completed, 1 row replaced, 0 rows added (1 already there)" in replaced.stdout
    )
    assert "{id: andi, name: Andi S., role: sales, team: east}" in (data / "team.yaml").read_text()


def test_team_import_removes_the_example_entries_of_init(runner, tmp_path, monkeypatch) -> None:
    from reports_gen.workflow.init import init_repository

    monkeypatch.chdir(tmp_path)
    init_repository(tmp_path / "t", "CV Maju Jaya", "id", empty=True)
    (tmp_path / "tim.csv").write_text("Kode Sales;Nama;Tim\nandi;Andi;Timur\n")
    result = runner.invoke(cli, ["--data", "t/data", "import", "tim.csv", "--kind", "team", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "example-" in (tmp_path / "t/data/team.yaml").read_text()  # a dry run writes nothing
    result = runner.invoke(cli, ["--data", "t/data", "import", "tim.csv", "--kind", "team"])
    assert result.exit_code == 0, result.output
    assert "example-" not in (tmp_path / "t/data/team.yaml").read_text()
    assert (
        tmp_path / "t/data/outlets.csv"
    ).read_text() == "outlet_id,name,type,area,rep_id,visits_per_week,lat,lon\n"


def test_a_file_edited_after_the_interruption_is_kept(data, monkeypatch) -> None:
    from reports_gen.workflow import journal

    old = data / "weeks/2026-W47/sales.csv"
    monkeypatch.setattr(journal, "_roll_forward", lambda *args: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        journal.write_files(data, {old: b"imported\n"})
    monkeypatch.undo()
    old.write_text("edited by hand\n")
    recovery = journal.recover(data)
    assert recovery.note == (
        f"note: an interrupted import was finished first, except {old}: edited since, kept as it is"
    )
    assert old.read_text() == "edited by hand\n"
    assert not list(data.rglob(".*"))
