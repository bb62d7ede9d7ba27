"""`reports-gen digest` through click's CliRunner: the week's summary as text or HTML, exit codes.

Base data (tests/fixtures.py), English, week 2026-W47: revenue 1,150,000 (andi 750,000, citra
400,000 with a 100,000 WhatsApp sale); AC 4, EC 3. The weekly target comes from the metrics
layer (its rule is tested in tests/metrics); the digest must show that figure.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures import CONFIG, write_data

from reports_gen.cli import cli
from reports_gen.i18n import Translator
from reports_gen.metrics.report import compute_report


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no mkdocs.yml here: the link is the page's path
    return write_data(tmp_path / "data", {})


def test_digest_text_for_the_company(data):
    result = CliRunner().invoke(cli, ["--data", str(data), "digest"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"*PT Uji Coba · {Translator('en').period('2026-W47')}*"  # Week 47 (Nov 16 – 22, 2026)
    assert lines[1] == "Revenue Rp1,150,000"  # the first week: no change to show
    weekly = compute_report(data).metrics.weekly.set_index(["week", "scope", "id"])
    target = weekly.loc[("2026-W47", "company", ""), "revenue_target"]
    tr = Translator("en", "IDR")
    assert lines[2] == f"Target {tr.money(target)} · attainment {tr.percent(1_150_000 / target)}"
    assert lines[3] == "AC 4 · EC 3 · EC ratio 75% · PJP 75% · coverage 100%"  # 3/4; 3 of 4 planned visited
    assert lines[-1] == "Full report: weeks/2026-W47/"
    assert len(result.output) <= 1000


def test_digest_for_a_team_as_html(data):
    result = CliRunner().invoke(cli, ["--data", str(data), "digest", "--team", "west", "--format", "html"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("<!DOCTYPE html>")
    assert f"<title>West · {Translator('en').period('2026-W47')}</title>" in result.output
    assert "Revenue Rp400,000" in result.output  # citra: 300,000 on a visit + 100,000 by WhatsApp
    assert "<script" not in result.output and "http" not in result.output.replace("http-equiv", "")


def test_digest_unknown_team_is_a_usage_error(data):
    result = CliRunner().invoke(cli, ["--data", str(data), "digest", "--team", "north"])
    assert result.exit_code == 2
    assert "Invalid value for --team: there is no team 'north' in team.yaml" in result.output
    assert "Traceback" not in result.output


def test_digest_unknown_team_in_indonesian(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    data = write_data(tmp_path / "data", {"config.yaml": CONFIG.replace("language: en", "language: id")})
    result = CliRunner().invoke(cli, ["--data", str(data), "digest", "--team", "north"])
    assert result.exit_code == 2
    assert "tidak ada tim 'north' di team.yaml" in result.output


def test_digest_link_follows_mkdocs_yml_as_it_is_edited(data, tmp_path: Path):
    # The link is read from mkdocs.yml once per version of the file: an edit shows at once.
    (tmp_path / "mkdocs.yml").write_text("site_name: X\nsite_url: https://sales.example.org/kinerja\n")
    result = CliRunner().invoke(cli, ["--data", str(data), "digest"])
    assert result.output.splitlines()[-1] == "Full report: https://sales.example.org/kinerja/weeks/2026-W47/"
    (tmp_path / "mkdocs.yml").write_text("site_name: X\nuse_directory_urls: false\n")
    result = CliRunner().invoke(cli, ["--data", str(data), "digest"])
    assert result.output.splitlines()[-1] == "Full report: weeks/2026-W47/index.html"  # the file
