"""The weekly digest as text (WhatsApp), as e-mail HTML, and the Atom feed of weekly reports."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import jinja2

from reports_gen.metrics.digest import Digest, digest_weeks, weekly_digest
from reports_gen.metrics.report import Report
from reports_gen.site import urls
from reports_gen.site.htmlparts import Links, _TolerantLoader, directory_urls, period_name
from reports_gen.site.views import View
from reports_gen.workcalendar import parse_week

MAX_TEXT = 1000  # WhatsApp messages people read to the end
FEED_WEEKS = 12
DIGEST_DIR = "downloads/digest"
FEED = "downloads/weekly.atom"

TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("reports_gen", "templates"),
    undefined=jinja2.StrictUndefined,
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def site_url(project: Path) -> str:
    """Read `site_url` from the project's mkdocs.yml ('' when not set)."""
    return _address(project)[0]


def week_link(report: Report, week: str, project: Path) -> str:
    """Return the week page's address: absolute with site_url, else relative to the site root."""
    base, links = _address(project)
    return base + links.url(urls.week_page(week))


def _address(project: Path) -> tuple[str, Links]:
    """Return the site's address and URL style, read once per version of mkdocs.yml."""
    config = project / "mkdocs.yml"
    try:
        info = config.stat()
        stamp = (info.st_mtime_ns, info.st_size)
    except OSError:
        stamp = None
    return _read_address(config.resolve(), stamp)


@lru_cache(maxsize=8)
def _read_address(config: Path, stamp: tuple[int, int] | None) -> tuple[str, Links]:
    import yaml

    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_TolerantLoader)  # noqa: S506
    except (OSError, yaml.YAMLError):
        data = None
    url = data.get("site_url") if isinstance(data, dict) else ""
    return (str(url).rstrip("/") + "/" if url else ""), Links(directory_urls(config.parent))


def _name(report: Report, digest: Digest) -> str:
    if digest.scope == "company":
        return report.dataset.config.company
    team = next((t for t in report.dataset.org.teams if t.id == digest.id), None)
    return team.name if team else digest.id


@dataclass(frozen=True)
class _Parts:
    """The digest's lines, formatted for the locale (shared by text and HTML)."""

    title: str
    revenue: str
    target: str
    calls: str
    month: str
    alerts: tuple[str, ...]
    top: tuple[str, ...]


def _lines(report: Report, digest: Digest) -> _Parts:
    tr = report.tr
    f, before = digest.figures, digest.before
    change = ""
    if before and before["revenue"]:
        delta = (f["revenue"] - before["revenue"]) / abs(before["revenue"])
        arrow = "▲" if delta > 0 else "▼" if delta < 0 else "="
        change = tr("mgr.digest.change", arrow=arrow, change=tr.percent(abs(delta)))
    month = ""
    if digest.month:
        mo = digest.month
        month = tr(
            "mgr.digest.month",
            period=period_name(tr, mo.period),
            actual=tr.money(mo.actual),
            target=tr.money(mo.target),
            attainment=tr.percent(mo.attainment),
            status=tr(f"status.{mo.status}"),
        )
    target = ""
    if f["revenue_target"] == f["revenue_target"]:  # not NaN: a target applies to the week
        target = tr(
            "mgr.digest.target", target=tr.money(f["revenue_target"]), attainment=tr.percent(f["attainment"])
        )
    calls = tr(
        "mgr.digest.calls",
        ac=tr.number(f["actual_calls"]),
        ec=tr.number(f["effective_calls"]),
        ec_ratio=tr.percent(f["ec_ratio"]),
        pjp=tr.percent(f["pjp_rate"]),
        coverage=tr.percent(f["coverage"]),
    )
    alerts = tuple(
        tr("mgr.digest.alert_count", count=tr.number(n), kind=tr(f"mgr.kind.{k}"))
        for k, n in digest.alert_counts.items()
    )
    return _Parts(
        tr("mgr.digest.title", name=_name(report, digest), week=tr.period(digest.week)),
        tr("mgr.digest.revenue", revenue=tr.money(f["revenue"]), change=change),
        target,
        calls,
        month,
        alerts,
        digest.top_alerts,
    )


def digest_text(report: Report, digest: Digest, url: str) -> str:
    """Return the plain-text digest (WhatsApp), at most MAX_TEXT characters."""
    tr = report.tr
    parts = _lines(report, digest)
    head = [f"*{parts.title}*", parts.revenue]
    head += [parts.target] if parts.target else []
    head += [parts.calls]
    head += [parts.month] if parts.month else []
    alerts = [f"⚠ {tr('mgr.digest.alerts')}: " + "; ".join(parts.alerts)] if parts.alerts else []
    top = [f"• {t}" for t in parts.top]
    tail = [f"{tr('mgr.digest.more')}: {url}"]
    text = "\n".join(head + alerts + top + tail)
    while len(text) > MAX_TEXT and top:  # drop the least important detail lines first
        top.pop()
        text = "\n".join(head + alerts + top + tail)
    if len(text) > MAX_TEXT:
        keep = MAX_TEXT - len(tail[0]) - 2
        text = "\n".join(head + alerts)[:keep].rstrip() + "…\n" + tail[0]
    return text


def digest_html(report: Report, digest: Digest, url: str) -> str:
    """Return the e-mail-ready HTML digest (inline styles, no scripts, no external resources)."""
    parts = _lines(report, digest)
    return TEMPLATES.get_template("mgr_digest.html.j2").render(
        tr=report.tr, lang=report.tr.language, parts=parts, url=url
    )


def atom_feed(report: Report, project: Path) -> str:
    """Return an Atom feed with the company digest of each of the last FEED_WEEKS weeks."""
    tr = report.tr
    base = site_url(project)
    weeks = digest_weeks(report)[-FEED_WEEKS:]
    entries = []
    for week in reversed(weeks):
        digest = weekly_digest(report, None, week)
        url = week_link(report, week, project)
        sunday = parse_week(week).end
        updated = dt.datetime.combine(sunday, dt.time(23, 59), tzinfo=dt.UTC).isoformat()
        text = digest_text(report, digest, url)
        entries.append(
            "<entry>"
            f"<title>{xml_escape(_lines(report, digest).title)}</title>"
            f'<link rel="alternate" type="text/html" href="{html.escape(url)}"/>'
            f"<id>{html.escape(base or 'urn:reports-gen:')}{html.escape(week)}</id>"
            f"<updated>{updated}</updated>"
            f'<content type="text">{xml_escape(text)}</content>'
            "</entry>"
        )
    latest = parse_week(weeks[-1]).end if weeks else report.metrics.as_of
    updated = dt.datetime.combine(latest, dt.time(23, 59), tzinfo=dt.UTC).isoformat()
    title = xml_escape(tr("mgr.feed.title", company=report.dataset.config.company))
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{tr.language}">'
        f"<title>{title}</title>"
        f"<id>{html.escape(base or 'urn:reports-gen:')}{FEED}</id>"
        f"<updated>{updated}</updated>"
        f"<author><name>{xml_escape(report.dataset.config.company)}</name></author>"
        + "".join(entries)
        + "</feed>\n"
    )


def digest_files(report: Report, project: Path) -> dict[str, bytes]:
    """Return the digest files for the site: text and HTML per team and company, and the feed."""
    files: dict[str, bytes] = {}
    for team in [None, *(t.id for t in report.dataset.org.teams)]:
        digest = weekly_digest(report, team)
        url = week_link(report, digest.week, project)
        stem = f"{DIGEST_DIR}/{'company' if team is None else 'team-' + team}"
        files[f"{stem}.txt"] = digest_text(report, digest, url).encode("utf-8")
        if not site_url(project):  # an HTML file in the site links relative to its own folder
            url = "../../" + _address(project)[1].url(urls.week_page(digest.week))
        files[f"{stem}.html"] = digest_html(report, digest, url).encode("utf-8")
    files[FEED] = atom_feed(report, project).encode("utf-8")
    return files


def digest_files_index(view: View) -> str:
    """Return the Downloads page's Markdown list of the digest files and the feed."""
    from reports_gen.site.markdown import link, md

    tr, path = view.tr, "downloads.md"
    lines = [f"## {tr('mgr.downloads.title')}", "", tr("mgr.downloads.lead"), ""]
    for team in [None, *view.teams]:
        stem = f"{DIGEST_DIR}/{'company' if team is None else 'team-' + team}"
        name = tr("mgr.scope.company") if team is None else view.team_name(team)
        lines.append(
            f"- {name}: {link(tr('mgr.downloads.text'), stem + '.txt', path)} · "
            f"{link(tr('mgr.downloads.html'), stem + '.html', path)}"
        )
    lines += ["", f"- {link(tr('mgr.downloads.feed'), FEED, path)} — {md(tr('mgr.downloads.feed_text'))}"]
    return "\n".join(lines)


def render_digest(report: Report, team: str | None, fmt: str, project: Path) -> str:
    """Return the latest week's digest of a team (or the company) as text or HTML."""
    digest = weekly_digest(report, team)
    url = week_link(report, digest.week, project)
    return digest_html(report, digest, url) if fmt == "html" else digest_text(report, digest, url)
