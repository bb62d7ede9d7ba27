"""The same site from Zensical: `build --engine zensical` makes the pages MkDocs makes."""

from __future__ import annotations

import shutil

import pytest
import yaml
from fixtures import ROOT

from reports_gen.site.build import build_site
from reports_gen.site.zensical import zensical_available, zensical_config

pytestmark = pytest.mark.skipif(not zensical_available(), reason="zensical is not installed")


def _files(site, pattern):
    return {p.relative_to(site).as_posix() for p in site.rglob(pattern) if p.is_file()}


def test_zensical_builds_the_same_pages_charts_and_downloads(example_site, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "site_src", project / "site_src")
    result = build_site(ROOT / "data", project / "site", project=project, engine="zensical")
    mkdocs_site, zensical_site = example_site.site_dir, result.site_dir
    assert result.pages == example_site.pages
    assert _files(zensical_site, "*.html") == _files(mkdocs_site, "*.html")
    assert _files(zensical_site / "charts", "*.svg") == _files(mkdocs_site / "charts", "*.svg")
    assert _files(zensical_site / "downloads", "*") == _files(mkdocs_site / "downloads", "*")
    week = (zensical_site / "weeks" / "2026-W47" / "index.html").read_text(encoding="utf-8")
    assert "reports-gen.css" in week and 'lang="id"' in week


def test_the_generated_configuration_keeps_tags_and_drops_our_plugin(tmp_path):
    mkdocs_yml = tmp_path / "mkdocs.yml"
    mkdocs_yml.write_text(
        "site_name: X\nplugins:\n  - search\n  - reports-gen:\n      data_dir: data\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        encoding="utf-8",
    )
    nav = [{"Beranda": "index.md"}]
    text = zensical_config(mkdocs_yml, tmp_path / "docs", tmp_path / "site", nav, "id", ["a.css"], [], None)
    assert "!!python/name:material.extensions.emoji.twemoji" in text
    config = yaml.load(text.replace("!!python/name:", ""), Loader=yaml.SafeLoader)
    assert config["plugins"] == ["search"]
    assert config["nav"] == nav
    assert config["theme"] == {"language": "id", "font": False}
    assert config["extra_css"] == ["a.css"]
