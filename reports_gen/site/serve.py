"""Live preview: MkDocs' dev server, with pages regenerated whenever the data changes."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from reports_gen.dataset.settings import read_language
from reports_gen.errors import BuildError, DataError, Message, Param
from reports_gen.i18n import Translator
from reports_gen.metrics.report import cached_report
from reports_gen.site.build import WORK_DIR, generate_pages, pages_are_current
from reports_gen.site.folders import build_lock
from reports_gen.site.incremental import quiet_dirty_warning

log = logging.getLogger("mkdocs.plugins.reports-gen")
_ADDRESS_ERRORS = (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES)


class AddressError(BuildError):
    """The address to serve on cannot be used (taken, not this machine's, or privileged)."""


def serve_site(data_dir: Path, config_file: Path, dev_addr: str, as_of: dt.date | None) -> None:
    """Generate the pages, then serve the site and regenerate them on every change."""
    from mkdocs.commands.serve import serve

    from reports_gen.site.mkdocs_plugin import ReportsPlugin

    if not config_file.exists():
        raise BuildError.of("serve.no-mkdocs-yml", file=str(config_file))
    project = config_file.parent
    _check_address(dev_addr)  # before the first build, which takes a while

    ReportsPlugin.data_dir_override = data_dir.resolve()
    ReportsPlugin.regenerate = lambda: _regenerate(data_dir, project, as_of)
    # before MkDocs reads its configuration: the navigation lists the generated pages it finds
    _regenerate(data_dir, project, as_of)
    _warm_up()
    click.echo(
        f"Serving on http://{dev_addr}/ — edit files under {data_dir} or site_src/ to rebuild", err=True
    )
    # "dirty": MkDocs renders only the pages the plugin says changed (`incremental`)
    logging.getLogger("mkdocs.commands.build").addFilter(quiet_dirty_warning())
    try:
        with polling_every(POLL_SECONDS):
            serve(str(config_file), dev_addr=dev_addr, livereload=True, build_type="dirty")
    except OSError as exc:
        if exc.errno in _ADDRESS_ERRORS:
            raise _address_error(dev_addr, exc) from None
        raise


# MkDocs looks for changed files every 0.5 s (its LiveReloadServer's default, which its `serve`
# does not expose): a saved CSV waited a quarter of a second on average before anything began.
# Looking at the data folder's few hundred files takes about a millisecond. Once it saw a change,
# it waits until none came for 0.1 s before it rebuilds; half that still lets a save end.
POLL_SECONDS = 0.1
BUILD_DELAY = 0.05


@contextlib.contextmanager
def polling_every(seconds: float, delay: float = BUILD_DELAY) -> Iterator[None]:
    """Have the dev servers MkDocs's `serve` makes in the block look for changes every `seconds`,
    and rebuild once no change came for `delay` seconds."""
    from mkdocs.commands import serve as mkdocs_serve

    server = getattr(mkdocs_serve, "LiveReloadServer", None)
    if server is None:  # another MkDocs: its own interval
        yield
        return

    def quicker(*args: Any, **kwargs: Any) -> Any:
        made = server(*args, polling_interval=seconds, **kwargs)
        if isinstance(getattr(made, "build_delay", None), float):
            made.build_delay = delay
        return made

    mkdocs_serve.LiveReloadServer = quicker  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        mkdocs_serve.LiveReloadServer = server  # type: ignore[misc]


def _check_address(dev_addr: str) -> None:
    host, _, port = dev_addr.rpartition(":")
    if not port.isdigit():
        return  # MkDocs reports a malformed address itself
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the dev server does
        try:
            probe.bind((host.strip("[]") or "127.0.0.1", int(port)))
        except OSError as exc:
            if exc.errno in _ADDRESS_ERRORS:
                raise _address_error(dev_addr, exc) from None
        except OverflowError:
            raise AddressError.of("serve.port-range", address=dev_addr) from None


def _address_error(dev_addr: str, exc: OSError) -> AddressError:
    reasons = {
        errno.EADDRINUSE: Message("serve.port-in-use"),
        errno.EADDRNOTAVAIL: Message("serve.not-this-machine"),
        errno.EACCES: Message("file.permission-denied"),
    }
    reason: Param = reasons.get(exc.errno or 0, exc.strerror or str(exc))
    return AddressError.of("serve.address-unusable", address=dev_addr, reason=reason)


def _warm_up() -> None:
    """Import now what regenerating the pages imports on first use (every country's holiday
    calendar, the SVG backend, the manager pages: about 0.2 s), so that the first edit in the
    preview shows as fast as the next ones."""
    import holidays.countries  # noqa: F401
    import matplotlib.backends.backend_svg  # noqa: F401

    from reports_gen.site import managercompare, managerpipeline, managerreasons, managertargets  # noqa: F401


def _regenerate(data_dir: Path, project: Path, as_of: dt.date | None) -> None:
    if pages_are_current(data_dir, project):
        return  # only site_src/ or the theme changed: MkDocs rebuilds, the pages stay
    with build_lock(project / WORK_DIR, project, wait=True):  # a running build finishes first
        try:
            report = cached_report(data_dir, project / WORK_DIR / "cache", as_of=as_of)
        except DataError as exc:
            tr = Translator(read_language(data_dir))
            for problem in exc.problems:
                log.warning(problem.format_text(tr=tr))
            log.warning("the data has errors: the pages show the last valid data")
            return
        generate_pages(report, project)
