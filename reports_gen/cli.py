"""The `reports-gen` command line: click wiring over the library, errors mapped to exit codes."""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import click

from reports_gen import __version__
from reports_gen.errors import DataError, Problem, ReportsError
from reports_gen.i18n import Translator

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
        _speak_the_data_language(kwargs["data_dir"])
        chosen = as_of or obj.get("as_of")
        from reports_gen.workcalendar import FIRST_YEAR, LAST_YEAR

        if chosen and not FIRST_YEAR <= chosen.year <= LAST_YEAR:
            raise click.BadParameter(
                _tr()("cli.as_of.outside_years", date=chosen.date(), first=FIRST_YEAR, last=LAST_YEAR),
                param_hint="--as-of",
            )
        kwargs["as_of"] = chosen.date() if chosen else None
        return ctx.invoke(func, **kwargs)

    return wrapper


def _speak_the_data_language(data_dir: Path) -> None:
    """Word this command's messages in the language of the data (English when unreadable)."""
    from reports_gen.dataset.settings import read_language

    _set_language(read_language(data_dir))


def _set_language(language: str) -> None:
    click.get_current_context().ensure_object(dict)["tr"] = Translator(language)


def _tr() -> Translator:
    """Return the translator of the running command (English before the data is known)."""
    ctx = click.get_current_context(silent=True)
    found = ctx.find_object(dict) if ctx is not None else None
    return (found or {}).get("tr") or Translator("en")


class ReportsGroup(click.Group):
    """A command group that reports our errors as messages and exit codes, never as tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DataError as exc:
            _print_problems(exc.problems, "text")
            click.echo(_tr().plural("cli.data_errors", exc.errors), err=True)
            ctx.exit(exc.exit_code)
        except ReportsError as exc:
            click.echo(f"error: {exc.text(_tr())}", err=True)
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
    from reports_gen.workflow.journal import recover

    if data_dir.is_dir() and (recovered := recover(data_dir).text(_tr())):
        click.echo(recovered, err=True)
    result = check_data(data_dir)
    failed = bool(result.errors) or (strict and bool(result.warnings))
    _print_problems(result.problems, fmt)
    if fmt == "text":
        click.echo(_check_summary(data_dir, result, failed), err=True)
    if failed:
        sys.exit(1)


def _print_problems(problems: list[Problem], fmt: str) -> None:
    ordered = sorted(problems, key=lambda p: (p.path, p.line or 0, p.col or 0))
    tr = _tr()
    if fmt == "json":
        click.echo(json.dumps([p.as_dict(tr=tr) for p in ordered], indent=2, ensure_ascii=False))
    elif fmt == "github":
        for problem in ordered:
            click.echo(problem.format_github(tr=tr))
    else:
        for problem in ordered:
            click.echo(problem.format_text(tr=tr))


def _check_summary(data_dir: Path, result: Any, failed: bool) -> str:
    tr = _tr()
    counts = {
        "errors": tr.plural("cli.count.errors", len(result.errors)),
        "warnings": tr.plural("cli.count.warnings", len(result.warnings)),
    }
    if failed:
        return tr("cli.check.failed", data=data_dir, **counts)
    ds = result.dataset
    return tr(
        "cli.check.valid",
        data=data_dir,
        weeks=tr.plural("cli.count.weeks", len(ds.weeks)),
        people=tr.plural("cli.count.people", len(ds.org.people)),
        outlets=tr.plural("cli.count.outlets", len(ds.outlets)),
        calls=tr.plural("cli.count.calls", len(ds.calls)),
        **counts,
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

    target, data = out.resolve(), data_dir.resolve()
    if target == data or data in target.parents:
        raise click.UsageError(_tr()("cli.export.out_inside_data", out=out, data=data_dir))
    report = compute_report(data_dir, as_of=as_of, strict=strict)
    for path in write_exports(export_frames(report.metrics, report.alerts), out):
        click.echo(_tr()("cli.export.wrote", path=path), err=True)


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
        raise click.BadParameter(_tr()("cli.digest.unknown_team", team=repr(team)), param_hint="--team")
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
    _speak_the_data_language(data_dir)
    tr = _tr()
    try:
        result = create_week(data_dir, week or week_code(dt.date.today()))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="WEEK") from None
    if not result.created:
        click.echo(
            tr("cli.new_week.nothing", week=result.week, folder=display_path(str(result.folder))), err=True
        )
        return
    for path in result.created:
        shown = display_path(str(path))
        if path.name == "calls.csv" and result.plan is not None:
            visits = tr.plural("cli.count.planned_visits", len(result.plan.visits))
            reps = tr.plural("cli.count.reps", len(result.plan.reps))
            click.echo(tr("cli.new_week.created_plan", path=shown, visits=visits, reps=reps), err=True)
        else:
            click.echo(tr("cli.new_week.created", path=shown), err=True)
    for path in result.skipped:
        click.echo(tr("cli.new_week.skipped", path=display_path(str(path))), err=True)
    if result.plan is not None and result.plan.idle_outlets:
        idle = result.plan.idle_outlets
        click.echo(
            tr("cli.new_week.idle", count=len(idle), week=result.week, outlets=", ".join(idle)), err=True
        )
    click.echo(tr("cli.new_week.next"), err=True)


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
@click.option(
    "--engine",
    type=click.Choice(["mkdocs", "zensical"]),
    default="mkdocs",
    show_default=True,
    help="What builds the site: MkDocs, or Zensical (pip install 'reports-gen[zensical]').",
)
def build(
    data_dir: Path,
    as_of: dt.date | None,
    site_dir: Path | None,
    config_file: Path,
    strict: bool,
    quiet: bool,
    engine: Literal["mkdocs", "zensical"],
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
        engine=engine,
    )
    if not quiet:
        tr = _tr()
        click.echo(
            tr(
                "cli.build.done",
                pages=result.pages,
                charts=result.charts,
                drawn=result.charts_drawn,
                site=result.site_dir,
                seconds=tr.number(result.seconds, 1),
            ),
            err=True,
        )
        click.echo(tr("cli.build.open", index=result.site_dir / "index.html"), err=True)


class _Progress:
    """Stage lines (`cli.build.stage.<stage>`), and a progress bar while charts are drawn."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "charts":
            if self.bar is None and total:
                label = "  " + _tr()("cli.build.stage.charts")
                self.bar = click.progressbar(length=total, label=label, file=sys.stderr)
                self.bar.__enter__()
            if self.bar is not None:
                self.bar.update(done - self.bar.pos)
            return
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
        click.echo("· " + _tr()(f"cli.build.stage.{stage}"), err=True)


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
    type=click.Choice(["calls", "sales", "activities", "prospects", "outlets", "team"]),
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
    help="Decimal mark of numbers such as 1.500 (default: decided per column, then per file).",
)
@click.option("--dry-run", is_flag=True, help="Show what would be written, and write nothing.")
@click.option("--replace", is_flag=True, help="Where a row differs from the data, take the export's values.")
def import_(
    data_dir: Path,
    as_of: dt.date | None,
    file: Path,
    kind: str,
    week: str | None,
    decimal: str | None,
    dry_run: bool,
    replace: bool,
) -> None:
    """Turn an Excel or CSV export into canonical data files (all files or none)."""
    from reports_gen.errors import display_path
    from reports_gen.workflow.importer import import_file

    try:
        result = import_file(
            file, kind, data_dir, week=week, decimal=decimal, dry_run=dry_run, replace=replace
        )
    except DataError as exc:
        _print_problems(exc.problems, "text")
        errors = _tr().plural("cli.count.errors", exc.errors)
        click.echo(_tr()("cli.import.failed", file=file, errors=errors), err=True)
        sys.exit(1)
    tr = _tr()
    if note := result.recovered.text(tr):
        click.echo(note, err=True)
    if result.sheet is not None:
        click.echo(tr("cli.import.sheet", sheet=repr(result.sheet), file=file), err=True)
    _print_problems(list(result.warnings), "text")
    for week_file in result.files:
        click.echo(f"{display_path(str(week_file.path))}: {_import_counts(week_file, kind, dry_run, tr)}")
        if dry_run and week_file.added and week_file.rows:
            click.echo("".join("    " + line + "\n" for line in week_file.rows.splitlines()), nl=False)


def _import_counts(week_file: Any, kind: str, dry_run: bool, tr: Translator) -> str:
    """Say what an import did to one file: "3 planned rows completed, 1 row added (0 already there)"."""
    done = "cli.import.would_be" if dry_run else "cli.import.done"
    parts = []
    if kind in ("calls", "outlets", "team") and not week_file.new_file:
        planned = "cli.count.planned_rows" if kind == "calls" else "cli.count.rows"
        parts.append(tr(f"{done}.completed", rows=tr.plural(planned, week_file.completed)))
    if week_file.replaced:
        parts.append(tr(f"{done}.replaced", rows=tr.plural("cli.count.rows", week_file.replaced)))
    parts.append(tr(f"{done}.added", rows=tr.plural("cli.count.rows", week_file.added)))
    note = (
        tr("cli.import.new_file") if week_file.new_file else tr("cli.import.already", count=week_file.already)
    )
    return ", ".join(parts) + f" ({note})"


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
@click.option("--empty", is_flag=True, help="Data files with headers and an example row each.")
@click.option("--requirement", default=None, help="The reports-gen line for requirements.txt.")
@click.option("--no-git", is_flag=True, help="Do not run git init and the first commit.")
def init(
    directory: Path,
    company: str,
    language: str,
    force: bool,
    empty: bool,
    requirement: str | None,
    no_git: bool,
) -> None:
    """Start a new reports repository in DIRECTORY."""
    from reports_gen.workflow.init import init_repository

    _set_language(language)
    tr = _tr()
    result = init_repository(
        directory, company, language, force=force, empty=empty, requirement=requirement, git=not no_git
    )
    for path in result.written:
        click.echo(tr("cli.init.created", path=path), err=True)
    for path in result.skipped:
        click.echo(tr("cli.init.kept", path=path), err=True)
    click.echo(tr("cli.init.requirement", requirement=result.requirement), err=True)
    for note in result.notes:
        click.echo(tr("cli.init.note", note=note.render(tr)), err=True)
    if result.committed:
        click.echo(tr("cli.init.committed", directory=directory), err=True)
    click.echo(tr("cli.init.ready_empty" if empty else "cli.init.ready", directory=directory), err=True)


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
