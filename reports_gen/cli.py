"""The `reports-gen` command line: click wiring over the library, errors mapped to exit codes."""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from reports_gen import __version__
from reports_gen.errors import DataError, Problem, ReportsError

# Global options, accepted before the subcommand (reports-gen --data X check) and after it.
_DATA_OPTION = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data directory (default: data).",
)
_AS_OF_OPTION = click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Compute target periods as of this date (default: Sunday of the latest week).",
)


def _data_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the global --data and --as-of options to a subcommand too."""

    @_DATA_OPTION
    @_AS_OF_OPTION
    @click.pass_context
    @functools.wraps(func)
    def wrapper(ctx: click.Context, data_dir: Path | None, as_of: dt.datetime | None, **kwargs: Any) -> Any:
        obj = ctx.ensure_object(dict)
        kwargs["data_dir"] = data_dir or obj.get("data_dir") or Path("data")
        chosen = as_of or obj.get("as_of")
        kwargs["as_of"] = chosen.date() if chosen else None
        return ctx.invoke(func, **kwargs)

    return wrapper


class ReportsGroup(click.Group):
    """A command group that reports our errors as messages and exit codes, never as tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DataError as exc:
            _print_problems(exc.problems, "text")
            click.echo(f"✗ {exc}", err=True)
            ctx.exit(exc.exit_code)
        except ReportsError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=ReportsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reports-gen")
@_DATA_OPTION
@_AS_OF_OPTION
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, as_of: dt.datetime | None) -> None:
    """Turn a sales team's weekly data files into a performance website."""
    ctx.ensure_object(dict).update(data_dir=data_dir, as_of=as_of)


@cli.command()
@_data_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    help="How to print problems.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(data_dir: Path, as_of: dt.date | None, fmt: str, strict: bool) -> None:
    """Validate every data file; exit 1 when something is wrong."""
    from reports_gen.dataset.dataset import check_data

    result = check_data(data_dir)
    failed = bool(result.errors) or (strict and bool(result.warnings))
    _print_problems(result.problems, fmt)
    if fmt == "text":
        click.echo(_check_summary(data_dir, result, failed), err=True)
    if failed:
        sys.exit(1)


def _print_problems(problems: list[Problem], fmt: str) -> None:
    ordered = sorted(problems, key=lambda p: (p.path, p.line or 0, p.col or 0))
    if fmt == "json":
        click.echo(json.dumps([p.as_dict() for p in ordered], indent=2, ensure_ascii=False))
    elif fmt == "github":
        for problem in ordered:
            click.echo(problem.format_github())
    else:
        for problem in ordered:
            click.echo(problem.format_text())


def _check_summary(data_dir: Path, result: Any, failed: bool) -> str:
    errors, warnings = len(result.errors), len(result.warnings)
    counts = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if failed:
        return f"✗ {data_dir}: {counts}"
    ds = result.dataset
    weeks = f"{len(ds.weeks)} week{'s' * (len(ds.weeks) != 1)}"
    return (
        f"✓ {data_dir} is valid: {weeks}, {len(ds.org.people)} people, {len(ds.outlets)} outlets, "
        f"{len(ds.calls)} calls ({counts})"
    )


@cli.command()
@_data_options
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("export"),
    show_default=True,
    help="Directory to write weekly.csv, periods.csv and alerts.csv to.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def export(data_dir: Path, as_of: dt.date | None, out: Path, strict: bool) -> None:
    """Write the metrics as CSV files (weekly.csv, periods.csv, alerts.csv)."""
    from reports_gen.metrics.export import export_frames, write_exports
    from reports_gen.metrics.report import compute_report

    report = compute_report(data_dir, as_of=as_of, strict=strict)
    for path in write_exports(export_frames(report.metrics, report.alerts), out):
        click.echo(f"wrote {path}", err=True)


@cli.command()
@_data_options
@click.option("--team", "team", default=None, help="Team id (default: the whole company).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "html"]),
    default="text",
    show_default=True,
    help="text: ready to paste into WhatsApp; html: ready to send by e-mail.",
)
def digest(data_dir: Path, as_of: dt.date | None, team: str | None, fmt: str) -> None:
    """Print the latest week's summary for a team or the company (issue 13)."""
    from reports_gen.metrics.report import compute_report
    from reports_gen.site.digest import render_digest

    report = compute_report(data_dir, as_of=as_of)
    if team is not None and team not in {t.id for t in report.dataset.org.teams}:
        raise click.BadParameter(report.tr("mgr.cli.unknown_team", team=team), param_hint="--team")
    click.echo(render_digest(report, team, fmt, Path(".")), nl=fmt == "text")


@cli.command("new-week")
@click.argument("week", required=False)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data directory (default: data).",
)
@click.pass_context
def new_week(ctx: click.Context, week: str | None, data_dir: Path | None) -> None:
    """Create weeks/WEEK/ with calls.csv pre-filled from the journey plan (default: this ISO week)."""
    from reports_gen.errors import display_path
    from reports_gen.workcalendar import week_code
    from reports_gen.workflow.newweek import create_week

    data_dir = data_dir or ctx.obj.get("data_dir") or Path("data")
    try:
        result = create_week(data_dir, week or week_code(dt.date.today()))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="WEEK") from None
    if not result.created:
        click.echo(
            f"Nothing to do: every file of {result.week} already exists in "
            f"{display_path(str(result.folder))}",
            err=True,
        )
        return
    for path in result.created:
        detail = ""
        if path.name == "calls.csv" and result.plan is not None:
            visits, reps = len(result.plan.visits), len(result.plan.reps)
            detail = f": {visits} planned visit{'s' * (visits != 1)} for {reps} rep{'s' * (reps != 1)}"
        click.echo(f"Created {display_path(str(path))}{detail}", err=True)
    for path in result.skipped:
        click.echo(f"Skipped {display_path(str(path))}: it already exists", err=True)
    if result.plan is not None and result.plan.idle_outlets:
        idle = result.plan.idle_outlets
        click.echo(
            f"note: {len(idle)} outlet(s) have no rep working in {result.week}: {', '.join(idle)} "
            "(assign them to another rep in outlets.csv)",
            err=True,
        )
    click.echo(
        "Fill in visited, order_value, units and no_order_reason as the week goes, "
        "then run `reports-gen check`.",
        err=True,
    )


@cli.command()
@_data_options
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to build the site (default: site_dir of mkdocs.yml, i.e. site/).",
)
@click.option(
    "--config-file",
    "-f",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="The MkDocs configuration.",
)
@click.option("--strict", is_flag=True, help="Fail on data warnings and MkDocs warnings.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
def build(
    data_dir: Path, as_of: dt.date | None, site_dir: Path | None, config_file: Path, strict: bool, quiet: bool
) -> None:
    """Check the data, generate pages and charts, and build the site."""
    from reports_gen.site.build import build_site

    result = build_site(
        data_dir,
        site_dir,
        project=config_file.parent,
        config_file=config_file,
        strict=strict,
        as_of=as_of,
        progress=None if quiet else _Progress(),
    )
    if not quiet:
        click.echo(
            f"✓ built {result.pages} pages and {result.charts} charts ({result.charts_drawn} drawn) "
            f"into {result.site_dir} in {result.seconds:.1f} s",
            err=True,
        )
        click.echo(f"  open {result.site_dir / 'index.html'} or run `reports-gen serve`", err=True)


class _Progress:
    """Stage lines, and a progress bar while charts are drawn."""

    STAGES = {
        "check": "checking data and computing metrics",
        "pages": "planning pages",
        "write": "writing pages",
        "mkdocs": "building the site with MkDocs",
    }

    def __init__(self) -> None:
        self.bar: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "charts":
            if self.bar is None and total:
                self.bar = click.progressbar(length=total, label="  drawing charts", file=sys.stderr)
                self.bar.__enter__()
            if self.bar is not None:
                self.bar.update(done - self.bar.pos)
            return
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
        click.echo(f"· {self.STAGES[stage]}", err=True)


@cli.command()
@_data_options
@click.option(
    "--config-file",
    "-f",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
)
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(data_dir: Path, as_of: dt.date | None, config_file: Path, dev_addr: str) -> None:
    """Preview the site; pages are regenerated when data or site_src change."""
    from reports_gen.site.serve import serve_site

    serve_site(data_dir, config_file, dev_addr, as_of)


def _week_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from reports_gen.workcalendar import parse_week

    try:
        return parse_week(value.strip()).code if value else None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@cli.command("import")
@_data_options
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(["calls", "sales", "activities", "prospects"]),
    required=True,
    help="What the file holds.",
)
@click.option(
    "--week",
    default=None,
    callback=_week_option,
    help="Import only this ISO week (e.g. 2026-W48); rows of other weeks are errors.",
)
@click.option(
    "--decimal",
    type=click.Choice(["comma", "dot"]),
    default=None,
    help="Decimal mark of numbers such as 1.500 (default: decided per column).",
)
@click.option("--dry-run", is_flag=True, help="Show what would be written, and write nothing.")
def import_(
    data_dir: Path,
    as_of: dt.date | None,
    file: Path,
    kind: str,
    week: str | None,
    decimal: str | None,
    dry_run: bool,
) -> None:
    """Turn an Excel or CSV export into canonical week files (all files or none)."""
    from reports_gen.errors import display_path
    from reports_gen.workflow.importer import import_file

    try:
        result = import_file(file, kind, data_dir, week=week, decimal=decimal, dry_run=dry_run)
    except DataError as exc:
        _print_problems(exc.problems, "text")
        errors = sum(1 for p in exc.problems if p.level == "error")
        click.echo(f"✗ {file}: {errors} error{'s' * (errors != 1)}; nothing was imported", err=True)
        sys.exit(1)
    if result.sheet is not None:
        click.echo(f"read sheet {result.sheet!r} of {file}", err=True)
    _print_problems(list(result.warnings), "text")
    for week_file in result.files:
        rows = f"{week_file.added} row{'s' * (week_file.added != 1)}"
        note = "new file" if week_file.new_file else f"{week_file.already} already there"
        verb = "would add " if dry_run else "+"
        click.echo(f"{display_path(str(week_file.path))}: {verb}{rows} ({note})")
        if dry_run and week_file.added:
            click.echo("".join("    " + line + "\n" for line in week_file.rows.splitlines()), nl=False)


@cli.command("diff")
@click.argument("base")
@click.argument("head", required=False)
@_data_options
def diff(data_dir: Path, as_of: dt.date | None, base: str, head: str | None) -> None:
    """Print a Markdown summary of what changes in the data between BASE and HEAD (git revisions).

    HEAD defaults to the working tree. Exit 1 when the data at HEAD is invalid.
    """
    from reports_gen.workflow.diff import diff_data
    from reports_gen.workflow.diff_summary import render_diff

    result = diff_data(data_dir, base, head, as_of=as_of)
    click.echo(render_diff(result), nl=False)
    if not result.head.valid:
        sys.exit(1)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--company", default="PT Contoh Distribusi", show_default=True, help="The site title.")
@click.option("--language", type=click.Choice(["id", "en"]), default="id", show_default=True)
@click.option("--force", is_flag=True, help="Add the missing files to a non-empty directory.")
def init(directory: Path, company: str, language: str, force: bool) -> None:
    """Start a new reports repository in DIRECTORY."""
    from reports_gen.workflow.init import init_repository

    result = init_repository(directory, company, language, force=force)
    for path in result.written:
        click.echo(f"  created {path}", err=True)
    for path in result.skipped:
        click.echo(f"  kept    {path} (already there)", err=True)
    click.echo(f"✓ {directory} is ready: cd {directory} && reports-gen check && reports-gen build", err=True)


@cli.command("demo-data")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Directory to write the data to (must be empty or not exist).",
)
@click.option("--people", type=click.IntRange(min=2), default=11, show_default=True)
@click.option("--weeks", type=click.IntRange(min=1), default=26, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--end-week", default="2026-W47", show_default=True, help="Last ISO week of the data.")
@click.option("--force", is_flag=True, help="Write into a non-empty directory.")
def demo_data(out: Path, people: int, weeks: int, seed: int, end_week: str, force: bool) -> None:
    """Write realistic synthetic data of any size (deterministic for a seed)."""
    from reports_gen.demo import generate_demo_data

    if out.exists() and any(out.iterdir()) and not force:
        raise click.UsageError(f"{out} is not empty; choose another --out or pass --force")
    try:
        generate_demo_data(out, people=people, weeks=weeks, seed=seed, end_week=end_week)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"Wrote {people} people and {weeks} weeks of data to {out}", err=True)


def main() -> None:
    """Run the CLI (the console script's entry point)."""
    cli(prog_name="reports-gen")
