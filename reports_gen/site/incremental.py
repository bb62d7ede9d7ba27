"""Rebuild only the pages that changed: the rest of the site is taken from the last build.

MkDocs renders every page through the theme on every build, even when the page's Markdown
and everything around it are those of the last build. `reports-gen build` knows better: the
last build left a manifest (`site.manifest` in the work folder) naming, for every file of the
site, the source it was made from, and a digest of everything else a page's HTML depends on
(the frame: the MkDocs and theme configuration, the navigation, the set of pages, the theme's
templates and the packages). When the frame is the same and the site folder is the one that
build left, a file whose source is the same file, untouched, is neither read, nor rendered,
nor copied: MkDocs builds into an empty staging folder with `dirty=True`, told by
`File.is_modified` which files changed, and the unchanged files are hard-linked from the
current site afterwards. The search index is rebuilt in page order from this build's entries
and the current index's entries of the pages it did not render, so it equals a full build's.

Anything else (no manifest, another frame, a site touched since, a plugin we do not know, a
template that prints the build date) gives a full build, exactly as before.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reports_gen.fileio import atomic_write

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation

MANIFEST = "site.manifest"
FORMAT = 1  # bump when what the manifest holds changes
# Plugins whose output depends only on the pages and the configuration (any other: full builds).
KNOWN_PLUGINS = frozenset({"reports-gen", "search", "material/search"})
_CONFIG_KEYS = (
    "site_name",
    "site_url",
    "site_description",
    "site_author",
    "repo_url",
    "repo_name",
    "edit_uri",
    "copyright",
    "use_directory_urls",
    "docs_dir",
    "extra",
    "extra_css",
    "extra_javascript",
    "extra_templates",
    "validation",
)
_DIRTY_WARNING = "A 'dirty' build is being performed"


class Increment:
    """One build's view of the last one: which files it may take over, and its new manifest."""

    def __init__(self, previous: dict[str, Any] | None, site: Path, *, in_place: bool = False) -> None:
        """Compare with the `previous` manifest; `in_place`: MkDocs writes into `site` itself."""
        self.previous, self.in_place = previous, in_place
        # the site may be reused only if it is, file for file, the one the manifest describes
        # (a site built in place is the live preview's own folder, which no one else writes)
        same = (
            previous is not None and site.is_dir() and (in_place or previous.get("site") == tree_state(site))
        )
        self.old_site: Path | None = site if same else None
        self.frame = ""
        self.reused: dict[str, File] = {}  # dest URI -> file taken from the current site
        self.reusable = False
        self._old_entries: dict[str, list[dict[str, Any]]] = {}
        self._built: tuple[list[File], dict[str, str]] | None = None  # files, pages' cache keys
        self.labels: list[Any] = []  # the titles and front matter of the pages in the navigation

    def plan(
        self, config: MkDocsConfig, nav: Navigation, files: Files, salt: str, reuse: bool = True
    ) -> None:
        """Mark each file of `files` as changed or not (`File.is_modified`) for a dirty build."""
        self.frame = frame(config, nav, files, salt)
        previous = self.previous
        self.reusable = (
            reuse
            and previous is not None
            and self.old_site is not None
            and previous.get("frame") == self.frame
            and self._read_old_index(config)
        )
        if self.in_place and not self.reusable and Path(config.site_dir).is_dir():
            from mkdocs.utils import clean_directory

            clean_directory(config.site_dir)  # a full build in place starts from an empty folder
        sources = previous.get("files", {}) if self.reusable and previous else {}
        in_nav = {page.file.src_uri for page in nav.pages}
        for file in files:
            same = self.reusable and _same(file, sources, self.old_site)
            if same:
                self.reused[file.dest_uri] = file
            # pages in the navigation are read all the same: their titles label the others' menus
            populate = file.src_uri in in_nav and file.is_documentation_page()
            file.is_modified = _Modified(not same, populate)  # type: ignore[method-assign]

    def building(self, config: MkDocsConfig, nav: Navigation, files: Files) -> None:
        """Pages are read: take the unchanged ones over, unless a menu label changed after all.

        The pages in the navigation are read on every build, for their titles and front matter
        label every page's menu; if any differs from the last build's, no page is taken over and
        the pages left unread are read now (a full build).
        """
        self.labels = _labels(nav)
        if self.reused and self.previous and self.previous.get("labels") != self.labels:
            from mkdocs.commands.build import _populate_page

            for file in self.reused.values():
                if file.page is not None and file.page.content is None:
                    _populate_page(file.page, config, files)
            self.reused = {}
        anchors = self.previous.get("anchors", {}) if self.previous else {}
        for file in files:
            if isinstance(file.is_modified, _Modified):
                file.is_modified.changed |= file.dest_uri not in self.reused
                file.is_modified.populate = False
            page = file.page if file.dest_uri in self.reused else None
            if page is not None and page.present_anchor_ids is None and file.src_uri in anchors:
                page.present_anchor_ids = set(anchors[file.src_uri])  # links to it are checked

    def search_entries(self, entries: list[dict[str, Any]], files: Files) -> list[dict[str, Any]]:
        """Return the search index entries in page order: this build's, and the reused pages'."""
        if not self.reused:
            return entries
        built: dict[str, list[dict[str, Any]]] = {}
        for entry in entries:
            built.setdefault(_page_of(entry), []).append(entry)
        ordered: list[dict[str, Any]] = []
        for file in files.documentation_pages():
            source = self._old_entries if file.dest_uri in self.reused else built
            ordered += source.get(file.url, [])
        return ordered

    def link_reused(self, staging: Path) -> None:
        """Hard-link the unchanged files of the current site into `staging` (copy across disks)."""
        assert self.old_site is not None or not self.reused
        for uri in self.reused:
            old, new = self.old_site / uri, staging / uri  # type: ignore[operator]
            if new.exists():
                continue
            new.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(old, new)
            except OSError:
                shutil.copy2(old, new)

    def cache_keys(self) -> dict[str, str]:
        """Return the page cache keys of the pages taken over (so the cache keeps their entries)."""
        keys = self.previous.get("pages", {}) if self.previous else {}
        return {f.src_uri: keys[f.src_uri] for f in self.reused.values() if f.src_uri in keys}

    def built(self, files: Iterable[File], pages: dict[str, str]) -> None:
        """Note the files of the build that ended and the page cache keys of its rendered pages."""
        self._built = (list(files), pages)

    @classmethod
    def from_file(cls, manifest: Path, site: Path) -> Increment:
        """Compare with the manifest the last build left in the file `manifest`."""
        return cls(_read(manifest), site)

    def manifest(self, site: Path | None) -> dict[str, Any] | None:
        """Return the manifest of the site just built (None if the build did not end)."""
        if self._built is None:
            return None
        files, pages = self._built
        sources = {}
        for file in files:
            ident = _identity(file)
            if ident is not None:
                sources[file.dest_uri] = ident
        state = tree_state(site) if site is not None else None
        manifest = {"format": FORMAT, "frame": self.frame, "site": state, "labels": self.labels}
        anchors = {
            f.src_uri: sorted(f.page.present_anchor_ids)
            for f in files
            if f.page is not None and f.page.present_anchor_ids is not None
        }
        return manifest | {"files": sources, "pages": {**self.cache_keys(), **pages}, "anchors": anchors}

    def save(self, path: Path, site: Path) -> None:
        """Write the manifest of the site just built, as it is in `site`, to the file `path`."""
        manifest = self.manifest(site)
        if manifest is not None:
            atomic_write(path, json.dumps(manifest))

    def _read_old_index(self, config: MkDocsConfig) -> bool:
        """Read the current site's search index (by page); tell whether it could be read."""
        self._old_entries = {}
        if not any(name in config.plugins for name in ("search", "material/search")):
            return True
        assert self.old_site is not None
        try:
            docs = json.loads((self.old_site / "search" / "search_index.json").read_bytes())["docs"]
            for entry in docs:
                self._old_entries.setdefault(_page_of(entry), []).append(entry)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return False
        return True


class _Modified:
    """`File.is_modified` of a dirty build: changed files, and (while pages are read) nav pages."""

    def __init__(self, changed: bool, populate: bool):
        self.changed, self.populate = changed, populate

    def __call__(self) -> bool:
        return self.changed or self.populate


def frame(config: MkDocsConfig, nav: Navigation, files: Files, salt: str) -> str:
    """Digest everything besides its own source that a file of the site depends on."""
    names = sorted(config.plugins)
    digest = hashlib.sha256(json.dumps([FORMAT, salt, names], default=str).encode())
    if not set(names) <= KNOWN_PLUGINS:
        digest.update(os.urandom(16))  # a plugin we do not know: never reuse
    settings = {key: config.get(key) for key in _CONFIG_KEYS}
    settings["theme"] = dict(config.theme)
    settings["nav"] = _nav(nav.items)
    settings["date"] = os.environ.get("SOURCE_DATE_EPOCH")
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    digest.update("\n".join(sorted(f.dest_uri for f in files)).encode())  # a link may name any
    own = [p for folder in _own_theme_dirs(config) for p in sorted(folder.rglob("*")) if p.is_file()]
    for path in own + sorted(Path(__file__).parent.glob("*.py")):  # and the plugin's code
        text = path.read_bytes()
        if b"build_date_utc" in text and path.suffix != ".py":  # a template that prints the date
            digest.update(os.urandom(16))
        digest.update(str(path).encode() + b"\0" + hashlib.sha256(text).digest())
    return digest.hexdigest()


def tree_state(folder: Path) -> str:
    """Digest every file's path, size and change time: a site touched since its build differs."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        digest.update(f"{path.relative_to(folder)}|{info.st_size}|{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def quiet_dirty_warning() -> logging.Filter:
    """Return a filter for MkDocs's warning about dirty builds (ours are complete builds)."""

    class _Quiet(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            return not record.getMessage().startswith(_DIRTY_WARNING)

    return _Quiet()


def _labels(nav: Navigation) -> list[Any]:
    """The titles and front matter of the pages in the navigation (what labels the menus)."""
    return json.loads(json.dumps([[p.file.src_uri, p.title, p.meta] for p in nav.pages], default=str))


def _nav(items: Iterable[Any]) -> list[Any]:
    return [
        [
            type(item).__name__,
            item.title,
            getattr(item, "url", None),
            _nav(getattr(item, "children", None) or []),
        ]
        for item in items
    ]


def _own_theme_dirs(config: MkDocsConfig) -> list[Path]:
    """The theme folders that are not an installed package's (those change with its version)."""
    installed = {"site-packages", "dist-packages"}
    return [Path(f) for f in config.theme.dirs if not installed & set(Path(f).parts)]


def _identity(file: File) -> list[int] | None:
    """Name a source file's version: device, inode, size and modification time."""
    if file.abs_src_path is None or getattr(file, "_content", None) is not None:
        return None
    try:
        info = os.stat(file.abs_src_path)
    except OSError:
        return None
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns]


def _same(file: File, sources: dict[str, Any], old_site: Path | None) -> bool:
    ident = _identity(file)
    return (
        ident is not None
        and sources.get(file.dest_uri) == ident
        and old_site is not None
        and (old_site / file.dest_uri).is_file()
    )


def _page_of(entry: dict[str, Any]) -> str:
    return str(entry.get("location", "")).split("#", 1)[0]


def _read(path: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("format") == FORMAT else None
