"""Rendered pages and their search entries are reused between builds, never wrongly (issue 14)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from fixtures import build_project, write_data

from reports_gen.site import pagecache


def _html(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and p.suffix in (".html", ".json")
    }


@pytest.fixture
def counted(monkeypatch):
    """Count the pages Python-Markdown converts."""
    calls: list[str] = []
    convert = markdown.Markdown.convert

    def counting(self, source):
        calls.append(source[:40])
        return convert(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", counting)
    return calls


def test_a_rebuild_renders_only_hand_written_pages_and_gives_the_same_site(tmp_path, counted):
    data = write_data(tmp_path / "data", {})
    project = tmp_path / "project"
    first = _html(build_project(project, data).site_dir)
    generated = len(list((project / ".reports-gen" / "pages").rglob("*.md")))
    hand_written = len(list((project / "site_src").rglob("*.md")))
    assert len(counted) == generated + hand_written
    counted.clear()
    (project / ".reports-gen" / "site.key").unlink()  # MkDocs runs again, as after a guide edit
    second = _html(build_project(project, data).site_dir)
    assert len(counted) == hand_written  # every generated page came from the cache
    assert second == first  # pages and search index byte for byte


def test_a_changed_week_renders_its_pages_again(tmp_path, counted):
    data = write_data(tmp_path / "data", {})
    project = tmp_path / "project"
    build_project(project, data)
    calls = data / "weeks" / "2026-W47" / "calls.csv"
    before = calls.read_text(encoding="utf-8")
    calls.write_text(before.replace(",500000,5,", ",600000,6,", 1), encoding="utf-8")
    assert calls.read_text(encoding="utf-8") != before
    counted.clear()
    site = build_project(project, data).site_dir
    assert len(counted) > len(list((project / "site_src").rglob("*.md")))  # some pages changed
    fresh = tmp_path / "fresh"
    assert _html(build_project(fresh, data).site_dir) == _html(site)  # same as a build without a cache


def test_the_cache_keeps_only_what_the_last_build_used(tmp_path):
    data = write_data(tmp_path / "data", {})
    project = tmp_path / "project"
    build_project(project, data)
    stale = project / ".reports-gen" / "cache" / "html" / "ab" / "ab-old.json"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_text("{}", encoding="utf-8")
    (project / ".reports-gen" / "site.key").unlink()  # MkDocs runs again, as after a guide edit
    build_project(project, data)
    assert not stale.exists()
    kept = list((project / ".reports-gen" / "cache" / "html").glob("*/*.json"))
    pages = len(list((project / ".reports-gen" / "pages").rglob("*.md")))
    assert len(kept) == pages  # a rendering (with its search entries) per generated page


def test_a_page_whose_rendering_warns_is_never_cached(tmp_path):
    data = write_data(tmp_path / "data", {})
    project = tmp_path / "project"
    build_project(project, data)
    broken = project / ".reports-gen" / "pages" / "broken.md"
    broken.write_text("# Broken\n\nSee [gone](nowhere.md).\n", encoding="utf-8")
    for _ in range(2):  # the second build would pass if the page came from the cache
        run = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict"],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 1
        assert "nowhere.md" in run.stderr


class _File:
    def __init__(self, url: str):
        self.url = url
        self.inclusion = type("I", (), {"is_excluded": lambda self: False})()


class _Files:
    def __init__(self, urls: dict[str, str]):
        self.urls = urls

    def get_file_from_path(self, path: str):
        return _File(self.urls[path]) if path in self.urls else None


def test_an_entry_is_not_used_when_a_page_it_linked_to_is_gone_or_moved(tmp_path):
    page = type("P", (), {"file": type("F", (), {"src_uri": "weeks/index.md"})()})()

    def cached(seen: dict[str, str | None]) -> pagecache.PageCache:
        (tmp_path / "k1"[:2]).mkdir(exist_ok=True)
        (tmp_path / "k1"[:2] / "k1.json").write_text(json.dumps({"content": "<p>x</p>", "seen": seen}))
        return pagecache.PageCache(tmp_path, "salt")

    linked = {"people/a.md": "people/a.html"}
    assert cached(linked).load("k1", page, _Files({"people/a.md": "people/a.html"})) is not None
    assert cached(linked).load("k1", page, _Files({})) is None  # the linked page is gone
    assert cached(linked).load("k1", page, _Files({"people/a.md": "people/a/"})) is None  # its URL changed
    missing = {"people/b.md": None}
    assert cached(missing).load("k1", page, _Files({"people/b.md": "people/b.html"})) is None  # now exists


def test_the_key_changes_with_the_markdown_settings(tmp_path):
    from fixtures import ROOT
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    plain = pagecache.fingerprint(config, fast_tables=True)
    assert pagecache.fingerprint(config, fast_tables=True) == plain  # stable between runs
    assert pagecache.fingerprint(config, fast_tables=False) != plain
    config["mdx_configs"]["toc"] = {"permalink": "#"}
    assert pagecache.fingerprint(config, fast_tables=True) != plain


def test_a_rebuild_with_nothing_changed_does_no_check_or_metric_work(tmp_path, monkeypatch):
    from reports_gen.site import build

    data = write_data(tmp_path / "data", {})
    project = tmp_path / "project"
    first = build_project(project, data)
    assert first.pages > 20

    def refuse(*args, **kwargs):
        raise AssertionError("the report was computed although nothing changed")

    monkeypatch.setattr(build, "cached_report", refuse)
    second = build_project(project, data)
    assert (second.pages, second.charts, second.charts_drawn) == (first.pages, first.charts, 0)
    calls = data / "weeks" / "2026-W47" / "calls.csv"
    extra = "2026-11-20,budi,O3,no,yes,1000,1,,\n"
    calls.write_text(calls.read_text(encoding="utf-8") + extra, encoding="utf-8")
    with pytest.raises(AssertionError, match="nothing changed"):
        build_project(project, data)  # the data changed: the report is needed


def test_pages_made_outside_a_build_are_never_taken_for_the_keyed_ones(tmp_path):
    from reports_gen.site.build import PAGES_KEY, WORK_DIR, regenerate_pages

    data = write_data(tmp_path / "data", {})
    project = tmp_path / "project"
    build_project(project, data)
    assert (project / WORK_DIR / PAGES_KEY).exists()
    regenerate_pages(data, project)  # what a plain `mkdocs build` does when the data changed
    assert not (project / WORK_DIR / PAGES_KEY).exists()


def test_a_new_generation_links_unchanged_files_and_writes_the_changed_ones(tmp_path):
    from reports_gen.site.folders import write_tree

    old, new = tmp_path / "pages", tmp_path / "pages.new"
    write_tree(old, {"a/index.md": b"same", "b.md": b"before", "c.svg": b"<svg/>"})
    write_tree(new, {"a/index.md": b"same", "b.md": b"after!", "d.md": b"new"}, reuse=old)
    assert (new / "a" / "index.md").stat().st_ino == (old / "a" / "index.md").stat().st_ino  # linked
    assert (new / "b.md").read_bytes() == b"after!"
    assert (new / "b.md").stat().st_ino != (old / "b.md").stat().st_ino
    assert (new / "d.md").read_bytes() == b"new"
    assert not (new / "c.svg").exists()  # only what this generation has
    assert (old / "b.md").read_bytes() == b"before"  # the previous generation is untouched


def test_a_page_about_a_past_period_says_the_data_up_to_that_period(tmp_path):
    from reports_gen.metrics.report import compute_report
    from reports_gen.site.pages import _page_upto
    from reports_gen.site.views import View

    # W45 and W47 exist (the base files); W46 is missing.
    header = "date,rep_id,outlet_id,planned,visited,order_value,units,no_order_reason,notes\n"
    view = View(compute_report(write_data(tmp_path / "data", {"weeks/2026-W45/calls.csv": header})))
    assert _page_upto(view, "weeks/2026-W45/index.md") == "2026-W45"
    assert _page_upto(view, "alerts/2026-W45/index.md") == "2026-W45"
    assert _page_upto(view, "reasons/2026-W47.md") == "2026-W47"
    assert _page_upto(view, "targets/2026-10/index.md") == ""  # October ends before any week shown
    assert _page_upto(view, "targets/2026-11/index.md") == "2026-W47"  # the month still running
    assert _page_upto(view, "targets/2026-Q4/index.md") == "2026-W47"
    assert _page_upto(view, "people/andi/index.md") == ""  # a page about the whole data
    assert _page_upto(view, "weeks/2026-W99/index.md") == ""  # not a week


def test_a_build_with_nothing_changed_leaves_the_site_as_it_is(tmp_path, monkeypatch):
    from reports_gen.site import build

    data = write_data(tmp_path / "data", {})
    project = tmp_path / "project"
    first = build_project(project, data)
    site = _html(first.site_dir)

    def refuse(*args, **kwargs):
        raise AssertionError("MkDocs ran although nothing changed")

    monkeypatch.setattr(build, "_mkdocs_build", refuse)
    again = build_project(project, data)
    assert (again.pages, again.charts) == (first.pages, first.charts)
    assert _html(again.site_dir) == site
    # a hand-written page changed: MkDocs builds again
    guide = project / "site_src" / "guide" / "index.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="MkDocs ran"):
        build_project(project, data)
    monkeypatch.undo()
    build_project(project, data)
    # the site folder was deleted: built again
    import shutil

    shutil.rmtree(project / "site")
    monkeypatch.setattr(build, "_mkdocs_build", refuse)
    with pytest.raises(AssertionError, match="MkDocs ran"):
        build_project(project, data)
