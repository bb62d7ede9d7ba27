"""Live preview: MkDocs' dev server, with pages regenerated whenever the data changes."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import click

from reports_gen.dataset.settings import read_language
from reports_gen.errors import BuildError, DataError
from reports_gen.i18n import Translator
from reports_gen.metrics.report import compute_report
from reports_gen.site.build import generate_pages

log = logging.getLogger("mkdocs.plugins.reports-gen")


def serve_site(data_dir: Path, config_file: Path, dev_addr: str, as_of: dt.date | None) -> None:
    """Generate the pages, then serve the site and regenerate them on every change."""
    from mkdocs.commands.serve import serve

    from reports_gen.site.mkdocs_plugin import ReportsPlugin

    if not config_file.exists():
        raise BuildError.of("serve.no-mkdocs-yml", file=str(config_file))
    project = config_file.parent

    ReportsPlugin.data_dir_override = data_dir.resolve()
    ReportsPlugin.regenerate = lambda: _regenerate(data_dir, project, as_of)
    click.echo(
        f"Serving on http://{dev_addr}/ — edit files under {data_dir} or site_src/ to rebuild", err=True
    )
    serve(str(config_file), dev_addr=dev_addr, livereload=True)


def _regenerate(data_dir: Path, project: Path, as_of: dt.date | None) -> None:
    try:
        report = compute_report(data_dir, as_of=as_of)
    except DataError as exc:
        tr = Translator(read_language(data_dir))
        for problem in exc.problems:
            log.warning(problem.format_text(tr=tr))
        log.warning("the data has errors: the pages show the last valid data")
        return
    generate_pages(report, project)
