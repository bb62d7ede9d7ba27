"""Build helpers for the site tests: a throwaway project around a data directory."""

from __future__ import annotations

import shutil
from pathlib import Path

from reports_gen.site.build import BuildResult, build_site

ROOT = Path(__file__).resolve().parent.parent


def build_project(tmp: Path, data: Path, strict: bool = True) -> BuildResult:
    """Copy mkdocs.yml and site_src/ into `tmp` and build the site of `data` there."""
    tmp.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", tmp / "mkdocs.yml")
    if not (tmp / "site_src").exists():
        shutil.copytree(ROOT / "site_src", tmp / "site_src")
    return build_site(data, tmp / "site", project=tmp, strict=strict)
