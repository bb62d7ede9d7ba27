"""Measure reports-gen on a large synthetic company.

    python benchmarks/bench.py [--people 200] [--weeks 52] [--seed 1]          # the stages
    python benchmarks/bench.py --build [--people 200] [--weeks 52] [--seed 1]  # the build table
    python benchmarks/bench.py --serve-example [--repeat 3]                     # serve, the example

Without --build: times load + check, metrics, alerts and export in this process.
With --build: runs each build as a separate `reports-gen` process in one throwaway project and
prints one table, so the ratios compare runs made on the same machine in the same minute:

    full build (empty cache), plain `mkdocs build` of the same pages (the MkDocs floor),
    rebuild with nothing changed, after changing one row, after adding a week,
    `serve` latency (edit a CSV -> the page changes), check, export, peak memory,
    the largest HTML page and the search index.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def stage(name: str, timings: dict[str, float]):
    start = time.perf_counter()
    yield
    timings[name] = time.perf_counter() - start
    print(f"{name:<22} {timings[name]:7.2f} s", flush=True)


def stages(args: argparse.Namespace) -> None:
    """Time the library stages in this process."""
    from reports_gen.dataset.dataset import load_dataset
    from reports_gen.demo import generate_demo_data
    from reports_gen.metrics.export import export_frames, write_exports
    from reports_gen.metrics.report import compute_report

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
        with stage("report (all)", timings):
            report = compute_report(data)
        with stage("export", timings):
            write_exports(export_frames(report.metrics, report.alerts), Path(tmp) / "export")


# -- the build table ---------------------------------------------------------------------------


def _run(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Run a command; return (seconds, its peak memory in KiB).

    The peak is that of the whole process tree where /proc tells it (Linux): the command, the
    worker processes it starts, all at once, each counted by its proportional set size (a page
    shared by n processes counts 1/n in each), sampled every 0.1 s. Elsewhere it is the largest
    single process's peak RSS.
    """
    start = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = _TreeMemory(process.pid)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    sampler.stop()
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{stderr}")
    return seconds, sampler.peak or usage.ru_maxrss


class _TreeMemory(threading.Thread):
    """Sample the summed PSS (KiB) of a process and its descendants; keep the peak."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root, self.peak = root, 0
        self._done = threading.Event()

    def stop(self) -> None:
        self._done.set()
        self.join()

    def run(self) -> None:
        if not Path("/proc/self/smaps_rollup").exists():
            return
        while not self._done.wait(0.1):
            self.peak = max(self.peak, sum(_pss(pid) for pid in _tree(self.root)))


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += children.get(pid, [])
    return tree


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "reports_gen", *args]


def _largest_page(site: Path) -> tuple[str, int]:
    pages = [(p.stat().st_size, p) for p in site.rglob("*.html")]
    size, path = max(pages)
    return path.relative_to(site).as_posix(), size


def _search_index(site: Path) -> int:
    for name in ("search/search_index.json", "search.json"):
        if (site / name).exists():
            return (site / name).stat().st_size
    return 0


def _middle_week(data: Path) -> Path:
    weeks = sorted(p for p in (data / "weeks").iterdir() if p.is_dir())
    return weeks[len(weeks) // 2]


def change_one_row(calls: Path) -> None:
    """Raise the first non-zero order value of a calls.csv by 1,000."""
    lines = calls.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\r\n").split(",")
    value = header.index("order_value")
    for i, line in enumerate(lines[1:], start=1):
        cells = line.rstrip("\r\n").split(",")
        if len(cells) == len(header) and cells[value] not in ("", "0"):
            cells[value] = str(int(float(cells[value])) + 1000)
            lines[i] = ",".join(cells) + "\n"
            break
    calls.write_text("".join(lines), encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_LIVERELOAD = re.compile(rb"<script[^>]*>[^<]*livereload[^<]*</script>", re.IGNORECASE)


def _fetch(url: str) -> bytes | None:
    """Return the page without the live-reload script `serve` injects (it differs per request)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return _LIVERELOAD.sub(b"", bytes(response.read()))
    except OSError:
        return None


def _serve_latency(project: Path, data: Path, timeout: float = 300.0) -> float:
    """Start `serve`, edit a CSV, and time until the latest week's page changes."""
    port = _free_port()
    latest = sorted(p.name for p in (data / "weeks").iterdir() if p.is_dir())[-1]
    process = subprocess.Popen(
        _cli("--data", str(data), "serve", "-a", f"127.0.0.1:{port}"),
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        candidates = [f"weeks/{latest}/index.html", f"weeks/{latest}.html", f"weeks/{latest}/"]
        deadline = time.monotonic() + timeout
        url, before = None, None
        while time.monotonic() < deadline and before is None:
            for candidate in candidates:
                body = _fetch(f"http://127.0.0.1:{port}/{candidate}")
                if body and latest.encode() in body:
                    url, before = f"http://127.0.0.1:{port}/{candidate}", body
                    break
            else:
                time.sleep(0.5)
        if url is None or before is None:
            sys.exit("serve did not come up")
        # Wait until the page is stable: the first build may still be followed by a rebuild.
        while time.monotonic() < deadline:
            time.sleep(2.0)
            again = _fetch(url)
            if again == before:
                break
            before = again
        start = time.monotonic()
        change_one_row(data / "weeks" / latest / "calls.csv")
        while time.monotonic() - start < timeout:
            body = _fetch(url)
            if body is not None and body != before:
                return time.monotonic() - start
            time.sleep(0.05)  # the page is fetched every 0.05 s: the latency to within that
        sys.exit("serve did not update the page")
    finally:
        process.terminate()
        process.wait(timeout=30)


def build_table(args: argparse.Namespace) -> None:
    """Run every build scenario as its own process and print the table."""
    rows: list[tuple[str, str]] = []
    peaks: dict[str, int] = {}

    def row(name: str, value: str) -> None:
        rows.append((name, value))
        print(f"{name:<34} {value}", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        shutil.copytree(ROOT / "site_src", project / "site_src")
        data = project / "data"
        seconds, _ = _run(
            _cli(
                "demo-data",
                "--out",
                str(data),
                "--people",
                str(args.people),
                "--weeks",
                str(args.weeks),
                "--seed",
                str(args.seed),
            ),
            project,
        )
        # The "new week" case: hold the latest week back from the first builds.
        weeks = sorted(p for p in (data / "weeks").iterdir() if p.is_dir())
        held = project / "held-back-week"
        shutil.move(str(weeks[-1]), held)
        build = _cli("--data", str(data), "build")

        check, rss = _run(_cli("--data", str(data), "check"), project)
        peaks["check"] = rss
        export, rss = _run(_cli("--data", str(data), "export", "--out", str(project / "export")), project)
        peaks["export"] = rss
        full, rss = _run(build, project)
        peaks["full build"] = rss
        # The floor: MkDocs alone renders every page of the same site (the page cache emptied).
        shutil.rmtree(project / ".reports-gen" / "cache" / "html", ignore_errors=True)
        floor, _ = _run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(project / "floor")], project
        )
        same, rss = _run(build, project)
        peaks["nothing changed"] = rss
        change_one_row(_middle_week(data) / "calls.csv")
        one_row, rss = _run(build, project)
        peaks["one row"] = rss
        shutil.move(str(held), weeks[-1])
        new_week, rss = _run(build, project)
        peaks["new week"] = rss
        site = project / "site"
        pages = sum(1 for _ in site.rglob("*.html"))
        largest, size = _largest_page(site)
        index = _search_index(site)
        latency = _serve_latency(project, data) if not args.no_serve else float("nan")

        row("data", f"{args.people} people, {args.weeks} weeks, seed {args.seed}; {pages} HTML pages")
        row("check", f"{check:7.1f} s")
        row("export", f"{export:7.1f} s")
        row("full build, empty cache", f"{full:7.1f} s")
        row("plain mkdocs build (floor)", f"{floor:7.1f} s   full = {full / floor:.2f}x the floor")
        row("rebuild, nothing changed", f"{same:7.1f} s   {same / full:6.1%} of full")
        row("rebuild, one row changed", f"{one_row:7.1f} s   {one_row / full:6.1%} of full")
        row("rebuild, a new week", f"{new_week:7.1f} s   {new_week / full:6.1%} of full")
        row("serve: edit CSV -> page updated", f"{latency:7.1f} s")
        worst = max(peaks, key=lambda name: peaks[name])
        row(
            "peak memory (one command)",
            f"{peaks[worst] / 1024:7.0f} MB   its processes together (PSS), in the {worst}; "
            + ", ".join(f"{name} {kib / 1024:.0f}" for name, kib in peaks.items()),
        )
        row("largest page", f"{size / 1024:7.0f} KB   {largest}")
        row("search index", f"{index / 1024:7.0f} KB")


def serve_example(args: argparse.Namespace) -> None:
    """Time `serve` on the repository's example project: build it once, then edit it N times."""
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        shutil.copytree(ROOT / "site_src", project / "site_src")
        shutil.copytree(ROOT / "data", project / "data")
        _run(_cli("--data", str(project / "data"), "build"), project)
        for run in range(1, args.repeat + 1):  # each a fresh `serve`: its first edit
            latency = _serve_latency(project, project / "data")
            print(f"serve on the example, run {run}: edit CSV -> page updated {latency:5.2f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--build", action="store_true", help="print the build table")
    parser.add_argument("--no-serve", action="store_true", help="with --build: skip the serve latency")
    parser.add_argument(
        "--serve-example", action="store_true", help="time `serve` on the repository's example project"
    )
    parser.add_argument("--repeat", type=int, default=3, help="with --serve-example: how many runs")
    args = parser.parse_args()
    if args.serve_example:
        serve_example(args)
    elif args.build:
        build_table(args)
    else:
        stages(args)


if __name__ == "__main__":
    main()
