"""Rebuild only the pages that changed: the rest of the site is taken from the last build.

MkDocs renders every page through the theme on every build, even when the page's Markdown
and everything around it are those of the last build. `reports-gen build` knows better: the
last build left a manifest (`site.manifest` in the work folder) naming, for every file of the
site, the source it was made from, and a digest of everything else a page's HTML depends on
(the frame: the MkDocs and theme configuration, the navigation, the theme's own templates, the
packages and this plugin's code). When the frame is the same and the site folder is the one
that build left, a file whose source is the same file, untouched, is neither read, nor
rendered, nor copied: MkDocs builds into an empty staging folder with `dirty=True`, told by
`File.is_modified` which files changed, and the unchanged files are hard-linked from the
current site afterwards. A page is taken over only if every path its rendering looked up (the
page cache notes them) is found, or not, as it was, and it keeps its anchors and its links to
anchors, so MkDocs checks every link as in a full build. The search index is put together in
page order from this build's entries and the current index's entries of the pages taken over,
so it equals a full build's.

Anything else (no manifest, another frame, a site touched since, a plugin we do not know, a
template that prints the build date, a menu label that changed, a last build that warned)
gives a full build, exactly as before.
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
from reports_gen.site import pagecache

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
        self.previous, self.in_place = previous or {}, in_place
        # the site may be reused only if it is, file for file, the one the manifest describes
        # (a site built in place is the live preview's own folder, which no one else writes)
        same = previous is not None and site.is_dir()
        same = same and (in_place or self.previous.get("site") == tree_state(site))
        self.old_site: Path | None = site if same else None
        self.frame = ""
        self.reused: dict[str, File] = {}  # dest URI -> file taken from the current site
        self.labels: list[Any] = []  # the titles and front matter of the pages in the navigation
        self._old_entries: dict[str, list[dict[str, Any]]] = {}
        self._built: tuple[list[File], dict[str, tuple[str, dict[str, Any]]]] | None = None

    @classmethod
    def from_file(cls, manifest: Path, site: Path) -> Increment:
        """Compare with the manifest the last build left in the file `manifest`."""
        return cls(_read(manifest), site)

    def plan(
        self, config: MkDocsConfig, nav: Navigation, files: Files, salt: str, reuse: bool = True
    ) -> None:
        """Mark each file of `files` as changed or not (`File.is_modified`) for a dirty build.

        A file is unchanged if its source is the same file, untouched, and, for a page, if every
        path its rendering looked up (its links) leads where it did: a page is taken over only
        if the page cache recorded those, so hand-written pages are always rendered again.
        """
        self.frame = frame(config, nav, files, salt)
        reusable = reuse and self.old_site is not None and self.previous.get("frame") == self.frame
        reusable = reusable and self._read_old_index(config)
        sources = self.previous.get("files", {}) if reusable else {}
        pages = self.previous.get("pages", {}) if reusable else {}
        if self.in_place:
            _clean(Path(config.site_dir), sources, files)
        in_nav = {page.file.src_uri for page in nav.pages}
        for file in files:
            same = _same(file, sources, self.old_site)
            if same and file.is_documentation_page():
                record = pages.get(file.src_uri)
                same = record is not None and pagecache.leads_as_before(record.get("seen", {}), files)
            if same:
                self.reused[file.dest_uri] = file
            # pages in the navigation are read all the same: their titles label the others' menus
            populate = file.src_uri in in_nav and file.is_documentation_page()
            file.is_modified = _Modified(not same, populate)  # type: ignore[method-assign]

    def building(self, config: MkDocsConfig, nav: Navigation, files: Files) -> None:
        """Pages are read: take the unchanged ones over, unless a menu label changed after all.

        The pages in the navigation are read on every build, for their titles and front matter
        label every page's menu; if any differs from the last build's, no page is taken over and
        the pages left unread are read now (a full build). A page taken over gets the anchors it
        has and the links to anchors it makes, so MkDocs checks links to and from it as ever.
        """
        self.labels = _labels(nav)
        if self.reused and self.previous.get("labels") != self.labels:
            from mkdocs.commands.build import _populate_page

            for file in self.reused.values():
                if file.page is not None and file.page.content is None:
                    _populate_page(file.page, config, files)
            self.reused = {}
        records = self.previous.get("pages", {})
        for file in files:
            if isinstance(file.is_modified, _Modified):
                file.is_modified.changed |= file.dest_uri not in self.reused
                file.is_modified.populate = False
            page = file.page if file.dest_uri in self.reused else None
            if page is not None and page.content is None:  # not read: keep what rendering gave
                record = records[file.src_uri]
                pagecache.restore_anchors(page, record["anchors"], record["links"], files)

    def search_entries(self, entries: list[dict[str, Any]], files: Files) -> list[dict[str, Any]]:
        """Return the search index entries in page order: this build's, and the reused pages'."""
        if not self.reused:
            return entries
        built: dict[str, list[dict[str, Any]]] = {}
        for entry in entries:
            built.setdefault(_page_of(entry), []).append(entry)
        ordered: list[dict[str, Any]] = []
        for file in files.documentation_pages():
            if file.dest_uri in self.reused:
                ordered += self._old_entries.get(file.url, [])
            else:
                ordered += built.pop(file.url, [])
        return ordered + [entry for rest in built.values() for entry in rest]  # none is lost

    def link_reused(self, staging: Path) -> None:
        """Hard-link the unchanged files of the current site into `staging` (copy across disks)."""
        if self.old_site is None:
            return
        for uri in self.reused:
            old, new = self.old_site / uri, staging / uri
            if new.exists():
                continue
            new.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(old, new)
            except OSError:
                shutil.copy2(old, new)

    def cache_keys(self) -> list[str]:
        """Return the page cache keys of the pages taken over (so the cache keeps their entries)."""
        records = self.previous.get("pages", {})
        return [records[f.src_uri]["key"] for f in self.reused.values() if f.src_uri in records]

    def built(self, files: Iterable[File], pages: dict[str, tuple[str, dict[str, Any]]]) -> None:
        """Note the files of the build that ended and, by page, its page cache key and entry."""
        self._built = (list(files), pages)

    def manifest(self, site: Path | None) -> dict[str, Any] | None:
        """Return the manifest of the site just built (None if the build did not end)."""
        if self._built is None:
            return None
        files, cached = self._built
        sources = {}
        for file in files:
            ident = _identity(file)
            if ident is not None:
                sources[file.dest_uri] = ident
        kept = self.previous.get("pages", {})
        records = {f.src_uri: kept[f.src_uri] for f in self.reused.values() if f.src_uri in kept}
        for file in files:
            page = file.page
            if file.src_uri in cached and page is not None and page.present_anchor_ids is not None:
                key, entry = cached[file.src_uri]
                anchors = sorted(page.present_anchor_ids)
                records[file.src_uri] = {"key": key, "seen": entry["seen"], "links": entry["links"]}
                records[file.src_uri]["anchors"] = anchors
        state = tree_state(site) if site is not None else None
        manifest = {"format": FORMAT, "frame": self.frame, "site": state, "labels": self.labels}
        return manifest | {"files": sources, "pages": records}

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


def _clean(site: Path, sources: dict[str, Any], files: Files) -> None:
    """Empty the preview's folder for a full build, or remove the files no longer in the site."""
    from mkdocs.utils import clean_directory

    if not sources:
        if site.is_dir():
            clean_directory(str(site))
        return
    for uri in set(sources) - {f.dest_uri for f in files}:
        (site / uri).unlink(missing_ok=True)


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
    """Return the manifest in `path` if it is one this version wrote, whole; else None."""
    try:
        manifest = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return manifest if _well_formed(manifest) else None


def _well_formed(manifest: Any) -> bool:
    """Tell whether `manifest` has the shape `Increment.manifest` gives (a damaged one does not)."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return False
    files, pages = manifest.get("files"), manifest.get("pages")
    if not (isinstance(manifest.get("frame"), str) and isinstance(manifest.get("labels"), list)):
        return False
    if not (isinstance(files, dict) and all(isinstance(v, list) for v in files.values())):
        return False
    record_keys = {"key": str, "seen": dict, "links": dict, "anchors": list}
    return isinstance(pages, dict) and all(
        isinstance(r, dict) and all(isinstance(r.get(k), t) for k, t in record_keys.items())
        for r in pages.values()
    )
