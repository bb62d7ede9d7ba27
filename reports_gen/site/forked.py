"""Work on two cores: a forked child does one part of the work while this process does the rest.

Planning pages is pure Python over the report's frames, so threads would take turns on one
core. A forked child shares the frames without copying them, and sends what it made back
pickled through a pipe. Whatever goes wrong with the child (an error, a crash, a hang, no
`fork` on this platform, a single core), `results` gives None and the caller does that part
itself: the result is the same, only later.
"""

from __future__ import annotations

import contextlib
import io
import logging
import mmap
import os
import pickle
import select
import signal
import struct
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NoReturn, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)

# A child still silent this long after the parent finished its own part (and at least 3 times
# as long as that part took) is taken to hang — say on a lock another thread held at the fork.
PATIENCE = 30.0
_END = "reports-gen: the child sent everything"  # its last pickle


class Forked:
    """A child process sending values, each pickled as soon as it is made; `results` waits for
    the last. They are read as they come, so the child is never held up by a full pipe."""

    def __init__(self, pid: int, pipe: int, started: float):
        self.pid = pid
        self._started = started
        self._chunks: list[bytes] = []
        self._complete = False
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

    def running(self) -> bool:
        """Tell whether the child may still send something."""
        return self._reader.is_alive()

    def results(self) -> list[Any] | None:
        """Return the child's values in order, or None if it failed, died or hangs (then killed)."""
        mine = time.monotonic() - self._started
        self._reader.join(max(PATIENCE, 3 * mine))
        if self._reader.is_alive():
            log.debug("the forked child did not answer in time: the parent does its part")
        code = self._reap(kill=self._reader.is_alive())
        self._reader.join()  # the killed child's end of the pipe is closed: the reader stops
        data, self._chunks = b"".join(self._chunks), []
        if not self._complete or code != 0:
            return None
        values, stream = [], io.BytesIO(data)
        try:
            while not (isinstance(value := pickle.load(stream), str) and value == _END):
                values.append(value)
        except Exception:  # a truncated or foreign pickle, or no end: the parent does the part itself
            return None
        return values if stream.tell() == len(data) else None

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


def share(units: Sequence[Callable[[bool], T]], idle: Callable[[], bool] | None = None) -> list[T]:
    """Run every unit once, on two cores, and return their results in order.

    This process takes the units from the front and a forked child takes them from the back
    until they meet, so the work is shared however it is spread; a unit is called with True
    when it runs in the child, and what it returns there must pickle. Units the child does not
    hand back (it failed, died or hangs) are run here. While this process waits for the child's
    last unit, it calls `idle` (other work, a piece at a time) until that says there is no more.
    """
    claims = _Claims.make(len(units)) if len(units) > 1 else None
    child = start(lambda: _from_back(units, claims)) if claims is not None else None
    if claims is None or child is None:
        return [unit(False) for unit in units]
    mine = []
    while (at := claims.take(front=True)) is not None:
        mine.append(units[at](False))
    while idle is not None and child.running() and idle():
        pass
    sent = child.results()
    claims.close()
    theirs: dict[int, T] = dict(sent or [])
    rest = range(len(mine), len(units))
    if any(i not in theirs for i in rest):
        return mine + [units[i](False) for i in rest]
    return mine + [theirs[i] for i in rest]


def _from_back(
    units: Sequence[Callable[[bool], T]], claims: _Claims
) -> Iterator[tuple[int, T]]:  # pragma: no cover
    """The child's side of `share`: the units from the back, each with its place."""
    while (at := claims.take(front=False)) is not None:
        yield at, units[at](True)


class _Claims:
    """Which units are left, shared by the two processes: [first, end) in shared memory, a lock
    that is a byte in a pipe (whoever read it holds it)."""

    # Holding the lock takes microseconds: a process that waits longer lost the other one
    # while it held it (killed), and stops taking units; `share` runs the rest here.
    WAIT = 5.0

    def __init__(self, count: int, memory: mmap.mmap, lock: tuple[int, int]):
        self._memory, (self._read, self._write) = memory, lock
        struct.pack_into("qq", self._memory, 0, 0, count)
        os.write(self._write, b".")

    @classmethod
    def make(cls, count: int) -> _Claims | None:
        try:
            return cls(count, mmap.mmap(-1, 16), os.pipe())
        except (OSError, ValueError, AttributeError):  # no anonymous shared memory here
            return None

    def take(self, front: bool) -> int | None:
        """Claim the first unit left (or the last); None when none is left."""
        if not select.select([self._read], [], [], self.WAIT)[0]:
            return None
        os.read(self._read, 1)
        try:
            first, end = struct.unpack_from("qq", self._memory, 0)
            if first >= end:
                return None
            if front:
                struct.pack_into("qq", self._memory, 0, first + 1, end)
                return first
            struct.pack_into("qq", self._memory, 0, first, end - 1)
            return end - 1
        finally:
            os.write(self._write, b".")

    def close(self) -> None:
        os.close(self._read)
        os.close(self._write)
        self._memory.close()


def start(produce: Callable[[], Iterable[object]]) -> Forked | None:
    """Run `produce` in a forked child, which sends each value it yields; None where that cannot
    help (no fork, a single core)."""
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
        _child(produce, read, write, parent)
    os.close(write)
    return Forked(pid, read, started)


def _child(
    produce: Callable[[], Iterable[object]], read: int, write: int, parent: int
) -> NoReturn:  # pragma: no cover
    """Pickle each value into the pipe as it comes, then the end, and leave without running the
    parent's cleanups; a failure exits with 1, so the parent uses none of the values."""
    code = 1
    try:
        os.close(read)
        die_with_parent(parent)
        # pickled straight into the pipe through a small buffer: never a whole value's bytes at once
        with open(write, "wb", buffering=1 << 16) as pipe:
            for value in produce():
                pickle.dump(value, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(_END, pipe)  # what a child that stops before it sent everything lacks
        code = 0
    except BaseException:  # noqa: BLE001 - any failure: the parent does the part itself
        pass
    finally:
        os._exit(code)


def die_with_parent(parent: int | None) -> None:  # pragma: no cover - runs in the child
    """On Linux, be killed with the parent: a killed build must not leave a child holding its
    lock or its output. `parent`: the pid the parent had, to leave at once if it is gone already
    (None when this process was not forked from it, as a fork server's children)."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if parent is not None and os.getppid() != parent:
        os._exit(1)
