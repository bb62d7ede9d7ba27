"""The folders a build writes: the build lock, the site folder guard, and atomic folder swaps.

A build writes only into `.reports-gen/` (its work folder) and into the site folder. The site
folder is replaced as a whole, so it must be one that a previous build made (it carries the
STAMP file), and it may never be, hold or lie inside the data, the docs, the project or a git
work tree. The swap exchanges the new and the old folder in one system call where the system
has one (Linux `renameat2`, macOS `renamex_np`), so the site is complete at every instant and
stays a plain folder (what `actions/upload-pages-artifact` and a browser opening
`site/index.html` expect). Elsewhere two renames are used, and the next build puts a site back
that a crash between them left aside.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from reports_gen.errors import BuildError, ReportsError, Term, display_path
from reports_gen.fileio import TEMPORARY, WriteError, atomic_write, fsync_dir

STAMP = ".reports-gen-site"
STAMP_TEXT = "This folder was made by `reports-gen build`, which replaces it on every build.\n"
# What a site built before the stamp existed holds: the plugin's own stylesheet.
_LEGACY_MARK = Path("assets") / "reports-gen.css"


class SiteDirError(BuildError):
    """The site folder cannot be used: a usage error (exit 2), nothing was written."""

    exit_code = 2


class BuildLocked(BuildError):
    """Another build holds the lock of the project's work folder."""


# -- the lock ------------------------------------------------------------------------------------


@contextlib.contextmanager
def build_lock(work: Path, project: Path, wait: bool = False) -> Iterator[None]:
    """Hold the build lock of `work` (a file lock: a killed build releases it) for the block."""
    path = work / "build.lock"
    try:
        work.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise WriteError(path, error) from error
    try:
        if not _lock(fd, wait):
            raise BuildLocked.of("build.locked", project=str(project.resolve()))
        sweep_temporaries(work)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def sweep_temporaries(work: Path) -> None:
    """Delete the temporary files a killed command left in `work` (the lock is held: none is live).

    `atomic_open` removes its temporary file on every error, but a process stopped by a signal
    (SIGKILL, a runner cancelling the job) runs no cleanup; the next build, holding the lock
    that every writer of the work folder takes, is the first moment they can safely go.
    """
    for path in work.rglob(TEMPORARY):
        with contextlib.suppress(OSError):
            if path.is_file() and not path.is_symlink():
                path.unlink()


def _lock(fd: int, wait: bool) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


# -- the guard -----------------------------------------------------------------------------------


def check_site_dir(site: Path, data_dir: Path, docs_dir: Path, project: Path, work: Path) -> Path:
    """Refuse a site folder that a build must not replace; return it as an absolute path."""
    shown = display_path(str(site))
    if site.is_symlink():
        raise SiteDirError.of("site.symlink", site=shown)
    target = site.resolve()
    root = Term("problem.word.project-root", "project root")
    data = Term("problem.word.data-dir", "data directory")
    docs = Term("problem.word.docs-dir", "docs directory")
    work_folder = Term("problem.word.work-folder", "work folder")
    protected = {root: project.resolve(), data: data_dir.resolve(), docs: docs_dir.resolve()}
    git_root = _git_root(project.resolve())
    if git_root is not None:
        protected[Term("problem.word.git-root", "git root")] = git_root
    for holds, what, path in [(h, w, p) for h in (False, True) for w, p in protected.items()]:
        if (target in path.parents) if holds else (target == path):
            named = display_path(str(path))
            where = "" if named == shown else f" ({named})"
            raise SiteDirError.of(
                "site.holds-protected" if holds else "site.is-protected",
                site=shown,
                what=what,
                where=where,
            )
    protected[work_folder] = work.resolve()
    for what in (data, docs, work_folder):
        if protected[what] == target or protected[what] in target.parents:
            inside = display_path(str(protected[what]))
            raise SiteDirError.of("site.inside-protected", site=shown, what=what, path=inside)
    if ".git" in target.parts:
        raise SiteDirError.of("site.inside-git-folder", site=shown)
    if (target / ".git").exists():
        raise SiteDirError.of("site.git-root", site=shown)
    if target.exists() and not target.is_dir():
        raise SiteDirError.of("site.is-a-file", site=shown)
    if target.is_dir() and not _made_by_a_build(target):
        raise SiteDirError.of("site.not-made-by-a-build", site=shown, stamp=STAMP)
    return target


def _git_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _made_by_a_build(folder: Path) -> bool:
    if (folder / STAMP).is_file() or (folder / _LEGACY_MARK).is_file():
        return True
    return not any(folder.iterdir())


def stamp(site: Path) -> None:
    """Mark a freshly built site folder as made by a build (the guard then lets it be replaced)."""
    atomic_write(site / STAMP, STAMP_TEXT)


# -- writing and swapping folders ----------------------------------------------------------------


def write_tree(
    folder: Path, files: Mapping[str, bytes] | Iterable[tuple[str, bytes]], reuse: Path | None = None
) -> None:
    """Write `files` (relative path -> bytes, or such pairs) into a fresh `folder`, each file atomically.

    A file whose bytes are those of the same file under `reuse` (the previous generation) is
    hard-linked from there instead of written again: a rebuild writes only what changed.
    """
    remove_tree(folder)
    try:
        for path, content in files.items() if isinstance(files, Mapping) else files:
            if reuse is None or not _link_same(reuse / path, folder / path, content):
                atomic_write(folder / path, content)
    except BaseException:
        with contextlib.suppress(ReportsError, OSError):
            remove_tree(folder)
        raise


def _link_same(old: Path, new: Path, content: bytes) -> bool:
    """Hard-link `old` to `new` if it holds `content`; tell whether it did."""
    try:
        if old.stat().st_size != len(content) or old.read_bytes() != content:
            return False
        new.parent.mkdir(parents=True, exist_ok=True)
        os.link(old, new)
    except OSError:
        return False
    return True


def remove_tree(folder: Path) -> None:
    """Delete a folder the tool made, if it exists."""
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.exists():
        try:
            shutil.rmtree(folder)
        except OSError as error:
            raise WriteError(folder, error) from error


def aside(target: Path) -> Path:
    """Return where a swap parks the previous version of `target` (same folder, same disk)."""
    return target.with_name(f".{target.name}.reports-gen-old")


def restore(target: Path) -> None:
    """Put back a previous version that a crash between the two renames of a swap left aside."""
    old = aside(target)
    if old.is_dir() and not target.exists():
        os.rename(old, target)


def swap_in(new: Path, target: Path) -> None:
    """Replace the folder `target` by the folder `new`, leaving a complete `target` at every instant."""
    try:
        restore(target)
        if not target.exists():
            os.rename(new, target)
        elif _exchange(new, target):
            remove_tree(new)  # it holds the previous version now
        else:
            old = aside(target)
            remove_tree(old)
            os.rename(target, old)
            os.rename(new, target)
            remove_tree(old)
        fsync_dir(target.parent)
    except OSError as error:
        raise WriteError(target, error) from error


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two paths atomically; False when the system or file system cannot."""
    libc = _libc()
    if libc is None:
        return False
    if sys.platform == "darwin":
        call = getattr(libc, "renamex_np", None)
        args: tuple = (os.fsencode(a), os.fsencode(b), 0x2)  # RENAME_SWAP
    else:
        call = getattr(libc, "renameat2", None)
        args = (-100, os.fsencode(a), -100, os.fsencode(b), 0x2)  # AT_FDCWD, RENAME_EXCHANGE
    if call is None:
        return False
    if call(*args) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _libc() -> ctypes.CDLL | None:
    if sys.platform not in ("linux", "darwin"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - a libc that cannot be opened
        return None
