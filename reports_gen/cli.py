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

from . import __version__
from .errors import DataError, Problem, ReportsError


def _data_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the global --data and --as-of options to a subcommand too."""

    @click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="Data directory (default: data).")
    @click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="Compute target periods as of this date (default: Sunday of the latest week).")
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
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Data directory (default: data).")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Compute target periods as of this date (default: Sunday of the latest week).")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, as_of: dt.datetime | None) -> None:
    """Turn a sales team's weekly data files into a performance website."""
    ctx.ensure_object(dict).update(data_dir=data_dir, as_of=as_of)


@cli.command()
@_data_options
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text",
              show_default=True, help="How to print problems.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(data_dir: Path, as_of: dt.date | None, fmt: str, strict: bool) -> None:
    """Validate every data file; exit 1 when something is wrong."""
    from .dataset import check_data

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
    return (f"✓ {data_dir} is valid: {len(ds.weeks)} week{'s' * (len(ds.weeks) != 1)}, {len(ds.org.people)} people, "
            f"{len(ds.outlets)} outlets, {len(ds.calls)} calls ({counts})")


@cli.command()
@_data_options
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("export"),
              show_default=True, help="Directory to write weekly.csv, periods.csv and alerts.csv to.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def export(data_dir: Path, as_of: dt.date | None, out: Path, strict: bool) -> None:
    """Write the metrics as CSV files (weekly.csv, periods.csv, alerts.csv)."""
    from .pipeline import compute_report
    from .export import export_frames, write_exports

    report = compute_report(data_dir, as_of=as_of, strict=strict)
    for path in write_exports(export_frames(report.metrics, report.alerts), out):
        click.echo(f"wrote {path}", err=True)


@cli.command("demo-data")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Directory to write the data to (must be empty or not exist).")
@click.option("--people", type=click.IntRange(min=2), default=11, show_default=True)
@click.option("--weeks", type=click.IntRange(min=1), default=26, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--end-week", default="2026-W47", show_default=True, help="Last ISO week of the data.")
@click.option("--force", is_flag=True, help="Write into a non-empty directory.")
def demo_data(out: Path, people: int, weeks: int, seed: int, end_week: str, force: bool) -> None:
    """Write realistic synthetic data of any size (deterministic for a seed)."""
    from .demo import generate_demo_data

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
