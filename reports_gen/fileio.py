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

from reports_gen.errors import Message, Param, ReportsError, render

_REASONS = {  # the message codes of the usual causes (i18n/messages.*.yaml)
    errno.ENOSPC: "file.disk-full",
    errno.EDQUOT: "file.quota-used-up",
    errno.EROFS: "file.read-only",
    errno.EACCES: "file.permission-denied",
    errno.EPERM: "file.permission-denied",
}


TEMPORARY = ".*.tmp"  # the name pattern of atomic_open's temporary files


class WriteError(ReportsError):
    """A file could not be written; nothing half-written was left behind."""

    def __init__(self, path: Path | str, error: OSError):
        self.path = str(path)
        self.errno = error.errno
        code = _REASONS.get(error.errno or 0)
        reason: Param = Message(code) if code else error.strerror or str(error)
        self.code, self.params = "file.write-failed", {"path": str(path), "reason": reason}
        super().__init__(render(self.code, self.params))


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
        fsync_dir(path.parent)
    except OSError as error:
        raise WriteError(path, error) from error
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def fsync_dir(folder: Path) -> None:
    """Make a rename into `folder` durable (best effort: not every platform can open a folder)."""
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
