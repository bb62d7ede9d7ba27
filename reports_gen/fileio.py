"""The one way reports-gen writes a file: a temporary file beside it, fsync, rename, cleanup.

Every writer (pages, charts, exports, new-week, import, init) calls `atomic_write`, so a
crash, a full disk or a read-only folder never leaves a truncated file where a user looks,
and the failure reaches the user as one clean line (`WriteError`, exit 1).
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from reports_gen.errors import ReportsError

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}


class WriteError(ReportsError):
    """A file could not be written; nothing half-written was left behind."""

    def __init__(self, path: Path | str, error: OSError):
        self.path = str(path)
        self.errno = error.errno
        reason = _REASONS.get(error.errno or 0) or error.strerror or str(error)
        super().__init__(f"{path}: error: could not write: {reason}")


def atomic_write(path: Path, data: bytes | str, *, encoding: str = "utf-8") -> None:
    """Write `data` to `path` all or nothing: temporary file in the same folder, fsync, rename."""
    payload = data.encode(encoding) if isinstance(data, str) else data
    with atomic_open(path) as handle:
        handle.write(payload)


@contextlib.contextmanager
def atomic_open(path: Path) -> Iterator[IO[bytes]]:
    """Open a binary temporary file that replaces `path` when the block ends without error."""
    path = Path(path)
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(path.parent)
    except OSError as error:
        raise WriteError(path, error) from error
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every platform can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
