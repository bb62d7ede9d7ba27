"""Git plumbing for `diff`: find the repository, resolve revisions, read a directory at a commit.

Files are read from git's object store into a temporary directory, so the user's checkout is
never touched.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from reports_gen.errors import ReportsError


class RevisionError(ReportsError):
    """A revision or repository git cannot give us: a usage error."""

    exit_code = 2


def git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run git in `repo` and return its output; raise RevisionError with git's first line of error."""
    try:
        proc = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise RevisionError.of("diff.no-git") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError.of("diff.git-failed", message=message[0] if message else f"git {args[0]} failed")
    return proc.stdout


def locate(data_dir: Path) -> tuple[Path, str]:
    """Return the repository root and the data directory's path inside it (posix, '' for the root)."""
    target = Path(os.path.abspath(data_dir))
    start = target
    while not start.is_dir() and start != start.parent:
        start = start.parent
    try:
        top = Path(git(start, "rev-parse", "--show-toplevel").decode().strip()).resolve()
    except RevisionError:
        raise RevisionError.of("diff.not-in-repository", data=str(data_dir)) from None
    existing = start.resolve() / target.relative_to(start)
    try:
        relative = existing.relative_to(top)
    except ValueError:
        raise RevisionError.of("diff.outside-repository", data=str(data_dir), top=str(top)) from None
    return top, relative.as_posix() if relative.parts else ""


def resolve(repo: Path, revision: str) -> str:
    """Return the commit id of a revision, or raise RevisionError with what to do."""
    proc = None
    if revision and not revision.startswith("-"):
        proc = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"],
            capture_output=True,
            check=False,
        )
    if proc is None or proc.returncode != 0:
        raise RevisionError.of("diff.unknown-revision", revision=repr(revision), repo=str(repo))
    return proc.stdout.decode().strip()


def export_tree(repo: Path, commit: str, data_path: str, dest: Path) -> Path | None:
    """Write the data directory of `commit` below `dest`; None when the commit has none."""
    pathspec = [data_path] if data_path else []
    listing = git(repo, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *pathspec)
    prefix = f"{data_path}/" if data_path else ""
    blobs: list[tuple[str, str]] = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, oid = meta.decode().split(" ")
        path = raw_path.decode("utf-8", "surrogateescape")
        if kind == "blob" and mode != "120000" and path.startswith(prefix):  # no symlinks, submodules
            blobs.append((oid, path[len(prefix) :]))
    if not blobs:
        return None
    output = git(repo, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid, _ in blobs).encode())
    position = 0
    dest.mkdir(parents=True)
    for _, path in blobs:
        header_end = output.index(b"\n", position)
        header = output[position:header_end].split(b" ")
        if len(header) != 3:  # "<oid> missing": a clone that lacks the revision's files
            raise RevisionError.of("diff.files-missing", short=commit[:7], commit=commit)
        size = int(header[2])
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(output[header_end + 1 : header_end + 1 + size])
        position = header_end + 1 + size + 1  # the content is followed by a newline
    return dest


def label(revision: str, commit: str) -> str:
    """Name a revision for people: the short commit, after the name given when it was not a hash."""
    short = commit[:7]
    is_sha = re.fullmatch(r"[0-9a-fA-F]{4,64}", revision) and commit.startswith(revision.lower())
    return short if is_sha else f"{revision} ({short})"
