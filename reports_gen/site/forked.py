"""Work on two cores: a forked child does one part of the work while this process does the rest.

Planning pages is pure Python over the report's frames, so threads would take turns on one
core. A forked child shares the frames without copying them, and sends what it made back
pickled through a pipe. Whatever goes wrong with the child (an error, a crash, a hang, no
`fork` on this platform, a single core), `result` gives None and the caller does that part
itself: the result is the same, only later.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable
from typing import Generic, NoReturn, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)

# A child still silent this long after the parent finished its own part (and at least 3 times
# as long as that part took) is taken to hang — say on a lock another thread held at the fork.
PATIENCE = 30.0


class Forked(Generic[T]):
    """A child process computing a value; its answer is read as it comes, `result` waits for it."""

    def __init__(self, pid: int, pipe: int, started: float):
        self.pid = pid
        self._started = started
        self._chunks: list[bytes] = []
        self._complete = False
        # Read while this process does its own part: the child is not held up by a full pipe.
        self._reader = threading.Thread(target=self._read, args=(pipe,), daemon=True)
        self._reader.start()

    def _read(self, pipe: int) -> None:
        try:
            while chunk := os.read(pipe, 1 << 20):
                self._chunks.append(chunk)
            self._complete = True
        except OSError:
            pass
        finally:
            os.close(pipe)

    def result(self) -> T | None:
        """Return the child's value, or None if it failed, died or hangs (it is then killed)."""
        mine = time.monotonic() - self._started
        self._reader.join(max(PATIENCE, 3 * mine))
        if self._reader.is_alive():
            log.debug("the forked child did not answer in time: the parent does its part")
        code = self._reap(kill=self._reader.is_alive())
        self._reader.join()  # the killed child's end of the pipe is closed: the reader stops
        if not self._complete or code != 0:
            return None
        try:
            return pickle.loads(b"".join(self._chunks))  # type: ignore[no-any-return]
        except Exception:  # a truncated or foreign payload: the parent does the part itself
            return None
        finally:
            self._chunks.clear()

    def _reap(self, kill: bool) -> int:
        """Wait for the child (killing it first if `kill`); return its exit code, -1 if killed."""
        if kill:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            return -1
        return os.waitstatus_to_exitcode(status)


def start(task: Callable[[], T]) -> Forked[T] | None:
    """Run `task` in a forked child; None where that cannot help (no fork, a single core)."""
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return None
    read, write = os.pipe()
    parent = os.getpid()
    started = time.monotonic()
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns that a thread of this process may hold a lock the child then
            # waits for; the child's deadline above turns such a hang into the parent's work.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        _child(task, read, write, parent)
    os.close(write)
    return Forked(pid, read, started)


def _child(task: Callable[[], object], read: int, write: int, parent: int) -> NoReturn:  # pragma: no cover
    """Compute, send the pickled value, and leave without running the parent's cleanups."""
    code = 1
    try:
        os.close(read)
        _die_with_parent(parent)
        payload = memoryview(pickle.dumps(task(), protocol=pickle.HIGHEST_PROTOCOL))
        while payload:
            payload = payload[os.write(write, payload) :]
        code = 0
    except BaseException:  # noqa: BLE001 - any failure: the parent does the part itself
        pass
    finally:
        os._exit(code)


def _die_with_parent(parent: int) -> None:  # pragma: no cover - runs in the child
    """On Linux, be killed with the parent: a killed build must not leave a child holding its lock."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)
