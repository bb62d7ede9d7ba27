"""Material's search index from the lean page equals the one from the whole page (issue 14)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from reports_gen.site import searchview

search = pytest.importorskip("material.plugins.search.plugin")

SECRET = "<table>\n<tr><td>secret one</td><td>&amp; more</td></tr>\n</table>"
VISIBLE = '<table>\n<tr><td style="text-align: right;">visible two</td></tr>\n</table>'
HIDDEN = "<table><tbody><tr><td>hidden three</td></tr></tbody></table>"
WITH_HEADING = '<div class="mgr-x"><h3 id="inner">Inner heading</h3><p>inner text</p></div>'
AFTER_NESTED = "<table><tr><td>after a nested heading</td></tr></table>"
PAGE = (
    '<h1 id="t">Title</h1><p>Lead text</p>\n'
    '<h2 data-search-exclude id="a">Excluded</h2>\n' + SECRET + "\n<p>after</p>\n"
    '<h2 id="b">Kept</h2>\n' + VISIBLE + "\n"
    "<div data-search-exclude><p>x</p>" + HIDDEN + "</div>\n<p>tail  text</p>\n"
    '<h2 id="c">Also kept</h2>\n' + WITH_HEADING + "\n<pre>  pre   text  </pre>\n"
    '<div><h2 data-search-exclude id="d">Nested, excluded</h2><p>in</p></div>\n'
    + AFTER_NESTED
    + "\n<p>end</p>"
)


def _entries(content: str) -> list[dict]:
    index = search.SearchIndex(lang=["en"], separator="[\\s]+", pipeline=[], fields={})
    page = SimpleNamespace(content=content, toc=[], url="p/", meta={}, title="Title")
    index.add_entry_from_context(page)
    return index.entries


def test_only_whole_elements_without_headings_may_be_emptied():
    assert searchview.blocks_to_skip([SECRET, WITH_HEADING, "text without a tag", HIDDEN]) == [SECRET, HIDDEN]


def test_the_lean_page_indexes_exactly_as_the_whole_page():
    blocks = searchview.blocks_to_skip([SECRET, VISIBLE, HIDDEN, WITH_HEADING, AFTER_NESTED])
    lean = searchview.lean_content(PAGE, blocks)
    assert lean is not None
    # In an excluded section or inside an excluded element: emptied; where search reads it: kept.
    assert "secret one" not in lean and "hidden three" not in lean and "visible two" in lean
    # After the nested excluded heading's <div> closes, the page is back in section "c".
    assert "after a nested heading" in lean
    assert _entries(lean) == _entries(PAGE)
    texts = " ".join(entry["text"] for entry in _entries(PAGE))
    assert "visible two" in texts and "after a nested heading" in texts and "secret one" not in texts


def test_a_block_missing_from_the_page_changes_nothing():
    assert searchview.lean_content(PAGE, ["<table><tr><td>not there</td></tr></table>"]) == PAGE
