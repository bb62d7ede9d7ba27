"""Compiled Jinja templates, kept between builds and between a live preview's rebuilds.

MkDocs makes a new Jinja environment for the theme on every build, and so compiles the
theme's templates again each time (about 0.1 s for Material's, on every `serve` rebuild);
reports-gen's own page templates are compiled once per process. A `TemplateCache` keeps the
compiled code in this process's memory and in a folder of the project's cache. Jinja checks
each entry against its template's source and its own and Python's versions, and compiles
again on any difference, so a cached template is never one that was edited since.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import ClassVar

import jinja2
from jinja2.bccache import Bucket

from reports_gen.fileio import WriteError, atomic_write

SUFFIX = ".jinja"


class TemplateCache(jinja2.BytecodeCache):
    """Jinja's bytecode cache in memory (for the process) and in `folder` (between builds)."""

    _memory: ClassVar[dict[str, bytes]] = {}

    def __init__(self, folder: Path | None = None):
        self.folder = folder

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self._memory.get(bucket.key)
        if data is None and self.folder is not None:
            try:
                data = (self.folder / f"{bucket.key}{SUFFIX}").read_bytes()
            except OSError:
                return
        if data is None:
            return
        try:
            bucket.bytecode_from_string(data)  # resets the bucket on another source or version
        except Exception:  # noqa: BLE001 - a damaged entry is compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        data = bucket.bytecode_to_string()
        self._memory[bucket.key] = data
        if self.folder is not None:
            with contextlib.suppress(WriteError):  # only a cache: the build goes on without it
                atomic_write(self.folder / f"{bucket.key}{SUFFIX}", data)


def cached_templates(env: jinja2.Environment, folder: Path | None) -> jinja2.Environment:
    """Have `env` keep its compiled templates in a TemplateCache on `folder`; return it."""
    env.bytecode_cache = TemplateCache(folder)
    return env
