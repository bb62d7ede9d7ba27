"""Time each pipeline stage on a large synthetic data set.

    python benchmarks/bench.py [--people 200] [--weeks 52] [--seed 1] [--build]

Generates `demo-data` into a temporary directory, then times load + check, metrics, alerts and
export (and, with --build, the whole site build). Prints one line per stage.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from reports_gen.dataset.dataset import load_dataset
from reports_gen.demo import generate_demo_data
from reports_gen.i18n import Translator
from reports_gen.metrics.alerts import compute_alerts
from reports_gen.metrics.export import export_frames, write_exports
from reports_gen.metrics.weekly import compute_metrics


@contextmanager
def stage(name: str, timings: dict[str, float]):
    start = time.perf_counter()
    yield
    timings[name] = time.perf_counter() - start
    print(f"{name:<22} {timings[name]:7.2f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--build", action="store_true", help="also time the full site build")
    args = parser.parse_args()
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        with stage("demo-data", timings):
            generate_demo_data(data, people=args.people, weeks=args.weeks, seed=args.seed)
        with stage("load + check", timings):
            dataset = load_dataset(data).dataset
        assert dataset is not None
        print(
            f"{'':<22} {len(dataset.calls):,} calls, {len(dataset.outlets):,} outlets, "
            f"{len(dataset.org.people)} people, {len(dataset.weeks)} weeks"
        )
        with stage("metrics", timings):
            metrics = compute_metrics(dataset)
        with stage("alerts", timings):
            alerts = compute_alerts(dataset, metrics, Translator(dataset.config.language))
        with stage("export", timings):
            write_exports(export_frames(metrics, alerts), Path(tmp) / "export")
        if args.build:
            from reports_gen.site.build import build_site

            root = Path(__file__).resolve().parent.parent
            shutil.copy(root / "mkdocs.yml", Path(tmp) / "mkdocs.yml")
            shutil.copytree(root / "site_src", Path(tmp) / "site_src")
            with stage("build site", timings):
                result = build_site(data, Path(tmp) / "site", project=Path(tmp))
            print(f"{'':<22} {result.pages} pages, {result.charts} charts")
            with stage("rebuild (cached)", timings):
                build_site(data, Path(tmp) / "site", project=Path(tmp))
    core = sum(v for k, v in timings.items() if k not in ("demo-data", "build site", "rebuild (cached)"))
    print(f"{'load→export total':<22} {core:7.2f} s")


if __name__ == "__main__":
    main()
