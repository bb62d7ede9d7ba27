"""The build pipeline: check -> metrics -> charts -> pages -> MkDocs, in one readable function."""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import gc
import hashlib
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from reports_gen.errors import BuildError, Message, Param
from reports_gen.fileio import WriteError, atomic_write
from reports_gen.i18n import Translator
from reports_gen.metrics.export import csv_bytes, export_frames
from reports_gen.metrics.report import Report, cached_report, data_digest
from reports_gen.site import incremental, managerpages, mkdocs_plugin, pagecache, urls, zensical
from reports_gen.site.chartbook import ChartBook
from reports_gen.site.digest import TEMPLATES as DIGEST_TEMPLATES
from reports_gen.site.digest import digest_files
from reports_gen.site.folders import (
    STAMP,
    build_lock,
    check_site_dir,
    remove_tree,
    restore,
    stamp,
    swap_in,
    write_tree,
)
from reports_gen.site.incremental import tree_state
from reports_gen.site.pageparts import Page
from reports_gen.site.pages import TEMPLATES as PAGE_TEMPLATES
from reports_gen.site.pages import iter_pages, plan_site
from reports_gen.site.templatecache import cached_templates
from reports_gen.site.views import View

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

WORK_DIR = ".reports-gen"
PAGES_DIGEST = "pages.digest"  # the data digest the generated pages were made from
PAGES_KEY = "pages.key"  # everything the generated pages were made from, and how many there are
SITE_KEY = "site.key"  # everything the last site built was made from
_WRITE_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM)
Progress = Callable[[str, int, int], None]
Engine = Literal["mkdocs", "zensical"]


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
    engine: Engine = "mkdocs",
) -> BuildResult:
    """Validate the data, generate pages and charts, and build the site with MkDocs (or Zensical).

    Nothing is written when the data is invalid; a failed MkDocs build leaves the previous
    site in place; `data_dir` is only read; one build at a time runs in a project.
    """
    started = time.perf_counter()
    config_file = config_file or project / "mkdocs.yml"
    if not config_file.exists():
        raise BuildError.of("build.no-mkdocs-yml", file=str(config_file))
    step = progress or (lambda stage, done, total: None)
    work = project / WORK_DIR
    config = _load_mkdocs_config(config_file, data_dir, strict)
    final = check_site_dir(
        Path(site_dir) if site_dir else Path(config.site_dir), data_dir, Path(config.docs_dir), project, work
    )
    with build_lock(work, project):
        restore(final)  # a site that an interrupted swap left aside comes back first
        # 1. Read and validate every file, then compute metrics, targets and alerts; all of it
        # and steps 2-4 are skipped when the pages were made from the same data, code and day.
        step("check", 0, 0)
        key = _pages_key(data_digest(data_dir), as_of, strict, config_file)
        made = _made_pages(work, key)
        site_key = _site_key(key, config, config_file, engine, final)
        if made is not None and _site_is_current(work, site_key, final):
            # Nothing the site is made of changed since it was built: there is nothing to do.
            return BuildResult(final, *made, time.perf_counter() - started)
        drawing = None
        if made is None or engine == "zensical":
            # 2-4. Plan the pages, write Markdown and downloads; the charts that changed are drawn
            # by worker processes while MkDocs renders the pages (Zensical waits for them).
            drawing, tr = _generate(data_dir, project, key, as_of, strict, step, defer=engine == "mkdocs")
            made = drawing.made
            gc.collect()  # the report and the pages are written: MkDocs gets their memory
            _give_back_memory()
        # 5. Build with MkDocs (or Zensical) into a staging folder, then swap it in.
        step(engine, 0, 0)
        try:
            if engine == "zensical":
                _zensical_build(config_file, config, tr, final, work, strict)
            else:
                mkdocs_plugin.ReportsPlugin.drawing = drawing
                _mkdocs_build(config, final, work)
            if drawing is not None:
                drawing.finish()  # already done when MkDocs copied the charts
        except BaseException:
            if drawing is not None:
                drawing.abandon()
            raise
        finally:
            mkdocs_plugin.ReportsPlugin.drawing = None
        atomic_write(work / SITE_KEY, f"{site_key}\n{tree_state(final)}")
    return BuildResult(final, *made, time.perf_counter() - started)


def _give_back_memory() -> None:
    """Return the free memory of this process's heap to the system (glibc's malloc_trim), so
    that the memory the report and the pages freed is not counted while MkDocs renders (about
    300 MB on a large company). Elsewhere (another C library, another system) nothing happens."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).malloc_trim(0)


def _site_key(key: str, config: MkDocsConfig, config_file: Path, engine: str, final: Path) -> str:
    """Digest what the built site depends on beyond the generated pages (`key`).

    That is the hand-written pages and theme overrides, the engine and the packages that
    render them, where the site goes, and the build-time setting MkDocs reads.
    """
    digest = hashlib.sha256(
        f"{key}|{engine}|{final.resolve()}|{os.environ.get('SOURCE_DATE_EPOCH')}".encode()
    )
    for name in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "zensical"):
        try:
            digest.update(f"|{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"|{name}=".encode())
    folders = [Path(config.docs_dir)] + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file():
                digest.update(str(path).encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _site_is_current(work: Path, site_key: str, final: Path) -> bool:
    """Tell whether the site in `final` was built, by this project, from exactly `site_key`."""
    try:
        built = (work / SITE_KEY).read_text(encoding="utf-8")
    except OSError:
        return False
    return (final / STAMP).is_file() and built == f"{site_key}\n{tree_state(final)}"


@dataclass
class Drawing:
    """Generated pages whose new charts are still being drawn (see `ChartBook.render(defer=True)`).

    The pages are complete (and marked as made from `digest` and `key`) only once `finish` wrote
    the charts; MkDocs's plugin calls it before it copies them into the site.
    """

    book: ChartBook
    project: Path
    digest: str
    key: str
    made: tuple[int, int, int]
    finished: bool = False

    @property
    def pending_paths(self) -> list[str]:
        """Return the paths, under the generated pages, of the charts not written yet."""
        return self.book.pending_paths

    def finish(self) -> None:
        """Wait for the charts, write them into the pages, and mark the pages as complete."""
        if self.finished:
            return
        self.finished = True
        work = self.project / WORK_DIR
        self.book.finish(work / "pages")
        atomic_write(work / PAGES_DIGEST, self.digest)
        atomic_write(
            work / PAGES_KEY, json.dumps({"key": self.key, "pages": self.made[0], "charts": self.made[1]})
        )

    def abandon(self) -> None:
        """Stop drawing: the pages stay unmarked, so the next build generates them again."""
        self.book.abandon()


def _generate(
    data_dir: Path, project: Path, key: str, as_of: dt.date | None, strict: bool, step: Progress, defer: bool
) -> tuple[Drawing, Translator]:
    """Compute (or reuse) the report and generate the pages; `finish` the result unless `defer`."""
    work = project / WORK_DIR
    report = cached_report(data_dir, work / "cache", as_of=as_of, strict=strict)
    pages, book = generate_pages(report, project, step, defer=True)
    drawing = Drawing(book, project, report.digest, key, (pages, len(book.requests), book.drawn))
    if not defer:
        drawing.finish()
    return drawing, report.tr


def _pages_key(digest: str, as_of: dt.date | None, strict: bool, config_file: Path) -> str:
    """Digest what the generated pages depend on: data, options, code, mkdocs.yml and today's date."""
    parts = [digest, str(as_of), str(strict), dt.date.today().isoformat(), _code_digest()]
    try:
        parts.append(hashlib.sha256(config_file.read_bytes()).hexdigest())
    except OSError:
        parts.append("")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """Digest the package's code, words, templates and assets (a new release makes new pages)."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml", ".j2", ".css", ".js", ".html"):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _made_pages(work: Path, key: str) -> tuple[int, int, int] | None:
    """Return (pages, charts, 0) if the generated pages in `work` were made for `key`."""
    try:
        made = json.loads((work / PAGES_KEY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(made, dict) or made.get("key") != key or not (work / "pages").is_dir():
        return None
    return int(made.get("pages", 0)), int(made.get("charts", 0)), 0


def generate_pages(
    report: Report, project: Path, step: Progress | None = None, defer: bool = False
) -> tuple[int, ChartBook]:
    """Write the generated pages, charts and downloads into `.reports-gen/pages/` (hold the lock).

    With `defer`, the charts that must be drawn are drawn in the background: the caller then
    finishes the pages with a `Drawing` (the pages are not marked as made until then).
    """
    step = step or (lambda stage, done, total: None)
    step("pages", 0, 0)
    for mark in (PAGES_KEY, PAGES_DIGEST):  # the pages are no longer those of the key or the data
        (project / WORK_DIR / mark).unlink(missing_ok=True)
    work = project / WORK_DIR
    book = ChartBook(report.tr)
    workers = min(2, os.cpu_count() or 1)
    book.start(work / "cache" / "charts", workers)  # charts are drawn as the pages ask for them
    try:
        pages = _write_pages(report, project, book, step, workers, defer)
    except BaseException:
        book.abandon()
        raise
    if not defer:
        atomic_write(work / PAGES_DIGEST, report.digest)
    return pages, book


def _write_pages(
    report: Report, project: Path, book: ChartBook, step: Progress, workers: int, defer: bool
) -> int:
    """Plan the pages, then write them with the charts drawn so far, the downloads and digests."""
    view = View(report)
    managerpages.manager_for(view, project)  # issue 13: links follow mkdocs.yml's URL style
    work = project / WORK_DIR
    for env in (PAGE_TEMPLATES, DIGEST_TEMPLATES):  # compiled once, kept between builds
        cached_templates(env, work / "cache" / "templates")
    exports = export_frames(report.metrics, report.alerts)
    counts = {name: len(frame) for name, frame in exports.items()}

    def downloads() -> dict[str, bytes]:  # each table let go of once it is CSV
        return {urls.download(name): csv_bytes(exports.pop(name)) for name in list(exports)}

    files = [downloads, lambda: digest_files(report, project)]  # and the weekly digests, Atom feed
    pages, made = plan_site(view, book, counts, files=files)
    exports.clear()  # (in case planning's second process made the downloads)
    count = len(pages)  # the pages are let go of as they are written
    charts = book.render(
        work / "cache" / "charts",
        workers=workers,
        progress=lambda done, total: step("charts", done, total),
        defer=defer,
    )
    step("write", 0, 0)

    def written() -> Iterator[tuple[str, bytes]]:  # each page is written as soon as it is rendered
        yield from charts.items()
        charts.clear()  # written: their bytes are not needed again
        for path, text in iter_pages(_drained(pages), view, book):
            yield path, text.encode("utf-8")
        yield from made.items()

    staging = work / "pages.new"
    write_tree(staging, written(), reuse=work / "pages")
    swap_in(staging, work / "pages")
    return count


def _drained(pages: list[Page]) -> Iterator[Page]:
    """Hand out the pages first to last, letting go of each (its tables are large) once handed out."""
    pages.reverse()
    while pages:
        yield pages.pop()


def pages_are_current(data_dir: Path, project: Path) -> bool:
    """Tell whether the generated pages were made from the data as it is now."""
    stored = project / WORK_DIR / PAGES_DIGEST
    try:
        return stored.read_text(encoding="utf-8") == data_digest(data_dir)
    except OSError:
        return False


def regenerate_pages(data_dir: Path, project: Path, as_of: dt.date | None = None) -> None:
    """Generate the pages again from the data (under the build lock), as `build` does before MkDocs."""
    work = project / WORK_DIR
    with build_lock(work, project):
        generate_pages(cached_report(data_dir, work / "cache", as_of=as_of), project)


def _load_mkdocs_config(config_file: Path, data_dir: Path, strict: bool) -> MkDocsConfig:
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        config = load_config(str(config_file), strict=strict)
    except MkDocsException as exc:
        raise BuildError.of("build.bad-mkdocs-yml", file=str(config_file), reason=str(exc)) from None
    plugin = config.plugins.get("reports-gen")
    if plugin is None:
        raise BuildError.of("build.no-plugin", file=str(config_file))
    plugin.config.data_dir = str(data_dir.resolve())
    return config


def _mkdocs_build(config: MkDocsConfig, final: Path, work: Path) -> None:
    """Build into an empty staging folder, taking unchanged files over from `final`; swap it in.

    MkDocs runs with `dirty=True`: the plugin tells it which files changed since the last build
    (`incremental`), and the files it did not write are hard-linked from the current site.
    """
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    final.parent.mkdir(parents=True, exist_ok=True)
    staging = _staging(final, work)
    remove_tree(staging)
    config.site_dir = str(staging)
    manifest = work / incremental.MANIFEST
    increment = incremental.Increment.from_file(manifest, final)
    mkdocs_plugin.ReportsPlugin.increment = increment
    quiet = incremental.quiet_dirty_warning()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    try:
        with pagecache.warnings_counted() as warnings:
            build(config, dirty=True)
        increment.link_reused(staging)
        stamp(staging)
        # the staging folder's state is the site's once swapped in; after a warning, no page is
        # taken over next time, so every warning comes back on every build (and fails --strict)
        if warnings() == 0:
            increment.save(manifest, staging)
        else:
            manifest.unlink(missing_ok=True)
    except (MkDocsException, OSError, WriteError) as exc:
        remove_tree(staging)
        raise BuildError.of("build.mkdocs-failed", reason=_reason(exc)) from None
    finally:
        mkdocs_plugin.ReportsPlugin.increment = None
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
    swap_in(staging, final)


def _zensical_build(
    config_file: Path, config: MkDocsConfig, tr: Translator, final: Path, work: Path, strict: bool
) -> None:
    """Build the same pages with Zensical from a merged docs folder and a generated configuration."""
    root = work / "zensical"
    docs = root / "docs"
    zensical.merge_docs(docs, Path(config.docs_dir), work / "pages", mkdocs_plugin.ASSET_FILES)
    built = root / "site"  # Zensical writes only inside the folder of its configuration
    remove_tree(built)
    own = [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
    zensical.copy_overrides(root / "overrides", mkdocs_plugin.OVERRIDES, *own)
    text = zensical.zensical_config(
        config_file,
        Path("docs"),
        Path("site"),
        mkdocs_plugin.navigation(docs, work / "pages", tr),
        tr.language,
        mkdocs_plugin.EXTRA_CSS,
        mkdocs_plugin.EXTRA_JAVASCRIPT,
        "overrides",
    )
    generated = root / "mkdocs.yml"
    atomic_write(generated, text)
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = _staging(final, work)
    remove_tree(staging)
    try:
        zensical.run_zensical(generated, strict)
        stamp(built)
        shutil.move(built, staging)  # a rename on the same disk
    except (BuildError, OSError, WriteError):
        remove_tree(built)
        remove_tree(staging)
        raise
    swap_in(staging, final)


def _reason(exc: Exception) -> Param:
    if isinstance(exc, OSError) and exc.errno in _WRITE_ERRNOS:
        failed = WriteError(exc.filename or "site", exc)
        return Message(failed.code, tuple(failed.params.items()))  # worded in the data's language
    if isinstance(exc, WriteError):
        return Message(exc.code, tuple(exc.params.items()))
    if isinstance(exc, OSError):
        return f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc.strerror or exc)
    return str(exc)


def _staging(final: Path, work: Path) -> Path:
    """Build beside the work files when they share a disk with the site (a rename cannot cross disks)."""
    work.mkdir(parents=True, exist_ok=True)
    if os.stat(work).st_dev == os.stat(final.parent).st_dev:
        return (work / "site.new").resolve()
    return final.with_name(f".{final.name}.reports-gen-new")
