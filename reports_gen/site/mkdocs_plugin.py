"""The `reports-gen` MkDocs plugin: adds the generated pages, the site language and navigation.

With it, a plain `mkdocs build` or `mkdocs serve` after `reports-gen build` gives the same site:
generated pages live outside `docs_dir` (in `.reports-gen/pages/`, never in git), and a
hand-written page with the same path always wins over a generated one.
"""

from __future__ import annotations

import contextlib
import logging
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from reports_gen.dataset.settings import read_config, read_language
from reports_gen.errors import DataError, Problem, ReportsError
from reports_gen.i18n import Translator
from reports_gen.site import fastmd, incremental, pagecache, searchview, urls
from reports_gen.site.managernav import MANAGER_CSS, MANAGER_JS, nav_entry  # issue 13
from reports_gen.site.templatecache import cached_templates

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.structure.nav import Navigation

    from reports_gen.site.build import Drawing

log = logging.getLogger("mkdocs.plugins.reports-gen")
ASSETS = Path(__file__).parent.parent / "assets"
OVERRIDES = Path(__file__).parent.parent / "overrides"  # theme partials (a named search dialog)
GENERATED_DIR = ".reports-gen/pages"
CACHE_DIR = ".reports-gen/cache/html"  # rendered pages (pagecache)
TEMPLATE_CACHE_DIR = ".reports-gen/cache/templates"  # the theme's compiled templates (templatecache)

# (translation key, page) in the order of the navigation tabs.
NAV = (
    ("nav.home", urls.HOME),
    ("nav.weeks", urls.WEEKS),
    ("nav.teams", urls.TEAMS),
    ("nav.people", urls.PEOPLE),
    ("nav.targets", urls.TARGETS),
    ("nav.activities", urls.ACTIVITIES),
    ("nav.prospects", urls.PROSPECTS),
    ("nav.alerts", urls.ALERTS),
    ("nav.downloads", urls.DOWNLOADS),
)


# The guide's own order; other hand-written pages in site_src/guide/ follow alphabetically.
GUIDE = (
    "guide/index.md",
    "guide/weekly-routine.md",
    "guide/data-format.md",
    "guide/metrics.md",
    "guide/import.md",
)


# The files the plugin adds to every site (docs-root path -> packaged file), and which of
# them the pages load.
ASSET_FILES = {
    uri: ASSETS / uri.split("/")[-1] for uri in ("assets/reports-gen.css", MANAGER_CSS, *MANAGER_JS)
}
EXTRA_CSS = ["assets/reports-gen.css", MANAGER_CSS]
EXTRA_JAVASCRIPT: list[str] = list(MANAGER_JS)  # vendored tablesort (MIT), offline


def navigation(docs: Path, pages_dir: Path, tr: Translator) -> list[Any]:
    """Return the navigation: the generated sections that exist, then the guide's pages."""
    exists = lambda page: (docs / page).exists() or (pages_dir / page).exists()  # noqa: E731
    nav: list[Any] = [{tr(key): page} for key, page in NAV if exists(page)]
    found = (
        {p.relative_to(docs).as_posix() for p in (docs / "guide").glob("*.md")}
        if (docs / "guide").is_dir()
        else set()
    )
    known = [p for p in GUIDE if p in found]
    nav += nav_entry(tr, exists)  # the manager pages' tab
    if found:
        nav.append({tr("nav.guide"): known + sorted(found - set(known))})
    return nav


class ReportsPluginConfig(Config):
    data_dir = config_options.Type(str, default="data")
    pages_dir = config_options.Type(str, default=GENERATED_DIR)
    # Lift generated tables past Python-Markdown (same HTML, a fraction of the time; issue 14).
    fast_tables = config_options.Type(bool, default=True)


class ReportsPlugin(BasePlugin[ReportsPluginConfig]):
    """Merge generated pages into the MkDocs build and localise the theme."""

    # Set by `reports-gen serve`, which reloads the configuration on every rebuild: the data
    # directory to use, and a function that regenerates the pages before each rebuild.
    data_dir_override: Path | None = None
    regenerate: Callable[[], None] | None = None
    # Set by `reports-gen build`: the charts still being drawn while MkDocs renders the pages.
    drawing: Drawing | None = None
    # Set by `reports-gen build` and `serve`: what this build may take over from the last one's
    # site, and (`serve`) the manifest of the live preview's last build.
    increment: incremental.Increment | None = None
    served: dict[str, Any] | None = None
    _cache: pagecache.PageCache | None = None  # this build's page cache

    def __init__(self) -> None:
        super().__init__()
        self._lifted: dict[str, list[str]] = {}  # per build: the lifted blocks the search may skip
        self._files: Files | None = None  # this build's files (from `on_env`)
        self._nav: Navigation | None = None  # and its navigation (from `on_nav`)
        self._serving: contextlib.ExitStack | None = None  # `serve`: counting this build's warnings
        self._warnings: Callable[[], int] = lambda: 0

    def on_pre_build(self, config: MkDocsConfig) -> None:
        self._cache_search(config)
        if ReportsPlugin.regenerate is not None:
            ReportsPlugin.regenerate()
            self._serve_increment(config)
            return
        if ReportsPlugin.drawing is not None:
            return  # `reports-gen build` has just generated the pages
        # A plain `mkdocs build` or `mkdocs serve` never publishes pages of older data.
        from reports_gen.site.build import pages_are_current, regenerate_pages

        if self.data_dir.is_dir() and not pages_are_current(self.data_dir, self.root):
            log.info("the data changed since the pages were generated: generating them again")
            try:
                regenerate_pages(self.data_dir, self.root)
            except DataError as exc:
                tr = Translator(read_language(self.data_dir))
                lines = [problem.format_text(tr=tr) for problem in exc.problems]
                raise PluginError("\n".join(lines)) from None
            except ReportsError as exc:
                raise PluginError(exc.text(Translator(read_language(self.data_dir)))) from None

    def _serve_increment(self, config: MkDocsConfig) -> None:
        """Let the live preview render again only what changed, in its own folder."""
        previous = ReportsPlugin.served
        ReportsPlugin.served = None  # until this build ends without a warning
        ReportsPlugin.increment = incremental.Increment(previous, Path(config.site_dir), in_place=True)
        self._serving = contextlib.ExitStack()
        self._warnings = self._serving.enter_context(pagecache.warnings_counted())

    def on_build_error(self, *, error: Exception) -> None:
        if self._serving is not None:
            self._serving.close()
            self._serving = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").parent
        self.pages_dir = (root / self.config.pages_dir).resolve()
        problems: list[Problem] = []
        data_dir = ReportsPlugin.data_dir_override or root / self.config.data_dir
        self.root, self.data_dir = root, data_dir
        settings = read_config(data_dir / "config.yaml", problems)
        tr = Translator(settings.language, settings.currency)
        config.theme["language"] = settings.language
        config.theme["font"] = False  # no Google Fonts: the site works offline
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES))
        config.mdx_configs.setdefault("toc", {})["permalink_title"] = tr("theme.permalink")
        for palette in config.theme.get("palette") or []:
            if isinstance(palette, dict) and "toggle" in palette:
                dark = palette.get("scheme") == "slate"
                palette["toggle"]["name"] = tr("theme.to_light" if dark else "theme.to_dark")
        if not config.nav:
            config.nav = self._navigation(root, config, tr)
        config.extra_css = [*config.extra_css, *EXTRA_CSS]
        config.extra_javascript = [*config.extra_javascript, *EXTRA_JAVASCRIPT]
        if data_dir.is_dir():
            config.watch.append(str(data_dir))
        return config

    def _navigation(self, root: Path, config: MkDocsConfig, tr: Translator) -> list[Any]:
        return navigation(Path(config.docs_dir), self.pages_dir, tr)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for uri, path in ASSET_FILES.items():
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        if not self.pages_dir.is_dir():
            log.warning("no generated pages in %s: run `reports-gen build` first", self.pages_dir)
            return files
        for path in sorted(self.pages_dir.rglob("*")):
            if not path.is_file():
                continue
            uri = path.relative_to(self.pages_dir).as_posix()
            if files.get_file_from_path(uri) is not None:
                log.warning(
                    "site_src/%s is hand-written: the generated page of the same name is not used", uri
                )
                continue
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        for uri in ReportsPlugin.drawing.pending_paths if ReportsPlugin.drawing else []:
            if files.get_file_from_path(uri) is None:  # written by `on_env`, before it is copied
                files.append(File.generated(config, uri, abs_src_path=str(self.pages_dir / uri)))
        return files

    @event_priority(-100)  # after every other plugin changed the navigation
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Tell MkDocs which files changed since the last build (the others are taken over)."""
        if ReportsPlugin.increment is not None:
            salt = pagecache.fingerprint(config, self.config.fast_tables)
            search, index = _search(config)
            # Material's index can be put together from parts; another plugin's: full builds
            known = search is None or isinstance(getattr(index, "entries", None), list)
            ReportsPlugin.increment.plan(config, nav, files, salt, reuse=known)
        self._nav = nav
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Wait for the charts still being drawn: MkDocs copies them next, then writes the pages.

        The theme's templates are compiled once and kept (templatecache): MkDocs makes a new
        environment, and would compile them again, on every build and every `serve` rebuild.
        """
        cached_templates(env, self.root / TEMPLATE_CACHE_DIR)
        if ReportsPlugin.drawing is not None:
            ReportsPlugin.drawing.finish()
        if ReportsPlugin.increment is not None and self._nav is not None:
            ReportsPlugin.increment.building(config, self._nav, files)
        self._files = files
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Render a generated page from the cache, or fast (tables lifted) and then cache it."""
        if not self._generated(page):
            return markdown
        cache = self._page_cache(config)
        key = cache.key(page, markdown)
        entry = cache.load(key, page, files)
        if entry is not None:
            page.render = lambda config, files: pagecache.apply(entry, page, files)  # type: ignore[method-assign]
            return markdown
        seen = pagecache.RecordingFiles(files)
        lifted = fastmd.lift(markdown, _resolver(page, seen)) if self.config.fast_tables else None
        render = page.render

        def render_and_keep(config: MkDocsConfig, files: Files) -> None:
            with pagecache.warnings_counted() as warnings:
                render(config, seen)  # type: ignore[arg-type]
            if lifted is not None:
                _put_back(lifted, page, files)
                self._lifted[page.file.src_uri] = searchview.blocks_to_skip(lifted.blocks.values())
            if warnings() == 0:
                cache.store(key, page, seen.seen)

        page.render = render_and_keep  # type: ignore[method-assign]
        return lifted.markdown if lifted is not None else markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Let a generated page's Markdown go once it is rendered: MkDocs keeps every page's
        Markdown and HTML until the build ends, and nothing reads the Markdown after this (an
        empty string keeps `page.title`, which is None for a page without Markdown)."""
        if self._generated(page):
            page.markdown = ""
        return html

    def _cache_search(self, config: MkDocsConfig) -> None:
        """Let the search index reuse the entries of pages that did not change."""
        _, index = _search(config)
        self._lifted = {}
        if index is not None:
            pagecache.cached_search(
                self._page_cache(config),
                index,
                self._generated,
                lambda page: self._lifted.pop(page.file.src_uri, []),
            )

    @event_priority(100)  # before the search plugin writes its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        increment = ReportsPlugin.increment
        search, index = _search(config)
        if increment is not None and self._files is not None:
            if isinstance(getattr(index, "entries", None), list):
                index.entries = increment.search_entries(index.entries, self._files)  # type: ignore[union-attr]
            cache = self._cache
            pages = {src: (key, cache.entries[key]) for src, key in cache.pages.items()} if cache else {}
            increment.built(self._files, pages)
            if cache is not None:
                cache.used.update(increment.cache_keys())  # the pages taken over keep their entries
            if increment.in_place and search is not None:  # the live preview: this list is complete
                search.search_index_prev = None
        if self._serving is not None:
            ReportsPlugin.served = increment.manifest(None) if increment and self._warnings() == 0 else None
            self._serving.close()
            self._serving = None
        if self._cache is not None:
            self._cache.flush()
            self._cache.prune()  # keep only what this build used
            self._cache = None

    def _page_cache(self, config: MkDocsConfig) -> pagecache.PageCache:
        if self._cache is None:
            salt = pagecache.fingerprint(config, self.config.fast_tables)
            self._cache = pagecache.PageCache(self.root / CACHE_DIR, salt)
        return self._cache

    def _generated(self, page: Page) -> bool:
        source = page.file.abs_src_path
        return source is not None and Path(source).is_relative_to(self.pages_dir)


def _search(config: MkDocsConfig) -> tuple[Any, Any]:
    """Return the site's search plugin and its index (None for either that is not there)."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    return search, getattr(search, "search_index", None)


def _put_back(lifted: fastmd.Lifted, page: Page, files: Files) -> None:
    """Put the lifted blocks into the rendered page, and tell MkDocs their anchors and links."""
    page.content = lifted.restore(page.content or "")
    if page.present_anchor_ids is not None:
        page.present_anchor_ids |= lifted.anchor_ids()
    if page.links_to_anchors is not None:  # MkDocs checks these anchors after the build
        for path, anchor in lifted.anchor_links:
            target = files.get_file_from_path(_target_uri(page, path))
            if target is not None:
                page.links_to_anchors.setdefault(target, {}).setdefault(anchor, f"{path}#{anchor}")


def _target_uri(page: Page, path: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), path)).lstrip("/")


def _resolver(page: Page, files: Files | pagecache.RecordingFiles) -> fastmd.Resolve:
    """Return the URL of a page linked from `page` as MkDocs would write it, or None if not a page."""
    known: dict[str, str | None] = {}

    def resolve(path: str) -> str | None:
        if path not in known:
            target = files.get_file_from_path(_target_uri(page, path))
            ok = target is not None and not target.inclusion.is_excluded()
            known[path] = get_relative_url(target.url, page.file.url) if ok and target else None
        return known[path]

    return resolve
