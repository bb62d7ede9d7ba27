"""Torture the build, export and new-week commands: kill -9, concurrency, full and read-only disks,
alias bombs under a memory limit, huge headers and cells.

Every case runs the real command in a subprocess and asserts what a user relies on: data/ is
byte-for-byte unchanged, site/ is either the old or the new complete site, nothing is left
behind, and a failure is one clean line (never a traceback). The whole module stays well under
two minutes; disk cases need root (a tmpfs) and are skipped without it.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures import CALLS_W47, ROOT, tree_digest, write_data

# MkDocs stamps the sitemap with the build time: fixed, two builds of the same data are equal.
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1764547200", "PYTHONUNBUFFERED": "1"}
MORE_CALLS = CALLS_W47 + "2026-11-20,andi,O1,no,yes,1000000,4,,\n"  # variant B: one more order
# what .reports-gen/ holds between builds (pages.key, site.key: what the pages and site were made
# from; site.manifest: what each file of the site was made from, for the next build to take over)
WORK_FILES = {"build.lock", "cache", "pages", "pages.digest", "pages.key", "site.key", "site.manifest"}


def run(project: Path, *args: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    """Run reports-gen in `project` and return the finished process (text output)."""
    return subprocess.run(
        [sys.executable, "-m", "reports_gen", *args],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kwargs,
    )


def start(project: Path, *args: str) -> subprocess.Popen:
    """Start reports-gen in `project` without waiting for it."""
    return subprocess.Popen(
        [sys.executable, "-m", "reports_gen", *args],
        cwd=project,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def one_clean_line(stderr: str, ending: str) -> None:
    """Assert that a failure printed exactly one line, ending as expected, and no traceback."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ") and lines[0].endswith(ending), stderr


def leftovers(*folders: Path) -> list[str]:
    """Return temporary or staging files and folders a command left behind."""
    marks = (".tmp", ".new", ".old", "reports-gen-new", "reports-gen-old", ".importing")
    found = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.name.endswith(marks) or (path.name.startswith(".") and path.name.endswith(".tmp")):
                found.append(str(path.relative_to(folder)))
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A project whose data lives in data/ (variant A) with mkdocs.yml and site_src/."""
    root = tmp_path_factory.mktemp("torture")
    write_data(root / "data", {})
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "site_src", root / "site_src")
    return root


@pytest.fixture(scope="module")
def sites(project) -> dict[str, str]:
    """The digests of the complete site of variant A and of variant B (built for real)."""
    digests = {}
    for variant, calls in (("A", CALLS_W47), ("B", MORE_CALLS), ("A", CALLS_W47)):
        write_data(project / "data", {"weeks/2026-W47/calls.csv": calls})
        done = run(project, "build", "-q")
        assert done.returncode == 0, done.stderr
        digest = tree_digest(project / "site")
        assert digests.setdefault(variant, digest) == digest  # builds are reproducible
    assert digests["A"] != digests["B"]
    return digests


def _use(project: Path, variant: str) -> str:
    write_data(project / "data", {"weeks/2026-W47/calls.csv": CALLS_W47 if variant == "A" else MORE_CALLS})
    return tree_digest(project / "data")


# -- kill -9 ------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kill_9_at_a_random_moment_leaves_the_old_or_the_new_site(project, sites, seed):
    rng = random.Random(seed)
    now = next(v for v, d in sites.items() if d == tree_digest(project / "site"))
    target = "B" if now == "A" else "A"
    data_before = _use(project, target)
    started = time.monotonic()
    build = start(project, "build", "-q")
    # a cached build takes a few seconds here: the kill lands anywhere from start-up to the swap
    time.sleep(rng.uniform(0.5, 6.0))
    build.kill()
    build.communicate()
    assert time.monotonic() - started < 30
    assert tree_digest(project / "site") in (sites[now], sites[target])
    assert tree_digest(project / "data") == data_before
    # the next build finishes the job and clears what the killed one left
    done = run(project, "build", "-q")
    assert done.returncode == 0, done.stderr
    assert tree_digest(project / "site") == sites[target]
    assert {p.name for p in (project / ".reports-gen").iterdir()} == WORK_FILES
    assert leftovers(project) == []
    assert tree_digest(project / "data") == data_before


# -- two builds at once -------------------------------------------------------------------------


def test_two_concurrent_builds_one_runs_the_other_says_so(project, sites):
    now = next(v for v, d in sites.items() if d == tree_digest(project / "site"))
    target = "B" if now == "A" else "A"
    data_before = _use(project, target)
    builds = [start(project, "build", "-q") for _ in range(2)]
    results = [(b.wait(timeout=120), b.communicate()[1]) for b in builds]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 1], [0, 0]), results  # [0, 0] only if one ended before the other began
    for code, stderr in results:
        if code == 1:
            one_clean_line(stderr, f"another build is running in {project}")
    assert tree_digest(project / "site") == sites[target]
    assert tree_digest(project / "data") == data_before
    assert leftovers(project) == []


# -- full and read-only disks (root: a small tmpfs) ---------------------------------------------


@contextlib.contextmanager
def tmpfs(where: Path, size: str = "64m") -> Iterator[Path]:
    """Mount a tmpfs at `where` (skip the test where that is not permitted)."""
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a tmpfs")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Fill the file system of `disk` up to `leave` free bytes with one file; return it."""
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free
    with filler.open("ab") as handle:
        remaining = max(0, free - leave)
        block = b"\0" * (1 << 20)
        while remaining > 0:
            written = handle.write(block[: min(len(block), remaining)])
            remaining -= written
    return filler


def test_a_full_disk_fails_cleanly_and_keeps_the_old_site(project, sites, tmp_path):
    with tmpfs(tmp_path / "disk") as disk:
        shutil.copy(project / "mkdocs.yml", disk / "mkdocs.yml")
        shutil.copytree(project / "site_src", disk / "site_src", symlinks=False)
        shutil.copytree(project / "data", disk / "data")
        _use(disk, "A")
        assert run(disk, "build", "-q").returncode == 0
        old = tree_digest(disk / "site")
        data_before = _use(disk, "B")
        filler = fill(disk, leave=256 * 1024)  # room for a few pages, not for a site
        failed = run(disk, "build", "-q")
        assert failed.returncode == 1
        one_clean_line(failed.stderr, "the disk is full")
        assert tree_digest(disk / "site") == old
        assert leftovers(disk) == []
        assert {p.name for p in (disk / ".reports-gen").iterdir()} <= WORK_FILES

        # export and new-week on the same full disk: one line each, nothing half-written
        fill(disk, leave=0)
        exported = run(disk, "export", "--out", "out")
        assert exported.returncode == 1
        one_clean_line(exported.stderr, "the disk is full")
        assert not (disk / "out").exists()
        created = run(disk, "new-week", "2026-W48")
        assert created.returncode == 1
        one_clean_line(created.stderr, "the disk is full")
        assert not (disk / "data" / "weeks" / "2026-W48").exists()
        assert tree_digest(disk / "data") == data_before

        filler.unlink()
        assert run(disk, "build", "-q").returncode == 0  # room again: the build goes through
        assert tree_digest(disk / "site") == sites["B"]


def test_a_read_only_data_directory(project, sites, tmp_path):
    with tmpfs(tmp_path / "ro") as ro:
        shutil.copytree(project / "data", ro / "data")
        _use(ro, "A")
        remount = subprocess.run(["mount", "-o", "remount,ro", str(ro)], capture_output=True)
        if remount.returncode != 0:
            pytest.skip("cannot remount read-only")
        data_before = tree_digest(ro / "data")
        built = run(project, "build", "-q", "--data", str(ro / "data"))
        assert built.returncode == 0, built.stderr  # a build only reads the data
        assert tree_digest(project / "site") == sites["A"]
        created = run(project, "new-week", "2026-W48", "--data", str(ro / "data"))
        assert created.returncode == 1
        one_clean_line(created.stderr, "could not write: the file system is read-only")
        exported = run(project, "export", "--data", str(ro / "data"), "--out", str(ro / "export"))
        assert exported.returncode == 1
        one_clean_line(exported.stderr, "could not write: the file system is read-only")
        assert tree_digest(ro / "data") == data_before


# -- hostile files ------------------------------------------------------------------------------


BOMB = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{c}: &{c} [" + ",".join([f"*{chr(ord(c) - 1)}"] * 9) + "]" for c in "bcdefghi"]
)


def _limited_memory() -> None:
    import resource

    limit = 1536 * 1024 * 1024  # 1.5 GB of address space: the bomb alone would need 2.6 GB
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_an_alias_bomb_is_refused_within_a_memory_limit(project, sites, tmp_path):
    data = write_data(tmp_path / "data", {"team.yaml": BOMB + "\n"})
    data_before = tree_digest(data)
    site_before = tree_digest(project / "site")
    started = time.monotonic()
    checked = run(project, "check", "--data", str(data), preexec_fn=_limited_memory, timeout=60)
    assert time.monotonic() - started < 20
    assert checked.returncode == 1
    assert "MemoryError" not in checked.stderr + checked.stdout
    assert checked.stdout.splitlines()[0] == (
        f"{data / 'team.yaml'}:1:4: error: YAML anchor &a is not allowed in data files "
        "(hint: write each value out in full)"
    )
    built = run(project, "build", "-q", "--data", str(data), preexec_fn=_limited_memory, timeout=60)
    assert built.returncode == 1 and "Traceback" not in built.stderr
    assert tree_digest(project / "site") == site_before
    assert tree_digest(data) == data_before


def test_huge_headers_and_cells_give_bounded_clean_output(project, sites, tmp_path):
    header = "outlet_id,name,type,area,rep_id,visits_per_week" + ",x" * 1_000_000
    huge_cell = CALLS_W47 + '2026-11-17,andi,O1,yes,yes,1,1,,"' + "y" * 5_000_000 + '"\n'
    data = write_data(
        tmp_path / "data", {"outlets.csv": header + "\n", "weeks/2026-W47/calls.csv": huge_cell}
    )
    data_before = tree_digest(data)
    site_before = tree_digest(project / "site")
    started = time.monotonic()
    checked = run(project, "check", "--data", str(data), timeout=60)
    assert time.monotonic() - started < 30
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    lines = checked.stdout.splitlines()
    # outlets.csv: 10 unknown columns and the count of the rest; calls.csv's 5 MB cell is read
    # (csvfile.CELL_LIMIT: a cell may be as long as its file), so it adds no line
    assert len(lines) == 11, lines[:15]
    # the count comes after the ten shown, at the column of the first one not shown (49 + 10 * 2)
    assert lines[10].endswith("outlets.csv:1:69: error: ... and 999990 more unknown columns")
    built = run(project, "build", "-q", "--data", str(data), timeout=60)
    assert built.returncode == 1 and "Traceback" not in built.stderr
    assert tree_digest(project / "site") == site_before
    assert tree_digest(data) == data_before


def test_sigterm_between_stages_never_loses_the_site(project, sites):
    # a polite stop (Ctrl-C in CI, a runner cancelling the job) is held to the same standard
    now = next(v for v, d in sites.items() if d == tree_digest(project / "site"))
    target = "B" if now == "A" else "A"
    _use(project, target)
    build = start(project, "build", "-q")
    time.sleep(2.5)
    build.send_signal(signal.SIGTERM)
    build.communicate(timeout=60)
    assert tree_digest(project / "site") in (sites[now], sites[target])
    done = run(project, "build", "-q")
    assert done.returncode == 0, done.stderr
    assert leftovers(project) == []
