"""`reports-gen init`: a new repository that checks and builds at once; never overwrites."""

from __future__ import annotations

import datetime as dt
import filecmp
from pathlib import Path

import pytest
import yaml
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


def test_requirement_reproduces_the_installation():
    from reports_gen.workflow.install import source_from_record

    vcs = {
        "url": "https://github.com/acme/reports-gen.git",
        "vcs_info": {"vcs": "git", "commit_id": "abc123"},
    }
    assert source_from_record("0.2.0", vcs).requirement == (
        "reports-gen @ git+https://github.com/acme/reports-gen.git@abc123"
    )
    assert source_from_record("0.2.0", None).requirement == "reports-gen==0.2.0"  # no record: an index
    token = {"url": "https://user:secret@github.com/a/b.git", "vcs_info": {"vcs": "git", "commit_id": "c1"}}
    assert "secret" not in source_from_record("0.2.0", token).requirement
    local = source_from_record("0.2.0", {"url": "file:///src", "dir_info": {"editable": True}})
    assert not local.reproducible and "file:///src" in local.note and "--requirement" in local.note


def test_requirement_option_is_written(tmp_path):
    result = CliRunner().invoke(
        cli, ["init", str(tmp_path / "t"), "--empty", "--no-git", "--requirement", "reports-gen==9.9.9"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "t" / "requirements.txt").read_text().splitlines()[-1] == "reports-gen==9.9.9"
    assert not (tmp_path / "t" / ".git").exists()


def test_empty_has_example_rows_and_no_company(tmp_path):
    init_repository(tmp_path / "t", "CV Maju Jaya", "id", empty=True)
    data = tmp_path / "t" / "data"
    assert (data / "outlets.csv").read_text().splitlines()[1].startswith("example-outlet,")
    checked = check_data(data)
    assert checked.errors == []
    assert [p.id for p in checked.dataset.org.people] == ["example-rep"]
    assert checked.dataset.config.company == "CV Maju Jaya"


@pytest.mark.parametrize("company", ["CV Maju\nJaya", "A\rB", "x" * 201])
def test_bad_company_names_are_refused(tmp_path, company):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "t"), "--company", company, "--no-git"])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "t").exists()


def test_markup_and_long_names_are_kept_whole_and_inert(tmp_path):
    name = "PT </title><script>alert(1)</script>" + " Nusantara" * 15  # 187 characters
    init_repository(tmp_path / "t", name, "en", empty=True)
    line = next(
        x for x in (tmp_path / "t" / "mkdocs.yml").read_text().splitlines() if x.startswith("site_name:")
    )
    assert yaml.safe_load(line)["site_name"] == name.replace("<", "&lt;").replace(">", "&gt;")
    assert check_data(tmp_path / "t" / "data").dataset.config.company == name  # not cut at 80


def test_force_never_writes_through_a_dangling_symlink(tmp_path):
    target, outside = tmp_path / "t", tmp_path / "outside.txt"
    target.mkdir()
    (target / "README.md").symlink_to(outside)
    result = CliRunner().invoke(cli, ["init", str(target), "--force", "--empty", "--no-git"])
    assert result.exit_code == 0, result.output
    assert not outside.exists()
    assert (target / "README.md").is_symlink()
