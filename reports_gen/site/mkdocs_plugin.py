"""The `reports-gen` MkDocs plugin: adds the generated pages, the site language and navigation.

With it, a plain `mkdocs build` or `mkdocs serve` after `reports-gen build` gives the same site:
generated pages live outside `docs_dir` (in `.reports-gen/pages/`, never in git), and a
hand-written page with the same path always wins over a generated one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from reports_gen.dataset.settings import read_config
from reports_gen.errors import Problem
from reports_gen.i18n import Translator
from reports_gen.site.managernav import MANAGER_CSS, MANAGER_JS, nav_entry  # issue 13

log = logging.getLogger("mkdocs.plugins.reports-gen")
ASSETS = Path(__file__).parent.parent / "assets"
OVERRIDES = Path(__file__).parent.parent / "overrides"  # theme partials (a named search dialog)
GENERATED_DIR = ".reports-gen/pages"

# (translation key, page) in the order of the navigation tabs.
NAV = (
    ("nav.home", "index.md"),
    ("nav.weeks", "weeks/index.md"),
    ("nav.teams", "teams/index.md"),
    ("nav.people", "people/index.md"),
    ("nav.targets", "targets/index.md"),
    ("nav.activities", "activities.md"),
    ("nav.prospects", "prospects.md"),
    ("nav.alerts", "alerts/index.md"),
    ("nav.downloads", "downloads.md"),
)


# The guide's own order; other hand-written pages in site_src/guide/ follow alphabetically.
GUIDE = (
    "guide/index.md",
    "guide/weekly-routine.md",
    "guide/data-format.md",
    "guide/metrics.md",
    "guide/import.md",
)


class ReportsPluginConfig(Config):
    data_dir = config_options.Type(str, default="data")
    pages_dir = config_options.Type(str, default=GENERATED_DIR)


class ReportsPlugin(BasePlugin[ReportsPluginConfig]):
    """Merge generated pages into the MkDocs build and localise the theme."""

    # Set by `reports-gen serve`, which reloads the configuration on every rebuild: the data
    # directory to use, and a function that regenerates the pages before each rebuild.
    data_dir_override: Path | None = None
    regenerate: Callable[[], None] | None = None

    def on_pre_build(self, config: MkDocsConfig) -> None:
        if ReportsPlugin.regenerate is not None:
            ReportsPlugin.regenerate()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").parent
        self.pages_dir = (root / self.config.pages_dir).resolve()
        problems: list[Problem] = []
        data_dir = ReportsPlugin.data_dir_override or root / self.config.data_dir
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
        config.extra_css = [*config.extra_css, "assets/reports-gen.css"]
        config.extra_css.append(MANAGER_CSS)  # issue 13
        config.extra_javascript.extend(MANAGER_JS)  # issue 13: vendored tablesort, offline
        if data_dir.is_dir():
            config.watch.append(str(data_dir))
        return config

    def _navigation(self, root: Path, config: MkDocsConfig, tr: Translator) -> list[Any]:
        docs = Path(config.docs_dir)
        exists = lambda page: (docs / page).exists() or (self.pages_dir / page).exists()  # noqa: E731
        nav: list[Any] = [{tr(key): page} for key, page in NAV if exists(page)]
        found = (
            {p.relative_to(docs).as_posix() for p in (docs / "guide").glob("*.md")}
            if (docs / "guide").is_dir()
            else set()
        )
        known = [p for p in GUIDE if p in found]
        nav += nav_entry(tr, exists)  # issue 13: the manager pages' tab
        if found:
            nav.append({tr("nav.guide"): known + sorted(found - set(known))})
        return nav

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        css = ASSETS / "reports-gen.css"
        files.append(File.generated(config, "assets/reports-gen.css", abs_src_path=str(css)))
        for uri in (MANAGER_CSS, *MANAGER_JS):  # issue 13
            files.append(File.generated(config, uri, abs_src_path=str(ASSETS / uri.split("/")[-1])))
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
        return files
