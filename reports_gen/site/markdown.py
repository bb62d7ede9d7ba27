"""Safe Markdown pieces: escaped text from the data, tables, and relative links."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

# The characters Python-Markdown (with the tables extension) lets a backslash escape; `<`, `>` and `&`
# are made entities and `:` (emoji shortcodes) too, so data text never gets a meaning.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def md(text: object) -> str:
    """Escape text from the data so it shows as typed: no HTML, Markdown structure or emoji."""
    value = "" if text is None else str(text)
    value = html.escape(value, quote=True)
    value = _SPECIAL.sub(r"\\\1", value)
    value = value.replace(":", "&#58;")  # :emoji: shortcodes
    return " ".join(value.split())  # no line breaks: a newline could start a block


def link(text: str, target: str, from_page: str) -> str:
    """Return a Markdown link to the page `target` (a path under the docs root) from `from_page`."""
    return f"[{text}]({relative(target, from_page)})"


def relative(target: str, from_page: str) -> str:
    """Return the path of `target` relative to the directory of `from_page` (both docs-root paths)."""
    return relpath(target, posixpath.dirname(from_page) or ".")


def relpath(path: str, start: str) -> str:
    """posixpath.relpath for two docs-root paths, without its two abspath (getcwd) calls."""
    to, here = _parts(path), _parts(start)
    if not path or to is None or here is None:  # empty, absolute, or going up: the general rule
        return posixpath.relpath(path, start)
    common = 0
    while common < min(len(to), len(here)) and to[common] == here[common]:
        common += 1
    parts = [".."] * (len(here) - common) + list(to[common:])
    return "/".join(parts) if parts else "."


@lru_cache(maxsize=4096)
def _parts(path: str) -> tuple[str, ...] | None:
    """The components of a relative path (`.` and empty ones dropped); None if it starts with / or goes up."""
    if path.startswith("/"):
        return None
    parts = tuple(p for p in posixpath.normpath(path).split("/") if p not in ("", "."))
    return None if ".." in parts else parts


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Iterable[int] = (),
    labels: Sequence[str] | None = None,
) -> str:
    """Return a Markdown table; cells are used as given (escape data text with `md` first).

    Every cell after the first carries its column's name in a `rg-lbl` span that only phones
    show: below ~700 px the stylesheet turns each row into a card of label/value lines.
    """
    if not rows:
        return ""
    numeric = set(numeric)
    align = ["---:" if i in numeric else ":---" for i in range(len(headers))]
    names = list(labels) if labels is not None else list(headers)
    prefix = [""] + [f'<span class="rg-lbl">{n}</span> ' for n in names[1:]]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    if any("\n" in p for p in prefix):  # a label with a line break keeps it: cell by cell
        lines += [
            "| " + " | ".join(p + _cell(c) for p, c in zip(prefix, row, strict=True)) + " |" for row in rows
        ]
        return "\n".join(lines)
    # a cell's line breaks become spaces: replaced on the whole line (its labels have none)
    lines += [
        ("| " + " | ".join([p + str(c) for p, c in zip(prefix, row, strict=True)]) + " |").replace("\n", " ")
        for row in rows
    ]
    return "\n".join(lines)


def abbr(short: str, full: str) -> str:
    """Return an abbreviation explained on hover and to screen readers."""
    return f'<abbr title="{html.escape(full, quote=True)}">{short}</abbr>'


def ident(text: str) -> str:
    """Return an id or code (already escaped) that never wraps mid-token."""
    return f'<span class="rg-id">{text}</span>'


def _cell(value: str) -> str:
    return str(value).replace("\n", " ")
