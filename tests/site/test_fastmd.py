"""The fast path for generated tables gives exactly the HTML Python-Markdown gives (issue 14)."""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import pytest
from fixtures import BASE_FILES, ROOT, build_project, write_data

from reports_gen.site import fastmd
from reports_gen.site.htmlparts import Cell, esc, html_table
from reports_gen.site.markdown import link, md, table

EXTENSIONS = ["tables", "attr_list", "md_in_html", "pymdownx.details", "pymdownx.superfences", "toc"]
HOSTILE = (
    "<script>alert('x')</script> **Bold** [click](http://evil.example) :fire: | pipe $x^$ a\\|b \\\\ {x}"
)


def _markdown(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


def _fast(text: str, resolve: fastmd.Resolve = lambda path: path) -> tuple[str, fastmd.Lifted]:
    lifted = fastmd.lift(text, resolve)
    return lifted.restore(_markdown(lifted.markdown)), lifted


def _page() -> str:
    rows = [
        [link(md(HOSTILE), "people/p1/index.md", "weeks/index.md"), '<span class="rg-att">1,5%</span>'],
        [md("Toko (Baru) #1 - 50% off!"), "&nbsp;"],
        ['<span class="rg-status"><span aria-hidden="true">! </span>At risk</span>', "Hi! there"],
        [link(md("Budi"), "people/p2/index.md#week-3", "weeks/index.md"), md("")],
    ]
    grid = table(["Nama", '<abbr title="Actual call">AC</abbr>'], rows, numeric=[1])
    raw = html_table(["A", "B"], [[esc(HOSTILE), Cell("1", "1")]], numeric=[1], caption="Cap")
    return (
        "# Title\n\nSome **text**.\n\n"
        + grid
        + '\n\n??? abstract "Data"\n\n'
        + "\n".join("    " + line for line in grid.splitlines())
        + "\n\n"
        + raw
        + "\n\nAfter.\n"
    )


def test_lifted_tables_render_exactly_as_markdown_does():
    text = _page()
    fast, lifted = _fast(text)
    assert len(lifted.blocks) == 3  # the table, the same table inside `???`, the raw HTML table
    assert "<td" not in lifted.markdown and "mgr-scroll" not in lifted.markdown
    assert fast == _markdown(text)
    # the link with an anchor is reported so that MkDocs can check the anchor exists
    assert lifted.anchor_links == [("../people/p2/index.md", "week-3")] * 2


def test_links_get_the_url_mkdocs_would_write():
    grid = table(["Who"], [[link("Andi", "people/andi/index.md", "index.md")]])
    fast, _ = _fast(grid, resolve=lambda path: path.replace("index.md", ""))
    assert '<a href="people/andi/">Andi</a>' in fast


@pytest.mark.parametrize(
    "cell",
    [
        "**bold**",  # emphasis: Markdown's to render
        "`code`",  # code spans change where cells split
        "&#58;fire&#58; :fire:",  # an emoji shortcode
        "[gone](../nowhere.md)",  # a link MkDocs cannot resolve: left to MkDocs' warning
        "[site](https://example.com)",  # an outside link
        "a_b",
        "![img](x.svg)",  # an image
        "{: .cls }",  # attribute lists
    ],
)
def test_tables_outside_the_grammar_are_left_to_markdown(cell):
    grid = table(["A", "B"], [[md("x"), cell]])
    resolve = lambda path: None if "nowhere" in path else path  # noqa: E731
    fast, lifted = _fast("Intro.\n\n" + grid + "\n", resolve)
    assert lifted.blocks == {}
    assert lifted.markdown == "Intro.\n\n" + grid + "\n"
    assert fast == _markdown("Intro.\n\n" + grid + "\n")


def test_a_table_that_is_not_a_block_of_its_own_is_left_alone():
    grid = table(["A"], [[md("x")]])
    text = "A paragraph line\n" + grid + "\n"  # no blank line: Markdown makes one paragraph of it
    assert fastmd.lift(text, lambda path: path).blocks == {}


def test_placeholders_cannot_be_forged_by_data():
    grid = table(["A"], [[md("rgfast0x0")]])
    first, second = fastmd.lift(grid, lambda p: p), fastmd.lift(grid, lambda p: p)
    assert list(first.blocks) != list(second.blocks)  # a fresh nonce on every page


def _site(tmp: Path, data: Path, fast: bool, directory_urls: bool) -> dict[str, bytes]:
    project = tmp / f"{'fast' if fast else 'slow'}-{directory_urls}"
    project.mkdir()
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("use_directory_urls: false", f"use_directory_urls: {str(directory_urls).lower()}")
    plugin = f"  - reports-gen:\n      fast_tables: {str(fast).lower()}\n"
    config = config.replace("  - reports-gen:\n", plugin)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(ROOT / "site_src", project / "site_src")
    site = build_project(project, data).site_dir
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and p.suffix in (".html", ".json", ".xml")
    }


@pytest.mark.parametrize("directory_urls", [False, True])
def test_sites_built_with_and_without_the_fast_path_are_identical(tmp_path, directory_urls):
    team = BASE_FILES["team.yaml"].replace("Andi Saputra", '"' + HOSTILE.replace("\\", "\\\\") + '"')
    data = write_data(tmp_path / "data", {"team.yaml": team})
    slow = _site(tmp_path, data, fast=False, directory_urls=directory_urls)
    fast = _site(tmp_path, data, fast=True, directory_urls=directory_urls)
    assert len(slow) > 20 and "search/search_index.json" in slow
    assert sorted(fast) == sorted(slow)
    differ = [page for page in slow if fast[page] != slow[page]]
    assert differ == []


def test_the_fast_path_takes_nearly_every_generated_table(tmp_path):
    build_project(tmp_path / "project", write_data(tmp_path / "data", {}))
    found = lifted = 0
    for page in (tmp_path / "project" / ".reports-gen" / "pages").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        found += len(fastmd._blocks(text))
        lifted += len(fastmd.lift(text, lambda path: path).blocks)
    assert found > 20
    assert lifted == found  # every table the pages write is inside the grammar
