"""Safe Markdown pieces: escaped text from the data, tables, and relative links."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Sequence

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
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    """Return a Markdown table; cells are used as given (escape data text with `md` first)."""
    if not rows:
        return ""
    align = ["---:" if i in numeric else ":---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _cell(value: str) -> str:
    return str(value).replace("\n", " ")
