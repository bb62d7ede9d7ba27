"""The page Material's search indexes, without the big blocks it would ignore anyway (issue 14).

Material's search plugin parses every page's HTML to index it, section by section, and drops
the sections whose heading says `data-search-exclude` and the elements that say it. Our
generated tables sit mostly in such sections, yet the parser still walks every cell: on a
large company it was a third of MkDocs' time. `lean_content` empties the blocks the plugin
lifted (whole elements without headings) where Material's own parser, at that point of the
page, would ignore their text; the index it then builds from the lean page is the same, entry
for entry (the tests build sites both ways and compare them byte for byte).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_HEADING = re.compile(r"<h[1-6][\s>]")
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)[\s>]")


def blocks_to_skip(blocks: Iterable[str]) -> list[str]:
    """Return the lifted blocks that may be emptied: whole elements holding no heading."""
    return [block for block in blocks if _TAG.match(block) and not _HEADING.search(block)]


def lean_content(content: str, blocks: list[str]) -> str | None:
    """Return `content` with each of `blocks` that the search index ignores emptied (None: leave it)."""
    try:
        from material.plugins.search.plugin import Parser
    except ImportError:  # another theme's search: index the page as it is
        return None
    spans, pos = [], 0
    for block in blocks:  # in page order, as they were lifted from the Markdown
        start = content.find(block, pos)
        if start >= 0:
            spans.append((start, block))
            pos = start + len(block)
    parser = Parser()
    pieces, pos = [], 0
    try:
        for start, block in spans:
            parser.feed(content[pos:start])
            section, context = parser.section, parser.context
            ignored = (section is not None and section.is_excluded()) or bool(
                parser.skip.intersection(context)
            )
            tag = _TAG.match(block).group(1)  # type: ignore[union-attr]  # blocks_to_skip checked it
            piece = f"<{tag}></{tag}>" if ignored else block
            parser.feed(piece)
            pieces += [content[pos:start], piece]
            pos = start + len(block)
    except AttributeError:  # a parser unlike the one this was written for: index the page as it is
        return None
    pieces.append(content[pos:])
    return "".join(pieces)
