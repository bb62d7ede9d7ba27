"""The built example site in a real browser (Debian's headless Chromium via chromedriver)."""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fixtures import ROOT

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
        ("weeks/{week}.html", True),
        ("people/{person}.html", True),
        ("targets/index.html", False),
        ("targets/{period}.html", True),
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
    # Beranda, Minggu, Tim, Personel, Target, Aktivitas, Prospek, Peringatan, Unduhan, Panduan
    assert len(tabs) == 10, tabs
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
