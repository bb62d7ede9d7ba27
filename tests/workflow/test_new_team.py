"""A new team from nothing to a site, with the wheel installed in a clean venv (no network)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import openpyxl
import pytest
from fixtures import ROOT


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel and install it alone in a fresh venv; return the venv's bin folder."""
    base = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            base / "dist",
            ROOT,
        ],
        check=True,
        capture_output=True,
    )
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    (wheel,) = (base / "dist").glob("reports_gen-*.whl")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-index", "--no-deps", wheel],
        check=True,
        capture_output=True,
    )
    # The dependencies come from the test's own environment, read-only, after the venv's own.
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(purelib, "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin"


def run(bin_dir: Path, cwd: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Admin",
        "GIT_AUTHOR_EMAIL": "admin@example.com",
        "GIT_COMMITTER_NAME": "Admin",
        "GIT_COMMITTER_EMAIL": "admin@example.com",
        "PYTHONPATH": "",
    }
    done = subprocess.run(
        [bin_dir / "reports-gen", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if ok:
        assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done


def test_a_new_team_goes_from_nothing_to_a_site(installed: Path, tmp_path: Path) -> None:
    wheel_version = next(installed.parent.parent.glob("dist/reports_gen-*.whl")).name.split("-")[1]
    run(installed, tmp_path, "init", "team", "--company", "CV Maju Jaya", "--empty")
    team = tmp_path / "team"
    # requirements.txt names what was installed: the wheel's version
    assert f"reports-gen=={wheel_version}" in (team / "requirements.txt").read_text().splitlines()
    log = subprocess.run(["git", "log", "--oneline"], cwd=team, capture_output=True, text=True).stdout
    assert len(log.splitlines()) == 1
    assert "CV Maju Jaya" in (team / "data" / "config.yaml").read_text()
    assert "PT Contoh" not in (team / "data" / "team.yaml").read_text()

    # The people from Excel, the outlets from a semicolon CSV: the example entries go
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (
        ["Kode Sales", "Nama", "Jabatan", "Tim"],
        ["andi", "Andi Saputra", "Salesman", "Surabaya Timur"],
        ["budi", "Budi Santoso", "sales", "Surabaya Timur"],
    ):
        sheet.append(row)
    book.save(tmp_path / "karyawan.xlsx")
    run(installed, team, "import", "../karyawan.xlsx", "--kind", "team")
    (tmp_path / "toko.csv").write_text(
        "Kode Toko;Nama Toko;Tipe;Area;Kode Sales;Frekuensi\n"
        "T1;Toko Sinar;toko;Rungkut;ANDI;1\n"
        "T2;Agen Makmur;agen;Rungkut;andi;1\n"
        "T3;Toko Jaya;Toko;Gubeng;budi;1\n",
        encoding="utf-8",
    )
    run(installed, team, "import", "../toko.csv", "--kind", "outlets")
    outlets = (team / "data" / "outlets.csv").read_text()
    assert "example-" not in outlets and "example-" not in (team / "data" / "team.yaml").read_text()
    assert "T1,Toko Sinar,store,Rungkut,andi,1" in outlets  # ANDI matched to andi, toko -> store

    # The week: new-week plans 3 visits (3 outlets x 1 a week); the export completes them
    run(installed, team, "new-week", "2026-W48")
    with (team / "data/weeks/2026-W48/calls.csv").open() as handle:
        plan = list(csv.DictReader(handle))
    assert len(plan) == 3
    day = {row["outlet_id"]: "/".join(reversed(row["date"].split("-"))) for row in plan}
    (tmp_path / "kunjungan.csv").write_text(
        "Laporan Kunjungan\n\n"
        "Tanggal;Kode Sales;Kode Toko;Dikunjungi;Nilai Order;Qty\n"
        f"{day['T1']};Andi;T1;ya;Rp 1.500.000,00;15\n"
        f"{day['T2']};andi;T2;tidak;;\n"
        f"{day['T3']};BUDI;T3;ya;Rp 750.000,00;5\n"
        "TOTAL;;;;Rp 2.250.000,00;20\n",
        encoding="utf-8",
    )
    done = run(installed, team, "import", "../kunjungan.csv", "--kind", "calls")
    # 3 planned rows matched on (date, rep, outlet); the TOTAL row (line 7) is skipped
    # init's default language is id, and import speaks the data's language: Indonesian here
    assert "data/weeks/2026-W48/calls.csv: 3 baris rencana dilengkapi, 0 baris ditambahkan (0 sudah ada)" in (
        done.stdout
    )
    assert "kunjungan.csv:7: warning: baris 'TOTAL' dilewati" in done.stdout
    run(installed, team, "check")
    run(installed, team, "build", "--quiet")
    assert (team / "site" / "index.html").is_file()
    with zipfile.ZipFile(next(installed.parent.parent.glob("dist/*.whl"))) as wheel:
        assert "reports_gen/scaffold/empty/team.yaml" in wheel.namelist()
