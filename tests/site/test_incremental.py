"""A rebuild renders only what changed and takes the rest over, with the site a full build makes."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from pathlib import Path

import pytest
from fixtures import CALLS_W47, build_project, tree_digest, write_data

from reports_gen.site.incremental import MANIFEST
from reports_gen.site.pagecache import leads_as_before

# One more order for andi in week 47: his week, team and company figures change, the guide does not.
ONE_MORE_ROW = CALLS_W47 + "2026-11-20,andi,O1,no,yes,1000,1,,\n"


def _inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


def _assert_built_in_full(tmp_path: Path, project: Path, data: Path) -> None:
    """Change one row and rebuild: no file is taken over, and the site is a first build's."""
    before = _inodes(project / "site")
    write_data(tmp_path / "data", {"weeks/2026-W47/calls.csv": ONE_MORE_ROW})
    build_project(project, data)
    after = _inodes(project / "site")
    assert not {uri for uri, inode in after.items() if before.get(uri) == inode}
    assert tree_digest(project / "site") == _clean_build(tmp_path, data)


def _clean_build(tmp_path: Path, data: Path) -> str:
    """The digest of the site a first build of `data` makes in a fresh project."""
    build_project(tmp_path / "clean", data)
    return tree_digest(tmp_path / "clean" / "site")


def test_one_changed_row_rebuilds_its_pages_and_takes_the_others_over(tmp_path):
    data = write_data(tmp_path / "data", {})
    project = tmp_path / "project"
    build_project(project, data)
    before = _inodes(project / "site")
    write_data(tmp_path / "data", {"weeks/2026-W47/calls.csv": ONE_MORE_ROW})
    build_project(project, data)
    after = _inodes(project / "site")
    kept = {uri for uri, inode in after.items() if before.get(uri) == inode}
    # citra's and the west team's pages and the theme's files are the last build's files,
    # linked; hand-written pages (the guide) are rendered on every build
    assert {"people/citra/index.html", "teams/west/index.html", "assets/reports-gen.css"} <= kept
    assert "guide/metrics.html" not in kept
    # andi's week page, his person page, the home page and the search index were made again
    week = next(
        uri for uri in after if uri.startswith("weeks/") and "2026-W47" in uri and uri.endswith(".html")
    )
    assert week not in kept
    assert not {"index.html", "people/andi.html", "search/search_index.json"} & kept
    assert 0 < len(kept) < len(after)
    # and the site is, byte for byte, the one a first build of the same data makes
    assert tree_digest(project / "site") == _clean_build(tmp_path, data)


def test_the_search_index_keeps_the_page_order_of_a_full_build(tmp_path):
    data = write_data(tmp_path / "data", {})
    project = tmp_path / "project"
    build_project(project, data)
    write_data(tmp_path / "data", {"weeks/2026-W47/calls.csv": ONE_MORE_ROW})
    build_project(project, data)
    docs = json.loads((project / "site" / "search" / "search_index.json").read_text())["docs"]
    _clean_build(tmp_path, data)
    clean = json.loads((tmp_path / "clean" / "site" / "search" / "search_index.json").read_text())["docs"]
    assert [d["location"] for d in docs] == [d["location"] for d in clean]
    assert any(d["location"].startswith("people/citra/") for d in docs)  # a page taken over


def test_a_site_touched_since_its_build_is_built_in_full(tmp_path):
    data = write_data(tmp_path / "data", {})
    project = tmp_path / "project"
    build_project(project, data)
    page = project / "site" / "people" / "citra" / "index.html"
    page.write_text(page.read_text() + "<!-- edited by hand -->")
    _assert_built_in_full(tmp_path, project, data)


def test_a_new_menu_label_rebuilds_every_page(tmp_path):
    # the guide's title labels the menu of every page, those taken over included
    data = write_data(tmp_path / "data", {})
    project = tmp_path / "project"
    build_project(project, data)
    guide = project / "site_src" / "guide" / "metrics.md"
    text = guide.read_text()
    first = next(line for line in text.splitlines() if line.startswith("# "))
    guide.write_text(text.replace(first, "# How the figures are counted", 1))
    build_project(project, data)
    weeks = (project / "site" / "weeks" / "index.html").read_text()
    assert "How the figures are counted" in weeks
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "site_src").mkdir()
    os.rename(project / "site_src" / "guide", clean / "site_src" / "guide")
    assert tree_digest(project / "site") == _clean_build(tmp_path, data)


@pytest.mark.parametrize(
    "damage",
    [
        lambda m: "{not json",
        lambda m: json.dumps({**m, "pages": {uri: 5 for uri in m["pages"]}}),  # records not records
        lambda m: json.dumps({**m, "files": None}),
        lambda m: json.dumps({**m, "format": 99}),  # another version's
    ],
)
def test_a_damaged_manifest_gives_a_full_build(tmp_path, damage):
    data = write_data(tmp_path / "data", {})
    project = tmp_path / "project"
    build_project(project, data)
    manifest = project / ".reports-gen" / MANIFEST
    manifest.write_text(damage(json.loads(manifest.read_text())))
    _assert_built_in_full(tmp_path, project, data)
    assert json.loads((project / ".reports-gen" / MANIFEST).read_text())["format"] == 1


def test_a_page_that_warned_warns_again_on_the_next_build(tmp_path, caplog):
    # a page taken over is not rendered, so it could not warn: after a build that logged a
    # warning no page is taken over, and the warning comes back as it did before
    data = write_data(tmp_path / "data", {})
    project = tmp_path / "project"
    (project / "site_src").mkdir(parents=True)
    (project / "site_src" / "notes.md").write_text("# Notes\n\nSee [the plan](missing-plan.md).\n")
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        build_project(project, data, strict=False)
    assert sum("missing-plan.md" in r.getMessage() for r in caplog.records) == 1
    assert not (project / ".reports-gen" / MANIFEST).exists()
    caplog.clear()
    write_data(tmp_path / "data", {"weeks/2026-W47/calls.csv": ONE_MORE_ROW})
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        build_project(project, data, strict=False)
    assert sum("missing-plan.md" in r.getMessage() for r in caplog.records) == 1


def test_serve_renders_again_only_what_changed_and_serves_the_whole_site(tmp_path):
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    def get(url: str, deadline: float) -> str:
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:  # minus the reload epochs
                    return re.sub(r"livereload\(\d+, \d+\)", "", response.read().decode("utf-8"))
            except OSError:
                assert time.monotonic() < deadline, f"{url} was not served"
                time.sleep(0.5)

    data = write_data(tmp_path / "data", {})
    project = tmp_path / "project"
    build_project(project, data)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "reports_gen", "serve", "--data", str(data)]
    command += ["-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"]
    temp = tmp_path / "temp"  # where the dev server makes its site folder
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 120
        page = get(f"{base}/people/andi/index.html", deadline)
        assert "Rp750,000" in page  # andi's revenue in W47: 500,000 + 250,000
        citra = get(f"{base}/people/citra/index.html", deadline)
        (site,) = temp.glob("mkdocs_*")
        first = {uri: (p.stat().st_mtime_ns) for uri, p in _files(site).items()}
        indexed = json.loads(get(f"{base}/search/search_index.json", deadline))["docs"]
        write_data(tmp_path / "data", {"weeks/2026-W47/calls.csv": ONE_MORE_ROW})
        while "Rp751,000" not in page:  # one more order of 1,000
            assert time.monotonic() < deadline, "the page was not regenerated"
            time.sleep(1)
            page = get(f"{base}/people/andi/index.html", deadline)
        # a page taken over is still served, as it was; the search index covers every page
        assert get(f"{base}/people/citra/index.html", deadline) == citra
        index = f"{base}/search/search_index.json"
        served = json.loads(get(index, deadline))["docs"]
        while served == indexed:  # the index is written last, after the pages
            assert time.monotonic() < deadline, "the search index was not written again"
            time.sleep(1)
            served = json.loads(get(index, deadline))["docs"]
        then = {uri: (p.stat().st_mtime_ns) for uri, p in _files(site).items()}
    finally:
        process.terminate()
        process.wait(timeout=20)
    _clean_build(tmp_path, data)
    clean = json.loads((tmp_path / "clean" / "site" / "search" / "search_index.json").read_text())["docs"]
    assert served == clean
    # citra's page was not written again, andi's page was
    assert then["people/citra/index.html"] == first["people/citra/index.html"]
    assert then["people/andi/index.html"] != first["people/andi/index.html"]
    assert set(then) == set(first)


def _files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}


def test_a_new_week_takes_the_unchanged_pages_over(tmp_path):
    # files only added: every link of an unchanged page still leads where it did
    data = write_data(tmp_path / "data", {})
    project = tmp_path / "project"
    build_project(project, data)
    before = _inodes(project / "site")
    week48 = {
        f"weeks/2026-W48/{name}": _shifted((data / "weeks" / "2026-W47" / name).read_text(), 7)
        for name in ("calls.csv", "sales.csv", "activities.csv", "prospects.csv")
    }
    write_data(tmp_path / "data", week48)
    build_project(project, data)
    after = _inodes(project / "site")
    kept = {uri for uri, inode in after.items() if before.get(uri) == inode}
    # week 47's ranking and reasons pages say nothing of week 48: taken over
    assert {"rankings/2026-W47.html", "reasons/2026-W47.html", "assets/reports-gen.css"} <= kept
    assert any("2026-W48" in uri for uri in set(after) - set(before))  # the new week's pages
    assert tree_digest(project / "site") == _clean_build(tmp_path, data)


def test_a_week_gone_leaves_no_page_of_it(tmp_path):
    data = write_data(tmp_path / "data", {})
    (data / "weeks" / "2026-W46").mkdir()
    # week 46 (before budi started): andi's and citra's calls of week 47, a week earlier
    calls = "".join(line for line in CALLS_W47.splitlines(True) if ",budi," not in line)
    (data / "weeks" / "2026-W46" / "calls.csv").write_text(_shifted(calls, -7))
    project = tmp_path / "project"
    build_project(project, data, strict=False)  # dewi has no rows in week 46: a warning
    before = _inodes(project / "site")
    shutil.rmtree(data / "weeks" / "2026-W46")
    build_project(project, data, strict=False)
    after = _inodes(project / "site")
    assert [uri for uri in before if "2026-W46" in uri] and not [uri for uri in after if "2026-W46" in uri]
    assert tree_digest(project / "site") == _clean_build(tmp_path, data)


class _Found:
    def __init__(self, url: str):
        self.url = url
        self.inclusion = self  # answer() asks found.inclusion.is_excluded()

    def is_excluded(self) -> bool:
        return False


class _Files:
    def __init__(self, *uris: str):
        self.found = {uri: _Found(uri.replace(".md", ".html")) for uri in uris}

    def get_file_from_path(self, path: str) -> _Found | None:
        return self.found.get(path)


def test_a_page_is_taken_over_only_if_its_links_lead_where_they_did():
    # what the page cache noted while the page was rendered: a.md was found, b.md was not
    seen = {"a.md": "a.html", "b.md": None}
    assert leads_as_before(seen, _Files("a.md", "c.md"))  # c.md is new, but not linked
    assert not leads_as_before(seen, _Files("a.md", "b.md"))  # b.md came: its link now resolves
    assert not leads_as_before(seen, _Files("c.md"))  # a.md is gone: its link now warns


def _shifted(text: str, days: int) -> str:
    """The same rows `days` later (a week's log moved to another week)."""
    import datetime as dt

    move = lambda m: (dt.date.fromisoformat(m.group(0)) + dt.timedelta(days=days)).isoformat()  # noqa: E731
    return re.sub(r"\d{4}-\d{2}-\d{2}", move, text)


def test_serve_looks_for_changed_files_every_tenth_of_a_second(tmp_path: Path):
    from mkdocs.commands import serve as mkdocs_serve
    from mkdocs.livereload import LiveReloadServer

    from reports_gen.site.serve import POLL_SECONDS, polling_every

    where = {"builder": lambda: None, "host": "127.0.0.1", "port": 0, "root": str(tmp_path)}
    assert POLL_SECONDS == 0.1
    with polling_every(POLL_SECONDS):
        server = mkdocs_serve.LiveReloadServer(**where)
        assert server.observer.timeout == 0.1 and server.build_delay == 0.05
    assert mkdocs_serve.LiveReloadServer is LiveReloadServer  # put back after `serve`
    assert LiveReloadServer(**where).observer.timeout == 0.5  # MkDocs's own
    assert LiveReloadServer(**where).build_delay == 0.1


def test_serve_on_a_project_never_built_lists_the_generated_pages_at_once(tmp_path):
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from fixtures import new_project

    data = write_data(tmp_path / "data", {})
    project = new_project(tmp_path / "project")  # no `build` yet: no generated page
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "reports_gen", "serve", "--data", str(data)]
    command += ["-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"]
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    home = response.read().decode("utf-8")
                break
            except OSError:
                assert time.monotonic() < deadline, "the site was not served"
                time.sleep(0.5)
        # the first preview's menu has the generated pages (MkDocs read its navigation after they were made)
        assert all(f'href="{tab}/index.html"' in home for tab in ("people", "weeks", "targets", "outlets"))
    finally:
        process.terminate()
        process.wait(timeout=30)
