"""The manager pages' navigation tab and assets (light: imported by the MkDocs plugin)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NAV_KEY = "mgr.nav.insights"
NAV_PAGES = (
    "insights/index.md",
    "rankings/index.md",
    "comparisons.md",
    "reasons/index.md",
    "pipeline.md",
    "outlets/index.md",
)
MANAGER_CSS = "assets/manager.css"
# tablesort (MIT, vendored with its licence header) and the script that makes .mgr-sortable tables sortable
MANAGER_JS = ("assets/tablesort.min.js", "assets/tablesort.number.min.js", "assets/manager.js")


def nav_entry(tr: Callable[[str], str], exists: Callable[[str], bool]) -> list[dict[str, Any]]:
    """Return the navigation tab of the manager pages (those generated)."""
    pages = [p for p in NAV_PAGES if exists(p)]
    return [{tr(NAV_KEY): pages}] if pages else []
