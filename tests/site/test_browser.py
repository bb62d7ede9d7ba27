"""The built example site in a real browser (Debian's headless Chromium via chromedriver)."""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fixtures import ROOT, build_project

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
webdriver = pytest.importorskip("selenium.webdriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER), reason="needs Debian's chromium and chromium-driver"
)

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@pytest.fixture(scope="module")
def server(example_site):
    handler = functools.partial(_Quiet, directory=str(example_site.site_dir))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1366,900",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.mark.parametrize(
    ("page", "charts"),
    [
        ("", True),
        ("weeks/{week}/index.html", True),
        ("people/{person}/index.html", True),
        ("targets/index.html", False),
        ("targets/{period}/index.html", True),
    ],
)
def test_page_loads_cleanly(server, browser, example_site, page, charts):
    from reports_gen.metrics.report import compute_report

    report = compute_report(ROOT / "data")
    path = page.format(
        week=report.dataset.weeks[-1],
        person=report.dataset.org.people[0].id,
        period=report.metrics.periods["period"].iloc[0],
    )
    browser.get(f"{server}/{path}")
    browser.get_log("browser")  # drop messages of the previous page
    browser.refresh()
    browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")  # load lazy images
    browser.execute_script("window.scrollTo(0, 0)")
    images_ok = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const images = Array.from(document.images);
        Promise.all(images.map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })))
          .then(() => done(images.map(i => [i.currentSrc || i.src, i.naturalWidth > 0])));
    """)
    assert all(ok for _, ok in images_ok), images_ok
    assert bool(images_ok) == charts
    resources = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(url.startswith(server) for url in resources), [
        u for u in resources if not u.startswith(server)
    ]
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = (path.removesuffix(".html").strip("/").replace("/", "-") or "home") + ".png"
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1366, min(height, 6000))
    browser.save_screenshot(str(SCREENSHOTS / name))
    browser.set_window_size(1366, 900)
    assert (SCREENSHOTS / name).stat().st_size > 10_000


def test_the_site_opens_from_disk_and_every_tab_lands_on_a_page(browser, example_site):
    # a site downloaded as an artifact is opened as a file: links must name .html files, since
    # a file:// link to a folder shows the browser's directory listing instead of a page
    home = (example_site.site_dir / "index.html").as_uri()
    browser.get(home)
    tabs = [a.get_attribute("href") for a in browser.find_elements("css selector", "a.md-tabs__link")]
    # Beranda, Minggu, Tim, Personel, Target, Aktivitas, Prospek, Peringatan, Unduhan, Analisis, Panduan
    assert len(tabs) == 11, tabs
    visited = []
    for index in range(len(tabs)):
        browser.get(home)
        link = browser.find_elements("css selector", "a.md-tabs__link")[index]
        link.click()
        url = browser.current_url
        visited.append(url)
        assert url.startswith("file://") and url.endswith(".html"), url
        assert "Index of" not in browser.title, url  # Chromium's listing of a folder
        article = browser.find_elements("css selector", "article.md-content__inner h1")
        assert article and article[0].text.strip(), url
        # the first link inside the page leads to a page too (a week, a person, a guide page)
        inner = [
            a.get_attribute("href")
            for a in browser.find_elements("css selector", "article.md-content__inner a[href]")
            if a.get_attribute("href").startswith("file://") and "#" not in a.get_attribute("href")
        ]
        if inner:
            browser.get(inner[0])
            assert browser.current_url.endswith(".html"), inner[0]
            assert browser.find_elements("css selector", "article.md-content__inner h1"), inner[0]
    assert len(set(visited)) == len(tabs)


# -- the Monday read: accessibility (axe-core, WCAG 2.2 AA) and fit at 1366 and 390 px -------------

AXE = ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIEWPORTS = ((1366, 900), (390, 844))


def _page_kinds(report) -> list[str]:
    """One page of every kind, as served paths."""
    ds = report.dataset
    people = {p.role: p.id for p in ds.org.people}  # a sales person and a marketing person
    return [
        "",
        "weeks/",
        f"weeks/{ds.weeks[-1]}/index.html",
        "teams/",
        f"teams/{ds.org.teams[0].id}/index.html",
        "people/",
        *(f"people/{p}/index.html" for p in people.values()),
        "targets/",
        f"targets/{report.metrics.periods['period'].iloc[0]}/index.html",
        "activities.html",
        "prospects.html",
        "alerts/",
        f"alerts/{ds.weeks[-1]}/index.html",
        "downloads.html",
        "guide/",
        "guide/glossary.html",
        # the manager pages: hub, outlet books, rankings, reasons, comparisons, pipeline
        "insights/index.html",
        "outlets/index.html",
        f"outlets/{ds.outlets['rep_id'].iloc[0]}/index.html",
        "rankings/index.html",
        f"rankings/{ds.weeks[-1]}.html",
        "reasons/index.html",
        f"reasons/{ds.weeks[-1]}.html",
        "comparisons.html",
        "pipeline.html",
    ]


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    """A larger company from `reports-gen demo-data`: 40 people, longer tables and lists."""
    from click.testing import CliRunner

    from reports_gen.cli import cli

    data = tmp_path_factory.mktemp("demo") / "data"
    args = ["demo-data", "--out", str(data), "--people", "40", "--weeks", "8", "--seed", "3"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    return build_project(tmp_path_factory.mktemp("demo-site"), data), data


@pytest.fixture(scope="module")
def english_site(tmp_path_factory):
    data = tmp_path_factory.mktemp("en-data") / "data"
    shutil.copytree(ROOT / "data", data)
    config = data / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: id", "language: en"), "utf-8")
    return build_project(tmp_path_factory.mktemp("en"), data)


def _serve(directory):
    handler = functools.partial(_Quiet, directory=str(directory))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def _open(browser, url, scheme, width, height):
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
    )
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500},
    )
    browser.get(url)
    browser.execute_script("localStorage.clear()")  # the scheme follows the emulated preference
    browser.refresh()
    # Expand every folded list and alert group: what a manager opens must fit and pass too.
    browser.execute_script("document.querySelectorAll('details').forEach(d => { d.open = true; })")


_AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}}).then(r => done(
  r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
    .map(v => [v.id, v.nodes.length, v.nodes.slice(0, 2).map(n => n.target.join(' '))])));
"""

_FIT = """
const doc = document.documentElement, width = doc.clientWidth;
const overflow = doc.scrollWidth - width;
// A status cell must be on screen without scrolling sideways: inside the viewport horizontally.
const cut = Array.from(document.querySelectorAll('td .rg-status')).filter(badge => {
  const r = badge.getBoundingClientRect();
  return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5);
}).length;
// Scroll regions must be reachable by keyboard.
const unreachable = Array.from(document.querySelectorAll('.md-content *')).filter(el => {
  const style = getComputedStyle(el);
  return ['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1
    && el.tabIndex < 0;
}).map(el => el.className);
return [overflow, cut, unreachable];
"""


@pytest.mark.skipif(not AXE.exists(), reason="needs axe-core from npm in .ci/node (see .ci/run)")
@pytest.mark.parametrize("language", ["id", "en", "demo"])
def test_every_page_kind_passes_axe_and_fits(browser, request, language):
    from reports_gen.metrics.report import compute_report

    if language == "demo":
        site, data = request.getfixturevalue("demo_site")
    else:
        site, data = (
            request.getfixturevalue("example_site" if language == "id" else "english_site"),
            ROOT / "data",
        )
    report = compute_report(data)
    httpd, base = _serve(site.site_dir)
    axe = AXE.read_text(encoding="utf-8")
    problems = []
    try:
        for page in _page_kinds(report):
            for scheme in ("light", "dark"):
                for width, height in VIEWPORTS:
                    _open(browser, f"{base}/{page}", scheme, width, height)
                    overflow, cut, unreachable = browser.execute_script(_FIT)
                    where = f"{language} {scheme} {width}px /{page}"
                    if overflow > 0:
                        problems.append(f"{where}: page scrolls sideways by {overflow}px")
                    if cut:
                        problems.append(f"{where}: {cut} status cells outside the viewport")
                    if unreachable:
                        problems.append(f"{where}: scroll regions without tabindex: {unreachable}")
                    if width != VIEWPORTS[0][0]:
                        continue  # axe once per scheme: the rules do not depend on the width
                    browser.execute_script(axe)
                    result = browser.execute_async_script(_AXE_RUN, AXE_TAGS)
                    problems += [f"{where}: axe {rule} on {n} nodes, e.g. {eg}" for rule, n, eg in result]
    finally:
        httpd.shutdown()
    assert problems == []
