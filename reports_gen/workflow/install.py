"""Which requirement line reproduces the running installation of reports-gen (PEP 610).

`pip` records how a package was installed in `direct_url.json` beside its metadata: a VCS
checkout, an archive URL, or a local (perhaps editable) directory; no record means an index.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import metadata

from reports_gen.errors import Message
from reports_gen.i18n import Translator

DIST = "reports-gen"


@dataclass(frozen=True)
class InstallSource:
    """How reports-gen was installed and the requirement line that installs it again.

    `reproducible` is False when the line cannot work on another machine as it stands
    (a local folder or file); `message` (`note` in English) then says what to put in
    requirements.txt instead.
    """

    requirement: str
    how: str  # vcs | index | url | file | directory | editable
    reproducible: bool
    message: Message | None = None

    @property
    def note(self) -> str:
        """Return what to put in requirements.txt instead, in English ("" when the line works as is)."""
        return self.message.render(Translator("en")) if self.message else ""


def installed_source() -> InstallSource:
    """Read this installation's PEP 610 record and return the requirement that reproduces it."""
    version, record = _installed_record()
    return source_from_record(version, record)


def source_from_record(version: str, record: dict | None) -> InstallSource:
    """Return the requirement for an installation of `version` described by a direct_url.json record."""
    pinned = f"{DIST}=={version}"
    if not record:
        return InstallSource(pinned, "index", True)
    url = _without_credentials(str(record.get("url", "")))
    vcs = record.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("commit_id"):
        kind = str(vcs.get("vcs", "git"))
        return InstallSource(f"{DIST} @ {kind}+{url}@{vcs['commit_id']}", "vcs", True)
    if isinstance(record.get("archive_info"), dict) and not url.startswith("file:"):
        return InstallSource(f"{DIST} @ {url}", "url", True)
    if isinstance(record.get("archive_info"), dict):
        note = Message("init.installed-from-file", (("version", version), ("url", url), ("pinned", pinned)))
        return InstallSource(pinned, "file", False, note)
    how = "editable" if (record.get("dir_info") or {}).get("editable") else "directory"
    note = Message(
        "init.installed-from-folder", (("version", version), ("url", url), ("how", how), ("pinned", pinned))
    )
    return InstallSource(pinned, how, False, note)


def _installed_record() -> tuple[str, dict | None]:
    """Return the installed version and its direct_url.json, preferring a real installation.

    A source checkout on the path can show its own `*.egg-info` first; the installed
    `*.dist-info` (the one with a record) is what pip put there, so it wins.
    """
    candidates = list(metadata.distributions(name=DIST))
    if not candidates:
        from reports_gen import __version__

        return __version__, {"dir_info": {}, "url": "(not installed)"}
    for dist in candidates:
        text = dist.read_text("direct_url.json")
        if text:
            try:
                return dist.version, json.loads(text)
            except ValueError:
                continue
    installed = [d for d in candidates if d.read_text("INSTALLER")]
    return (installed or candidates)[0].version, None if installed else {"dir_info": {}, "url": "(source)"}


def _without_credentials(url: str) -> str:
    """Drop `user:token@` from a URL (PEP 610 keeps only `git@`), so no secret lands in a file."""
    return re.sub(r"^([a-z+]+://)(?!git@)[^/@]+@", r"\1", url)
