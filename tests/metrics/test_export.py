"""`reports-gen export`: the three CSVs with exactly the columns of SPEC section 5."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner

from reports_gen.cli import cli
from reports_gen.metrics.export import plain_number


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run_export(data: Path, out: Path, *extra: str):
    return CliRunner().invoke(cli, ["export", "--data", str(data), "--out", str(out), *extra])


def test_export_writes_three_files_with_spec_columns(data_dir, tmp_path):
    result = run_export(data_dir, tmp_path / "out")
    assert result.exit_code == 0, result.output
    header = {
        name: (tmp_path / "out" / name).read_text(encoding="utf-8").splitlines()[0]
        for name in ("weekly.csv", "periods.csv", "alerts.csv")
    }
    assert header == {
        "weekly.csv": "week,scope,id,metric,value",
        "periods.csv": "period,scope,id,metric,target,actual,attainment,expected_to_date,pace,"
        "projection,required_per_day,status",
        "alerts.csv": "kind,date,person_id,team_id,outlet_id,prospect_id,detail",
    }


def test_weekly_csv_values_are_plain_and_empty_when_undefined(data_dir, tmp_path):
    run_export(data_dir, tmp_path / "out")
    rows = read_rows(tmp_path / "out" / "weekly.csv")
    value = {(r["week"], r["scope"], r["id"], r["metric"]): r["value"] for r in rows}
    assert value[("2026-W47", "company", "", "revenue")] == "1150000"
    assert value[("2026-W47", "company", "", "ec_ratio")] == "0.75"  # 3 EC / 4 AC
    assert value[("2026-W47", "person", "andi", "pjp_rate")] == "0.5"
    assert value[("2026-W47", "person", "dewi", "ec_ratio")] == ""  # no calls: undefined
    # 4 people + 2 teams + company, 27 metrics each, one week.
    assert len(rows) == 7 * 27
    assert {r["scope"] for r in rows} == {"person", "team", "company"}


def test_periods_and_alerts_csv(data_dir, tmp_path):
    run_export(data_dir, tmp_path / "out")
    periods = read_rows(tmp_path / "out" / "periods.csv")
    andi = next(r for r in periods if r["id"] == "andi")
    # 750000 of 2000000; expected 2000000 x 15/21; required 1250000 / 6 remaining days.
    assert andi["actual"] == "750000"
    assert andi["attainment"] == "0.375"
    assert float(andi["expected_to_date"]) == float(2_000_000 * 15 / 21)
    assert andi["required_per_day"] == "208333.33333333334"
    assert andi["status"] == "behind"
    alerts = read_rows(tmp_path / "out" / "alerts.csv")
    missed = [r for r in alerts if r["kind"] == "missed_call"]
    assert missed == [
        {
            "kind": "missed_call",
            "date": "2026-11-16",
            "person_id": "andi",
            "team_id": "east",
            "outlet_id": "O2",
            "prospect_id": "",
            "detail": "Planned visit to UD Sentosa not made",
        }
    ]


def test_export_as_of_option(data_dir, tmp_path):
    run_export(data_dir, tmp_path / "out", "--as-of", "2026-11-18")
    andi = next(r for r in read_rows(tmp_path / "out" / "periods.csv") if r["id"] == "andi")
    assert andi["actual"] == "500000"  # Mon 16 only
    assert andi["required_per_day"] == "187500"  # 1500000 / 8 remaining working days
    alerts = read_rows(tmp_path / "out" / "alerts.csv")
    assert max(r["date"] for r in alerts) == "2026-11-18"


def test_export_refuses_invalid_data_and_writes_nothing(make_data, tmp_path):
    data = make_data({"outlets.csv": "outlet_id,name,type,area,rep_id,visits_per_week\nO1,X,shop,A,andi,1\n"})
    result = run_export(data, tmp_path / "out")
    assert result.exit_code == 1
    assert "outlets.csv:2:" in result.output
    assert "unknown outlet type 'shop'" in result.output
    assert not (tmp_path / "out").exists()


def test_export_bad_as_of_is_a_usage_error(data_dir, tmp_path):
    result = run_export(data_dir, tmp_path / "out", "--as-of", "22/11/2026")
    assert result.exit_code == 2
    assert "Invalid value for '--as-of': '22/11/2026' does not match the format '%Y-%m-%d'" in result.output
    assert not (tmp_path / "out").exists()


def test_plain_number():
    assert plain_number(1500000.0) == "1500000"
    assert plain_number(0.8125) == "0.8125"
    assert plain_number(float("nan")) == ""
    assert plain_number(None) == ""
    assert plain_number(2 / 3) == "0.6666666666666666"
    assert plain_number(0.00001) == "0.00001"
