"""`reports-gen build` and `serve`: atomic output, unchanged charts not redrawn, live regeneration."""

from __future__ import annotations

import errno
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from click.testing import CliRunner
from fixtures import CALLS_W47, CONFIG, build_project, new_project, tree_digest, write_data

from reports_gen.cli import cli
from reports_gen.site.folders import STAMP, STAMP_TEXT, aside, build_lock, restore, swap_in


def test_unchanged_charts_are_not_redrawn(tmp_path):
    data = write_data(tmp_path / "data", {})
    first = build_project(tmp_path / "project", data)
    assert first.charts_drawn == first.charts > 10
    second = build_project(tmp_path / "project", data)
    assert second.charts_drawn == 0
    # one more order changes the company's, east's and andi's charts, not citra's
    write_data(
        tmp_path / "data", {"weeks/2026-W47/calls.csv": CALLS_W47 + "2026-11-20,andi,O1,no,yes,1000,1,,\n"}
    )
    third = build_project(tmp_path / "project", data)
    assert 0 < third.charts_drawn < third.charts


def test_invalid_data_leaves_the_previous_site(tmp_path):
    data = write_data(tmp_path / "data", {})
    build_project(tmp_path / "project", data)
    index = tmp_path / "project" / "site" / "index.html"
    before = index.read_bytes()
    write_data(
        tmp_path / "data",
        {"outlets.csv": "outlet_id,name,type,area,rep_id,visits_per_week\nO1,X,shop,A,andi,1\n"},
    )
    runner = CliRunner()
    result = runner.invoke(
        cli, ["build", "--data", str(data), "-f", str(tmp_path / "project" / "mkdocs.yml")]
    )
    assert result.exit_code == 1
    assert "outlets.csv:2:" in result.output and "unknown outlet type 'shop'" in result.output
    assert index.read_bytes() == before


def test_build_command_output(tmp_path):
    data = write_data(tmp_path / "data", {})
    build_project(tmp_path / "project", data)  # copies mkdocs.yml and site_src
    result = CliRunner().invoke(
        cli, ["build", "--data", str(data), "-f", str(tmp_path / "project" / "mkdocs.yml"), "--strict"]
    )
    assert result.exit_code == 0, result.output
    assert "✓ built" in result.output
    assert "WARNING" not in result.output


def test_missing_mkdocs_yml_is_a_clean_error(tmp_path):
    data = write_data(tmp_path / "data", {})
    result = CliRunner().invoke(cli, ["build", "--data", str(data), "-f", str(tmp_path / "nope.yml")])
    assert result.exit_code == 1
    assert "nope.yml not found" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_serve_regenerates_when_data_changes(tmp_path):
    data = write_data(tmp_path / "data", {})
    project = tmp_path / "project"
    build_project(project, data)
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reports_gen",
            "serve",
            "--data",
            str(data),
            "-f",
            str(project / "mkdocs.yml"),
            "-a",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 90
        page = _get(f"http://127.0.0.1:{port}/people/andi/index.html", deadline)
        assert "Rp750,000" in page  # andi's revenue in W47
        write_data(
            tmp_path / "data",
            {"weeks/2026-W47/calls.csv": CALLS_W47 + "2026-11-20,andi,O1,no,yes,250000,1,,\n"},
        )
        while "Rp1,000,000" not in page:
            assert time.monotonic() < deadline, "the page was not regenerated"
            time.sleep(1)
            page = _get(f"http://127.0.0.1:{port}/people/andi/index.html", deadline)
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_plain_mkdocs_build_after_generation(tmp_path):
    data = write_data(tmp_path / "data", {})
    project = tmp_path / "project"
    build_project(project, data)
    (project / "data").symlink_to(data)  # mkdocs.yml names data_dir: data
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", "plain"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (project / "plain" / "people" / "andi" / "index.html").read_text(encoding="utf-8") == (
        project / "site" / "people" / "andi" / "index.html"
    ).read_text(encoding="utf-8")


# -- the site folder: guarded, stamped, swapped whole -------------------------------------------

GUARD_TAIL = "a build replaces its whole site directory; choose a folder of its own, such as site"


def _project(tmp_path):
    return write_data(tmp_path / "data", {}), new_project(tmp_path / "project")


def _build(project, data, *extra):
    return CliRunner().invoke(
        cli, ["build", "-q", "--data", str(data), "-f", str(project / "mkdocs.yml"), *extra]
    )


@pytest.mark.parametrize(
    ("site_dir", "message"),
    [
        (".", "site directory . is the project root: " + GUARD_TAIL),
        ("project", "site directory project is the project root: " + GUARD_TAIL),
        ("data", "site directory data is the data directory: " + GUARD_TAIL),
        ("project/site_src", "site directory project/site_src is the docs directory: " + GUARD_TAIL),
        (
            "data/weeks/site",
            "site directory data/weeks/site lies inside the data directory (data): "
            "choose a folder outside it, such as site",
        ),
        (
            "project/site_src/out",
            "site directory project/site_src/out lies inside the docs directory "
            "(project/site_src): choose a folder outside it, such as site",
        ),
        (
            "project/.reports-gen",
            "site directory project/.reports-gen lies inside the work folder "
            "(project/.reports-gen): choose a folder outside it, such as site",
        ),
    ],
)
def test_site_dir_that_would_replace_something_else_is_refused(tmp_path, monkeypatch, site_dir, message):
    data, project = _project(tmp_path)
    monkeypatch.chdir(tmp_path if site_dir != "." else project)
    before = tree_digest(tmp_path)
    result = _build(project, data, "--site-dir", site_dir)
    assert result.exit_code == 2
    assert result.output == f"error: {message}\n"
    assert tree_digest(tmp_path) == before  # nothing written, not even the work folder


def test_site_dir_holding_the_project_or_a_git_root_is_refused(tmp_path, monkeypatch):
    data, project = _project(tmp_path)
    (project / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    result = _build(project, data, "--site-dir", str(tmp_path))
    assert result.exit_code == 2
    # tmp_path holds data/ and project/; the project root is named first
    assert result.output == f"error: site directory . holds the project root (project): {GUARD_TAIL}\n"
    inner = project / "sub"
    (inner / ".git").mkdir(parents=True)  # a nested repository's root
    result = _build(project, data, "--site-dir", str(inner))
    assert result.exit_code == 2
    assert (
        result.output == "error: site directory project/sub is the root of a git work tree: choose another\n"
    )
    result = _build(project, data, "--site-dir", str(project / ".git" / "site"))
    assert result.exit_code == 2
    assert (
        result.output == "error: site directory project/.git/site lies inside a .git folder: choose another\n"
    )


def test_a_folder_not_made_by_a_build_is_not_replaced(tmp_path, monkeypatch):
    data, project = _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_text("years of work")
    result = _build(project, data, "--site-dir", "mine")
    assert result.exit_code == 2
    assert result.output == (
        "error: site directory mine is not empty and was not made by `reports-gen build` "
        "(no .reports-gen-site file in it): move it away or choose another --site-dir\n"
    )
    assert (tmp_path / "mine" / "thesis.docx").read_text() == "years of work"


def test_a_refused_site_dir_is_told_in_the_data_language(tmp_path, monkeypatch):
    data, project = _project(tmp_path)
    write_data(data, {"config.yaml": CONFIG.replace("language: en", "language: id")})
    monkeypatch.chdir(tmp_path)
    before = tree_digest(tmp_path)
    result = _build(project, data, "--site-dir", "data")
    assert result.exit_code == 2
    assert result.output == (
        "error: folder situs data adalah folder data, padahal build selalu mengganti seluruh isi "
        "folder situs; pilih folder tersendiri, misalnya site\n"
    )
    result = _build(project, data, "--site-dir", "data/weeks/site")
    assert result.exit_code == 2
    assert result.output == (
        "error: folder situs data/weeks/site berada di dalam folder data (data); "
        "pilih folder di luarnya, misalnya site\n"
    )
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_text("years of work")
    result = _build(project, data, "--site-dir", "mine")
    assert result.exit_code == 2
    assert result.output == (
        "error: folder situs mine tidak kosong dan bukan buatan `reports-gen build` (tidak ada file "
        ".reports-gen-site di dalamnya); pindahkan folder itu, atau pilih --site-dir lain\n"
    )
    (tmp_path / "mine" / "thesis.docx").unlink()
    (tmp_path / "mine").rmdir()
    assert tree_digest(tmp_path) == before  # nothing written


def test_a_built_site_is_stamped_and_replaced_by_the_next_build(tmp_path, monkeypatch):
    data, project = _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert _build(project, data, "--site-dir", "out").exit_code == 0
    assert (tmp_path / "out" / STAMP).read_text() == STAMP_TEXT
    (tmp_path / "out" / "stale.html").write_text("from an older build")
    assert _build(project, data, "--site-dir", "out").exit_code == 0
    assert not (tmp_path / "out" / "stale.html").exists()
    assert (tmp_path / "out" / "index.html").exists()
    leftovers = sorted(p.name for p in (project / ".reports-gen").iterdir())
    # no site.new, pages.new or .old folders left over (site.manifest: see test_incremental.py)
    assert leftovers == [
        "build.lock",
        "cache",
        "pages",
        "pages.digest",
        "pages.key",
        "site.key",
        "site.manifest",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "out", "project"]


def test_a_second_build_exits_while_one_runs(tmp_path):
    data, project = _project(tmp_path)
    with build_lock(project / ".reports-gen", project):
        result = _build(project, data)
    assert result.exit_code == 1
    assert result.output == f"error: another build is running in {project}\n"
    assert not (project / "site").exists()


def test_the_lock_sweeps_what_a_killed_command_left_in_the_work_folder(tmp_path):
    # a SIGKILL between mkstemp and rename leaves ".NAME.XXXX.tmp"; the next holder of the lock
    # removes it, and nothing else
    work = tmp_path / ".reports-gen"
    (work / "cache" / "html" / "53").mkdir(parents=True)
    left = [work / "cache" / "html" / "53" / ".53f9.json.yq7xw7is.tmp", work / ".pages.digest.ab12.tmp"]
    kept = [work / "cache" / "html" / "53" / "53f9.json", work / "pages" / "notes.tmp"]
    for path in left + kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    with build_lock(work, tmp_path):
        assert [p for p in left if p.exists()] == []
    assert all(p.read_text() == "x" for p in kept)


def test_swap_exchanges_whole_folders(tmp_path):
    target, new = tmp_path / "site", tmp_path / "new"
    for folder, text in ((target, "old"), (new, "new")):
        folder.mkdir()
        (folder / "index.html").write_text(text)
    swap_in(new, target)
    assert (target / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_crash_between_two_renames_is_undone_by_the_next_swap(tmp_path, monkeypatch):
    # where the system cannot exchange two folders, the swap renames twice; a crash in between
    # leaves the old site aside, and the next build (swap_in calls restore first) puts it back
    import reports_gen.site.folders as folders

    target, new = tmp_path / "site", tmp_path / "new"
    for folder, text in ((target, "old"), (new, "new")):
        folder.mkdir()
        (folder / "index.html").write_text(text)
    monkeypatch.setattr(folders, "_exchange", lambda a, b: False)
    renames = []

    def crash_on_second(src, dst):
        renames.append((src, dst))
        if len(renames) == 2:
            raise KeyboardInterrupt  # stands for the kill
        os.replace(src, dst)

    monkeypatch.setattr(folders.os, "rename", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        swap_in(new, target)
    monkeypatch.setattr(folders.os, "rename", os.replace)
    assert not target.exists() and (aside(target) / "index.html").read_text() == "old"
    restore(target)
    assert (target / "index.html").read_text() == "old"
    swap_in(new, target)
    assert (target / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_full_disk_while_writing_pages_is_one_line_and_keeps_the_site(tmp_path, monkeypatch):
    data, project = _project(tmp_path)
    assert _build(project, data).exit_code == 0
    before = tree_digest(project / "site")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    (project / ".reports-gen" / "pages.key").unlink()  # the pages are generated again (as after a change)
    result = _build(project, data)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].endswith(": error: could not write: the disk is full"), result.output
    assert tree_digest(project / "site") == before
    assert sorted(p.name for p in (project / ".reports-gen").iterdir()) == [
        "build.lock",
        "cache",
        "pages",  # no pages.digest: a plain `mkdocs build` generates these half-made pages again
        "site.key",  # the site of the first build, still in place
        "site.manifest",  # and what its files were made from
    ]


def test_serve_on_a_port_in_use_is_one_clean_line(tmp_path):
    data, project = _project(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            cli, ["serve", "--data", str(data), "-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"]
        )
    assert result.exit_code == 1
    assert result.output == (
        f"error: cannot serve on 127.0.0.1:{port}: the port is in use by another program "
        "(choose another with --dev-addr, e.g. 127.0.0.1:8001)\n"
    )


# -- the chart cache ----------------------------------------------------------------------------


def test_editing_a_translation_changes_every_chart_key(tmp_path):
    from reports_gen.site.chartbook import I18N_DIR, ChartRequest, drawing_inputs

    copy = tmp_path / "i18n"
    shutil.copytree(I18N_DIR, copy)
    request = ChartRequest("week-2026-W47-people", "ranking_chart", (), ())
    before = request.key("en", "IDR", drawing_inputs(copy))
    assert before == request.key("en", "IDR", drawing_inputs(copy))  # stable while nothing changes
    charts_en = copy / "charts.en.yaml"
    charts_en.write_text(charts_en.read_text(encoding="utf-8") + "chart.extra: Extra\n", encoding="utf-8")
    drawing_inputs.cache_clear()
    assert request.key("en", "IDR", drawing_inputs(copy)) != before


def test_an_unreadable_cache_entry_is_drawn_again(tmp_path):
    data = write_data(tmp_path / "data", {})
    first = build_project(tmp_path / "project", data)
    cache = tmp_path / "project" / ".reports-gen" / "cache" / "charts"
    entries = sorted(cache.iterdir())
    entries[0].write_bytes(b"truncated by a crash")
    (tmp_path / "project" / ".reports-gen" / "pages.key").unlink()  # generate the pages again
    second = build_project(tmp_path / "project", data)
    assert second.charts_drawn == 1 and first.charts == second.charts


def test_the_chart_cache_keeps_only_what_the_last_build_used(tmp_path):
    data = write_data(tmp_path / "data", {})
    first = build_project(tmp_path / "project", data)
    cache = tmp_path / "project" / ".reports-gen" / "cache" / "charts"
    (cache / "0123456789abcdef0123456789abcdef.pickle").write_bytes(b"a chart of an old week")
    assert len(list(cache.glob("*.pickle"))) == first.charts + 1
    (tmp_path / "project" / ".reports-gen" / "pages.key").unlink()  # generate the pages again
    second = build_project(tmp_path / "project", data)
    # nothing changed: nothing drawn, and only the charts this build used remain
    assert second.charts_drawn == 0
    assert len(list(cache.glob("*.pickle"))) == second.charts == first.charts


def test_a_site_built_before_the_stamp_existed_is_still_replaced(tmp_path, monkeypatch):
    # older builds left no stamp, but every site they made holds the plugin's stylesheet
    data, project = _project(tmp_path)
    legacy = project / "site"
    (legacy / "assets").mkdir(parents=True)
    (legacy / "assets" / "reports-gen.css").write_text("/* old */")
    (legacy / "weeks" / "2026-W47").mkdir(parents=True)
    (legacy / "weeks" / "2026-W47" / "index.html").write_text("old layout")
    assert _build(project, data).exit_code == 0
    page = (legacy / "weeks" / "2026-W47" / "index.html").read_text(encoding="utf-8")
    assert page != "old layout" and "2026" in page and (legacy / STAMP).exists()


def test_plain_mkdocs_build_regenerates_the_pages_after_a_data_change(tmp_path):
    # mkdocs.yml names `data` beside it: put the data there, build, then change one order.
    _, project = _project(tmp_path)
    data = write_data(project / "data", {})
    assert _build(project, data).exit_code == 0
    week = project / "site" / "weeks" / "2026-W47" / "index.html"
    # andi's week: 500,000 + 250,000 = Rp750.000 (the data is in English: Rp750,000)
    assert "Rp750,000" in week.read_text(encoding="utf-8")
    calls = CALLS_W47.replace("2026-11-16,andi,O1,yes,yes,500000,5", "2026-11-16,andi,O1,yes,yes,900000,5")
    (data / "weeks" / "2026-W47" / "calls.csv").write_text(calls, encoding="utf-8")
    plain = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project, capture_output=True, text=True
    )
    assert plain.returncode == 0, plain.stderr
    # 900,000 + 250,000 = Rp1,150,000: the pages were generated again before MkDocs built them
    assert "Rp1,150,000" in week.read_text(encoding="utf-8")


def test_a_rebuild_with_nothing_changed_reuses_the_report(tmp_path, monkeypatch):
    data, project = _project(tmp_path)
    assert _build(project, data).exit_code == 0
    cached = list((project / ".reports-gen" / "cache").glob("report-*.pickle"))
    assert len(cached) == 1

    def recompute(*args, **kwargs):
        raise AssertionError("the report was computed again")

    monkeypatch.setattr("reports_gen.metrics.report.compute_report", recompute)
    assert _build(project, data).exit_code == 0
    (data / "weeks" / "2026-W47" / "calls.csv").write_text(CALLS_W47 + "2026-11-20,citra,O4,no,yes,1,1,,\n")
    result = _build(project, data)
    assert result.exit_code == 1 and "the report was computed again" in str(result.exception)
