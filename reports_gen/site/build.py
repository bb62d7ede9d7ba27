"""The build pipeline: check -> metrics -> charts -> pages -> MkDocs, in one readable function."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reports_gen.errors import BuildError
from reports_gen.metrics.export import export_frames
from reports_gen.metrics.report import Report, compute_report
from reports_gen.site import managerpages  # issue 13
from reports_gen.site.chartbook import ChartBook
from reports_gen.site.digest import digest_files  # issue 13
from reports_gen.site.pages import plan_pages, render_pages
from reports_gen.site.views import View

WORK_DIR = ".reports-gen"
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildResult:
    """What a build produced."""

    site_dir: Path
    pages: int
    charts: int
    charts_drawn: int
    seconds: float


def build_site(
    data_dir: Path,
    site_dir: Path | None = None,
    *,
    project: Path = Path("."),
    config_file: Path | None = None,
    strict: bool = False,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Validate the data, generate pages and charts, and build the site with MkDocs.

    Nothing is written when the data is invalid; a failed MkDocs build leaves the previous
    site in place; `data_dir` is only read.
    """
    started = time.perf_counter()
    config_file = config_file or project / "mkdocs.yml"
    if not config_file.exists():
        raise BuildError.of("build.no-mkdocs-yml", file=str(config_file))
    step = progress or (lambda stage, done, total: None)

    # 1. Read and validate every file, then compute metrics, targets and alerts.
    step("check", 0, 0)
    report = compute_report(data_dir, as_of=as_of, strict=strict)
    # 2-4. Plan the pages, draw the charts that changed, write Markdown, charts and downloads.
    pages, book = generate_pages(report, project, step)
    # 5. Build with MkDocs into a temporary folder, then swap it in.
    step("mkdocs", 0, 0)
    site = _mkdocs_build(config_file, data_dir, site_dir, strict, project / WORK_DIR)
    return BuildResult(site, pages, len(book.requests), book.drawn, time.perf_counter() - started)


def generate_pages(report: Report, project: Path, step: Progress | None = None) -> tuple[int, ChartBook]:
    """Write the generated pages, charts and downloads into `.reports-gen/pages/`."""
    step = step or (lambda stage, done, total: None)
    step("pages", 0, 0)
    view = View(report)
    managerpages.manager_for(view, project)  # issue 13: links follow mkdocs.yml's URL style
    book = ChartBook(report.tr)
    exports = export_frames(report.metrics, report.alerts)
    pages = plan_pages(view, book, {name: len(frame) for name, frame in exports.items()})
    work = project / WORK_DIR
    files = dict(
        book.render(
            work / "cache" / "charts",
            workers=min(2, os.cpu_count() or 1),
            progress=lambda done, total: step("charts", done, total),
        )
    )
    step("write", 0, 0)
    files.update({path: text.encode("utf-8") for path, text in render_pages(pages, view, book).items()})
    files.update(
        {
            f"downloads/{name}": frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
            for name, frame in exports.items()
        }
    )
    files.update(digest_files(report, project))  # issue 13: weekly digests and Atom feed
    _replace_dir(work / "pages", files)
    return len(pages), book


def _replace_dir(target: Path, files: dict[str, bytes]) -> None:
    """Write `files` into a fresh folder and swap it in place of `target`."""
    staging = target.with_name(target.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    for path, content in files.items():
        destination = staging / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(content)
    _swap(staging, target)


def _swap(new: Path, target: Path) -> None:
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _mkdocs_build(config_file: Path, data_dir: Path, site_dir: Path | None, strict: bool, work: Path) -> Path:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        config = load_config(str(config_file), strict=strict)
    except MkDocsException as exc:
        raise BuildError.of("build.bad-mkdocs-yml", file=str(config_file), reason=str(exc)) from None
    final = Path(site_dir) if site_dir else Path(config.site_dir)
    staging = work / "site.new"
    shutil.rmtree(staging, ignore_errors=True)
    config.site_dir = str(staging.resolve())
    plugin = config.plugins.get("reports-gen")
    if plugin is None:
        raise BuildError.of("build.no-plugin", file=str(config_file))
    plugin.config.data_dir = str(data_dir.resolve())
    try:
        build(config)
    except (MkDocsException, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError.of("build.mkdocs-failed", reason=str(exc)) from None
    final.parent.mkdir(parents=True, exist_ok=True)
    _swap(staging, final)
    return final
