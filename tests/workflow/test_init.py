"""`reports-gen init`: a new repository that checks and builds at once; never overwrites."""

from __future__ import annotations

import datetime as dt
import filecmp
from pathlib import Path

from click.testing import CliRunner
from fixtures import ROOT

from reports_gen.cli import cli
from reports_gen.dataset.dataset import check_data
from reports_gen.site.build import build_site
from reports_gen.workflow.init import SCAFFOLD, init_repository


def test_init_then_check_and_build(tmp_path):
    target = tmp_path / "acme"
    result = CliRunner().invoke(cli, ["init", str(target), "--company", "PT Maju: Jaya", "--language", "en"])
    assert result.exit_code == 0, result.output
    for name in (
        "mkdocs.yml",
        ".gitignore",
        "requirements.txt",
        "README.md",
        ".github/workflows/check.yml",
        ".github/workflows/publish.yml",
        ".github/pull_request_template.md",
        "site_src/guide/index.md",
        "site_src/guide/metrics.md",
        "data/config.yaml",
        "data/team.yaml",
        "data/outlets.csv",
        "data/targets.yaml",
    ):
        assert (target / name).is_file(), name
    assert "site_name: 'PT Maju: Jaya'" in (target / "mkdocs.yml").read_text()
    checked = check_data(target / "data")
    assert checked.errors == []
    assert checked.dataset.config.company == "PT Maju: Jaya"
    assert checked.dataset.config.language == "en"
    assert len(checked.dataset.weeks) == 1
    built = build_site(target / "data", project=target, strict=True)
    assert (target / "site" / "index.html").exists()
    assert built.site_dir == target / "site"
    assert '<html lang="en"' in (target / "site" / "index.html").read_text()


def test_example_week_is_the_last_finished_week(tmp_path):
    init_repository(tmp_path / "r", "PT A", "id", today=dt.date(2026, 11, 26))  # a Thursday of W48
    assert [p.name for p in (tmp_path / "r" / "data" / "weeks").iterdir()] == ["2026-W47"]


def test_init_refuses_a_non_empty_directory(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["init", str(tmp_path), "--language", "en"])
    assert result.exit_code == 1
    assert "is not empty" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_init_force_adds_only_missing_files(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: Mine\n")
    result = CliRunner().invoke(cli, ["init", str(tmp_path), "--force", "--language", "en"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mkdocs.yml").read_text() == "site_name: Mine\n"
    assert "kept" in result.output and "mkdocs.yml" in result.output
    assert (tmp_path / "data" / "team.yaml").exists()


def test_scaffold_copies_match_this_repository():
    # GitHub needs real files in .github/; the package carries the copies `init` writes.
    for name in ("check.yml", "publish.yml"):
        assert filecmp.cmp(
            ROOT / ".github" / "workflows" / name, SCAFFOLD / "github" / "workflows" / name, shallow=False
        ), name
    ours = (ROOT / "mkdocs.yml").read_text().splitlines()
    scaffold = (SCAFFOLD / "mkdocs.yml").read_text().splitlines()
    assert [line for line in ours if not line.startswith("site_name:")] == [
        line for line in scaffold if not line.startswith("site_name:")
    ]
    for page in (ROOT / "site_src" / "guide").glob("*.md"):
        assert page.resolve() == (SCAFFOLD / "site_src" / "guide" / page.name).resolve()


def test_unknown_language_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "x"), "--language", "fr"])
    assert result.exit_code == 2
    assert not Path(tmp_path / "x").exists()
