"""A fast path through Python-Markdown for the big blocks of generated pages (issue 14).

Generated pages hold tens of thousands of table cells. Python-Markdown walks every cell with its
inline processor, and md_in_html parses every tag of a raw HTML block, which together made up
most of a large build's time. Both kinds of block have a tiny, known grammar here, because
every cell is written by `markdown.table` from escaped data (`markdown.md`, `markdown.link`)
and every raw table by `htmlparts.html_table`. So before Markdown runs, the plugin lifts
them out of the page and leaves a one-word placeholder; after Markdown has run, it puts back
exactly the HTML that Markdown (with MkDocs' link rewriting) would have produced.

A table with anything outside that grammar (emphasis, code, a link that does not resolve to
a page, an emoji shortcode) is left to Markdown untouched, so output never differs:
`tests/site/test_fastmd.py` builds sites with and without this path and compares every page.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

# A Markdown table block as `markdown.table` writes it: header row, alignment row, body rows, all
# at one indentation (inside `???` blocks it is four spaces a level).
_TABLE = re.compile(
    r"^(?P<indent>(?: {4})*)\|[^\n]*\|\n"
    r"(?P=indent)\|(?P<align>(?: *:?-+:? *\|)+)\n"
    r"(?:(?P=indent)\|[^\n]*\|(?:\n|\Z))*",
    re.MULTILINE,
)
# A raw HTML block the manager pages write (`htmlparts`, `outletbook`, `visitmap`): an element
# of our own class at the start of a line, up to the next blank line; `_whole` checks it is
# one element that ends there, which is exactly what Markdown passes through untouched.
_RAW = re.compile(
    r'^<(?P<tag>div|figure|section) class="(?:mgr|rg)-(?![^\n]*markdown=)[^\n]*'
    r"(?:\n(?![ \t]*(?:\n|\Z))[^\n]*)*(?:\n|\Z)",
    re.MULTILINE,
)
_CELL = re.compile(r"((?:\\.|[^\\|])*)\|")
# Inline pieces a generated cell is made of; anything else sends the table to Markdown.
_PIECE = re.compile(
    r"(?P<esc>\\[\\`*_{}\[\]()#+\-.!|])"
    r"|\[(?P<text>(?:\\[^\n]|[^\[\]\\\n])*)\]\((?P<url>[A-Za-z0-9._/-]+(?:#[A-Za-z0-9._-]+)?)\)"
    r'|(?P<tag></?[a-z][a-z0-9]*(?: [a-z-]+="[^"<>]*")*>)'
    r"|(?P<ent>&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|\\?#[0-9]{1,7}|\\?#[xX][0-9a-fA-F]{1,6});)"
    r"|(?P<plain>[^\\\[\]{}<>&*_`!:~\n]+|!(?!\[))"
)
_ID = re.compile(r'\sid="([^"]+)"')
_PLACEHOLDER = re.compile(r"<(p|div)>(rgfast[0-9a-f]+x[0-9]+)</\1>")  # how Markdown returns one

Resolve = Callable[[str], "str | None"]  # a page-relative .md path -> its URL from this page


@dataclass
class Lifted:
    """A page's Markdown with its big blocks lifted out, and what to put back."""

    markdown: str
    blocks: dict[str, str] = field(default_factory=dict)  # placeholder -> HTML
    anchor_links: list[tuple[str, str]] = field(default_factory=list)  # (link's .md path, anchor)

    def restore(self, content: str) -> str:
        """Put the HTML of every lifted block back in place of its placeholder."""
        if not self.blocks:
            return content
        content = _PLACEHOLDER.sub(lambda m: self.blocks.get(m.group(2), m.group(0)), content)
        for key in self.blocks:  # never lose a block, whatever Markdown did around it
            if key in content:
                content = content.replace(key, self.blocks[key])
        return content

    def anchor_ids(self) -> set[str]:
        """Return the ids the lifted blocks define (MkDocs validates links to anchors)."""
        return {found for block in self.blocks.values() for found in _ID.findall(block)}


def lift(markdown: str, resolve: Resolve) -> Lifted:
    """Lift the generated tables out of `markdown`; `resolve` gives a linked page's URL or None."""
    nonce = secrets.token_hex(6)  # data text cannot guess a placeholder
    lifted = Lifted(markdown)
    pieces: list[str] = []
    last = 0
    for match in _blocks(markdown):
        start, end = match.span()
        if not _stands_alone(markdown, start, end):
            continue
        key = f"rgfast{nonce}x{len(lifted.blocks)}"
        html: str | None
        if match.re is _RAW:
            raw = match.group(0).rstrip("\n")
            html = raw if _whole(raw, match.group("tag")) else None
            placeholder = f"<div>{key}</div>"
        else:
            html = _table_html(match, resolve, lifted.anchor_links)
            placeholder = match.group("indent") + key  # a paragraph of its own, where the table was
        if html is None:
            continue
        lifted.blocks[key] = html
        pieces += [markdown[last:start], placeholder + "\n"]
        last = end
    if lifted.blocks:
        lifted.markdown = "".join(pieces) + markdown[last:]
    return lifted


def _blocks(markdown: str) -> list[re.Match[str]]:
    found = list(_TABLE.finditer(markdown)) + list(_RAW.finditer(markdown))
    found.sort(key=lambda m: m.start())
    kept, end = [], -1
    for match in found:  # a table inside a raw block (or the reverse) is never lifted twice
        if match.start() >= end:
            kept.append(match)
            end = match.end()
    return kept


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Tell whether a block is a Markdown block of its own: blank lines (or the page's ends) around it."""
    before = text[:start]
    if before and not (before.endswith("\n\n") or before.rstrip(" ").endswith("\n\n")):
        return False
    after = text[end:]
    return not after or after.startswith("\n") or after.split("\n", 1)[0].strip() == ""


def _whole(html: str, tag: str) -> bool:
    """Tell whether a raw block is one `tag` element, closed at its very end, with no Markdown inside."""
    if "markdown=" in html:
        return False
    depth = 0
    for found in re.finditer(rf"<{tag}[\s>]|</{tag}>", html):
        depth += -1 if found.group(0).startswith("</") else 1
        if depth == 0:
            return found.end() == len(html)
    return False


def _table_html(match: re.Match[str], resolve: Resolve, anchors: list[tuple[str, str]]) -> str | None:
    """Return the HTML Python-Markdown's tables extension gives for a generated table, or None."""
    indent = len(match.group("indent"))
    lines = [line[indent:] for line in match.group(0).rstrip("\n").split("\n")]
    aligns = [_align(spec) for spec in match.group("align").split("|")[:-1]]
    head = _cells(lines[0], len(aligns))
    if head is None:
        return None
    out = ["<table>", "<thead>", "<tr>"]
    found: list[tuple[str, str]] = []
    for text, align in zip(head, aligns, strict=True):
        cell = _inline(text, resolve, found)
        if cell is None:
            return None
        out.append(f"<th{align}>{cell}</th>")
    out += ["</tr>", "</thead>", "<tbody>"]
    for line in lines[2:]:
        row = _cells(line, len(aligns))
        if row is None:
            return None
        out.append("<tr>")
        for text, align in zip(row, aligns, strict=True):
            cell = _inline(text, resolve, found) if "](" in text else _unlinked(text)
            if cell is None:
                return None
            out.append(f"<td{align}>{cell}</td>")
        out.append("</tr>")
    out += ["</tbody>", "</table>"]
    anchors += found
    return "\n".join(out)


def _align(spec: str) -> str:
    spec = spec.strip()
    left, right = spec.startswith(":"), spec.endswith(":")
    side = "center" if left and right else "left" if left else "right" if right else ""
    return f' style="text-align: {side};"' if side else ""


def _cells(line: str, count: int) -> list[str] | None:
    if "`" in line:  # code spans change where cells split
        return None
    cells = [cell.strip() for cell in _CELL.findall(line[1:])]
    return cells if len(cells) == count else None


@lru_cache(maxsize=1 << 16)
def _unlinked(text: str) -> str | None:
    """Return the HTML of a cell without a link (the same on every page: cells repeat a lot)."""
    return _inline(text, lambda path: None, [])


def _inline(text: str, resolve: Resolve, anchors: list[tuple[str, str]]) -> str | None:
    """Return a cell's HTML, or None when it holds more than escaped text, tags and page links."""
    out: list[str] = []
    pos = 0
    while pos < len(text):
        piece = _PIECE.match(text, pos)
        if piece is None:
            return None
        pos = piece.end()
        if piece.group("esc"):
            out.append(piece.group("esc")[1])
        elif piece.group("url"):
            inner = _inline(piece.group("text"), resolve, anchors)
            if inner is None or "<a " in inner:
                return None
            path, _, anchor = piece.group("url").partition("#")
            url = resolve(path)
            if url is None:
                return None
            if anchor:
                anchors.append((path, anchor))
            out.append(f'<a href="{url}{"#" + anchor if anchor else ""}">{inner}</a>')
        elif piece.group("ent"):
            out.append(piece.group("ent").replace("\\#", "#"))  # `md` escapes the # of `&#x27;`
        else:
            out.append(piece.group(0))
    return "".join(out)
