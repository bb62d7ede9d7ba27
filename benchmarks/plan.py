"""Time page planning and rendering alone (no charts drawn, no MkDocs).

    python benchmarks/plan.py [--people 200] [--weeks 52] [--seed 1] [--data DIR] [--profile N]
                              [--out DIR]

Generates demo data into a temporary folder (or reads `--data`), computes the report, then
times `plan_pages` (charts are only registered with the ChartBook, never drawn) and
`render_pages`. No chart is drawn: each stands in with its input data as its data table, and
with that table escaped as a build that found the chart in the cache has it (when the ChartBook
caches tables with the charts), so rendering costs what it costs on a rebuild. `--out DIR` writes
the rendered Markdown there (each chart's table is its input data), to compare two versions' pages.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class _Blank:
    """A stand-in for a drawn chart: what render_pages reads; its table is the chart's input data."""

    def __init__(self, table: pd.DataFrame):
        self.alt = ""
        self.table = table
        self.svg = b""


def measure(data: Path, profile: int, out_dir: Path | None = None) -> None:
    """Compute the report from `data` and time planning and rendering."""
    from reports_gen.metrics.report import compute_report
    from reports_gen.site import managerpages
    from reports_gen.site.chartbook import ChartBook
    from reports_gen.site.pages import plan_pages, render_pages
    from reports_gen.site.views import View

    start = time.perf_counter()
    report = compute_report(data)
    print(f"{'report':<10} {time.perf_counter() - start:7.2f} s", flush=True)
    view = View(report)
    managerpages.manager_for(view, None)
    book = ChartBook(report.tr)
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    pages = plan_pages(view, book, {"weekly.csv": 1, "periods.csv": 1, "alerts.csv": 1})
    if profiler:
        profiler.disable()
    print(
        f"{'planning':<10} {time.perf_counter() - start:7.2f} s  ({len(pages)} pages, "
        f"{len(book.requests)} charts)",
        flush=True,
    )
    blank = pd.DataFrame({"x": []})
    book.rendered = {  # type: ignore[misc]
        name: _Blank(next((a for a in r.args if isinstance(a, pd.DataFrame)), blank))
        for name, r in book.requests.items()
    }
    from reports_gen.site import chartbook

    if hasattr(chartbook, "table_cells"):  # escaped when drawn and cached with the chart
        book.cells = {name: chartbook.table_cells(c.table) for name, c in book.rendered.items()}
    start = time.perf_counter()
    out = render_pages(pages, view, book)
    print(
        f"{'rendering':<10} {time.perf_counter() - start:7.2f} s  "
        f"({sum(map(len, out.values())) / 1e6:.1f} MB of Markdown)",
        flush=True,
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(profile)
    if out_dir:
        from reports_gen.fileio import atomic_write

        for path, text in out.items():
            atomic_write(out_dir / path, text)


def main() -> None:
    """Parse the arguments and run the measurement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, help="an existing data folder (no demo data made)")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest planning calls")
    parser.add_argument("--out", type=Path, help="write the rendered Markdown into this folder")
    args = parser.parse_args()
    if args.data:
        measure(args.data, args.profile, args.out)
        return
    from reports_gen.demo import generate_demo_data

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        start = time.perf_counter()
        generate_demo_data(data, people=args.people, weeks=args.weeks, seed=args.seed)
        print(f"{'demo-data':<10} {time.perf_counter() - start:7.2f} s", flush=True)
        measure(data, args.profile, args.out)


if __name__ == "__main__":
    main()
