"""A page-level cache of rendered Markdown, so a rebuild renders only the pages that changed.

MkDocs converts every page's Markdown on every build. For a generated page the HTML depends
only on its Markdown, its place in the site, the Markdown configuration and which of the
pages it links to exist; the cache is keyed by the first three and checks the last on every
hit. A page whose rendering logged a warning is never cached, so the warning (and `--strict`)
comes back on every build. The cache keeps only what the last build used.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reports_gen.fileio import WriteError, atomic_write
from reports_gen.site import searchview

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import AnchorLink

VERSION = "1"  # bump when what a cached entry holds changes
_PACKAGES = ("mkdocs", "markdown", "pymdown-extensions", "mkdocs-material", "reports-gen")


def fingerprint(config: MkDocsConfig, fast_tables: bool) -> str:
    """Return a digest of everything besides a page's own Markdown that its HTML depends on."""
    versions = {}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = ""
    settings = {
        "version": VERSION,
        "packages": versions,
        "extensions": config["markdown_extensions"],
        "mdx": config["mdx_configs"],
        "directory_urls": config["use_directory_urls"],
        "validation": config["validation"],
        "fast_tables": fast_tables,
    }
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=_stable).encode()).hexdigest()


def _stable(value: Any) -> Any:
    """Describe a value JSON cannot (a function, an extension object) without its memory address."""
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    if hasattr(value, "getConfigs"):  # a Markdown extension instance
        return [type(value).__module__, type(value).__qualname__, value.getConfigs()]
    if isinstance(value, dict) or hasattr(value, "items"):
        return dict(value.items())
    return f"{type(value).__module__}.{type(value).__qualname__}"


class RecordingFiles:
    """The site's files, noting which paths a page's rendering looked up and what it found."""

    def __init__(self, files: Files):
        self._files = files
        self.seen: dict[str, str | None] = {}

    def get_file_from_path(self, path: str) -> File | None:
        """Look `path` up in the site's files and note the answer."""
        found = self._files.get_file_from_path(path)
        self.seen[path] = answer(found)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._files, name)


def answer(found: File | None) -> str | None:
    """Describe what looking a path up found: its URL (and whether excluded), or None."""
    if found is None:
        return None
    return f"{found.url}{' excluded' if found.inclusion.is_excluded() else ''}"


@dataclass
class PageCache:
    """Rendered pages under `folder`, one JSON file each, named by the key of what made them.

    An entry holds a page's rendering and, once the search plugin has indexed the page, its
    search entries; entries new or changed in a build are written once, when it ends.
    """

    folder: Path
    salt: str
    used: set[str] = field(default_factory=set)
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # page src_uri -> key of its entry
    dirty: set[str] = field(default_factory=set)

    def key(self, page: Page, markdown: str) -> str:
        """Return the key of a page's rendering: its Markdown, its place and the settings."""
        where = f"{page.file.src_uri}\n{page.file.url}\n{self.salt}\n"
        return hashlib.sha256(where.encode() + markdown.encode("utf-8", "surrogatepass")).hexdigest()

    def load(self, key: str, page: Page, files: Files) -> dict[str, Any] | None:
        """Return the cached rendering for `key` if the pages it linked to are as they were."""
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or not leads_as_before(entry.get("seen", {}), files):
            return None
        self._keep(key, page, entry)
        return entry

    def store(self, key: str, page: Page, seen: dict[str, str | None]) -> None:
        """Keep a page's rendering (written when the build ends)."""
        entry = {
            "content": page.content,
            "toc": [_token(item) for item in page.toc],
            "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": {target.src_uri: links for target, links in (page.links_to_anchors or {}).items()},
            "seen": seen,
        }
        self._keep(key, page, entry)
        self.dirty.add(key)

    def entry_of(self, page: Page) -> tuple[str, dict[str, Any]] | None:
        """Return the key and entry of a page rendered (or reused) in this build."""
        key = self.pages.get(page.file.src_uri)
        return (key, self.entries[key]) if key is not None else None

    def flush(self) -> None:
        """Write the entries this build made or changed (best effort: a cache may fail to write)."""
        for key in sorted(self.dirty):
            try:
                atomic_write(self._path(key), json.dumps(self.entries[key], ensure_ascii=False))
            except WriteError:
                self.used.discard(key)
        self.dirty.clear()

    def prune(self) -> None:
        """Delete the entries the last build did not use."""
        for path in self.folder.glob("*/*.json"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)

    def _keep(self, key: str, page: Page, entry: dict[str, Any]) -> None:
        self.entries[key] = entry
        self.pages[page.file.src_uri] = key
        self.used.add(key)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"


def cached_search(
    cache: PageCache, index: Any, generated: Callable[[Page], bool], lifted: Callable[[Page], list[str]]
) -> None:
    """Make Material's search index reuse the entries of generated pages whose HTML is unchanged.

    The search plugin parses every page's HTML again on every build; its entries depend on the
    page's HTML, table of contents, URL, title and front matter, which make the key here. A
    page it must index is given without the `lifted` blocks it would ignore (`searchview`).
    """
    index_page = getattr(index, "add_entry_from_context", None)
    entries = getattr(index, "entries", None)
    if index_page is None or not isinstance(entries, list):
        return  # another search plugin: leave it as it is

    def add(page: Page) -> None:
        blocks = lifted(page)
        search = page.meta.get("search")
        excluded = isinstance(search, dict) and search.get("exclude")  # Material indexes nothing of it
        lean = searchview.lean_content(page.content or "", blocks) if blocks and not excluded else None
        if lean is None:
            return index_page(page)
        content, page.content = page.content, lean
        try:
            return index_page(page)
        finally:
            page.content = content

    def add_cached(page: Page) -> None:
        mine = cache.entry_of(page) if generated(page) else None
        if mine is None:
            return add(page)
        key, entry = mine
        about = [page.url, str(page.title), page.meta, [_token(item) for item in page.toc], cache.salt]
        digest = hashlib.sha256(json.dumps(about, sort_keys=True, default=str).encode())
        digest.update((page.content or "").encode("utf-8", "surrogatepass"))
        if entry.get("search_key") == digest.hexdigest() and isinstance(entry.get("search"), list):
            entries.extend(entry["search"])
            return None
        start = len(entries)
        add(page)
        entry["search_key"], entry["search"] = digest.hexdigest(), entries[start:]
        cache.dirty.add(key)
        return None

    index.add_entry_from_context = add_cached


def apply(entry: dict[str, Any], page: Page, files: Files) -> None:
    """Set on `page` what `Page.render` would have set, from a cached entry."""
    from mkdocs.structure.toc import get_toc

    page.content = entry["content"]
    page.toc = get_toc(entry["toc"])
    page._title_from_render = entry["title"]
    restore_anchors(page, entry["anchors"], entry["links"], files)


def restore_anchors(page: Page, anchors: list[str], links: dict[str, Any], files: Files) -> None:
    """Give `page` its anchors and its links to other pages' anchors, as `Page.render` would."""
    page.present_anchor_ids = set(anchors)
    if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:  # as render does
        targets = {uri: files.get_file_from_path(uri) for uri in links}
        page.links_to_anchors = {
            target: dict(links[uri]) for uri, target in targets.items() if target is not None
        }


def leads_as_before(seen: dict[str, str | None], files: Files | RecordingFiles) -> bool:
    """Tell whether every path a page's rendering looked up is found (or not) as it was."""
    return all(answer(files.get_file_from_path(path)) == found for path, found in seen.items())


def _token(item: AnchorLink) -> dict[str, Any]:
    return {
        "level": item.level,
        "id": item.id,
        "name": item.title,
        "children": [_token(child) for child in item.children],
    }


@contextmanager
def warnings_counted() -> Iterator[Callable[[], int]]:
    """Count the warnings MkDocs logs inside the block."""
    counter = _Counter(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    try:
        yield lambda: counter.count
    finally:
        logger.removeHandler(counter)


class _Counter(logging.Handler):
    def __init__(self, level: int):
        super().__init__(level)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
