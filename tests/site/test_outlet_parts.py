"""The outlet books are made in parts (runs of reps) and the caches the parts share are made
once before the parts are shared with a forked process: the pages must not change."""

from __future__ import annotations

import pandas as pd
import pytest
from fixtures import ROOT

from reports_gen.metrics.insights import OutletHistory
from reports_gen.metrics.report import compute_report
from reports_gen.site import managerpages
from reports_gen.site import managerviews as mv
from reports_gen.site.views import View


@pytest.fixture(scope="module")
def manager():
    return managerpages.manager_for(View(compute_report(ROOT / "data")))


def _pages(made):
    return [(p.path, p.template, p.context, p.title, p.searchable) for p in made]


def _in_parts(manager, parts: int) -> managerpages.Manager:
    return managerpages.Manager(manager.view, manager.links, book_parts=parts)


def test_the_books_in_parts_are_the_books_made_in_one_part(manager):
    whole = _pages(mv.outlet_books(_in_parts(manager, 1), 0))
    reps = {path.split("/")[1] for path, *_ in whole}
    assert len(reps) > 2  # the example has enough reps for the split to mean something
    assert len(whole) == manager.books.nunique()
    for parts in (2, 3, len(reps), len(reps) + 5):  # more parts than reps: some parts are empty
        m = _in_parts(manager, parts)
        split = [page for k in range(parts) for page in _pages(mv.outlet_books(m, k))]
        assert split == whole
    assert manager.book_parts == 8  # what a build uses


def test_a_part_holds_whole_reps_and_the_parts_do_not_overlap(manager):
    parts = 3
    m = _in_parts(manager, parts)
    seen: dict[str, int] = {}
    for k in range(parts):
        for path, *_ in _pages(mv.outlet_books(m, k)):
            rep = path.split("/")[1]
            assert seen.setdefault(rep, k) == k  # a rep's pages (index.md, 2.md...) in one part
    assert len(seen) == manager.books.str.split("/").str[1].nunique()


def test_history_of_some_outlets():
    day = pd.Timestamp("2026-01-05")
    summary = pd.DataFrame({"name": ["A", "B", "C"], "visits": [2, 1, 0]}, index=["O1", "O2", "O3"])
    visits = pd.DataFrame({"outlet_id": ["O1", "O2", "O1", "O3"], "date": [day] * 4, "n": [1, 2, 3, 4]})
    weekly = pd.DataFrame(
        {"outlet_id": ["O2", "O3", "O1"], "week": ["2026-W02"] * 3, "revenue": [5.0, 6.0, 7.0]}
    )
    history = OutletHistory(("2026-W02",), summary, visits, weekly)
    some = history.of(pd.Index(["O3", "O1"]))
    assert some.weeks == ("2026-W02",)
    assert some.summary.index.tolist() == ["O3", "O1"]
    assert some.summary["name"].tolist() == ["C", "A"]
    assert some.visits["n"].tolist() == [1, 3, 4]  # the rows keep their order
    assert some.visits.index.tolist() == [0, 1, 2]
    assert some.weekly["revenue"].tolist() == [6.0, 7.0]


def test_share_computes_what_the_parts_read_once(manager):
    view = View(manager.view.report)
    m = managerpages.manager_for(view)
    assert "history" not in m.__dict__ and "_missed" not in view.__dict__
    view.share()
    m.share()
    for name in ("history", "books", "book_runs", "book_siblings", "visit_map"):
        assert name in m.__dict__
    for name in ("_missed", "_series", "_burnups", "_alerts_by_week", "_alerts_by_person"):
        assert name in view.__dict__
    history = m.history
    list(mv.outlet_books(m, 0))
    assert m.history is history  # the parts read the shared one, not one of their own


def test_a_rendered_generated_page_lets_its_markdown_go(tmp_path):
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page as MkPage

    from reports_gen.site.mkdocs_plugin import ReportsPlugin

    plugin = ReportsPlugin()
    plugin.pages_dir = (tmp_path / "pages").resolve()
    config = {"site_url": None, "repo_url": None, "edit_uri": None}

    def page(folder: str, meta: dict) -> MkPage:
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "a.md").write_text("# Heading\n", encoding="utf-8")
        made = MkPage(None, File("a.md", str(tmp_path / folder), str(tmp_path / "site"), True), config)
        made.markdown, made.meta = "# Heading\n", meta
        return made

    generated, written = page("pages", {"title": "Budi"}), page("docs", {})
    for one in (generated, written):
        assert plugin.on_page_content("<h1>Heading</h1>", page=one, config=config, files=None) == (
            "<h1>Heading</h1>"
        )
    assert generated.markdown == "" and generated.title == "Budi"
    assert written.markdown == "# Heading\n"  # a hand-written page is left as MkDocs made it


def test_a_reps_book_pages_are_numbered_from_its_index_page(manager):
    from reports_gen.site.outletbook import book_part

    pages = ["outlets/a/index.md"] + [f"outlets/a/{n}.md" for n in range(2, 12)]
    assert [book_part(p) for p in pages] == list(range(1, 12))
    assert sorted(reversed(pages), key=book_part) == pages  # 10.md and 11.md after 9.md
    several = {rep: ps for rep, ps in manager.book_siblings.items() if len(ps) > 1}
    assert several  # the example has a rep whose book has two pages
    for rep, ps in several.items():
        assert ps[:2] == [f"outlets/{rep}/index.md", f"outlets/{rep}/2.md"]


def test_the_book_pages_show_their_own_part_number(example_site):
    site = example_site.site_dir / "outlets"
    books = [d for d in site.iterdir() if (d / "2.html").exists()]
    assert books
    for book in books:
        first, second = (book / "index.html").read_text("utf-8"), (book / "2.html").read_text("utf-8")
        assert '<strong>1</strong> · <a href="2.html">2</a>' in first
        assert '<a href="index.html">1</a> · <strong>2</strong>' in second
