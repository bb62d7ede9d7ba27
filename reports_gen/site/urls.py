"""Where every generated page lives: one home for the page paths of the site.

Paths are Markdown source paths under the docs root (`weeks/2026-W48/index.md`); MkDocs turns
them into `weeks/2026-W48/index.html`, so every page keeps the address SPEC section 7 gives it
(`weeks/2026-W48/`) on a web server, and links name the file itself (`use_directory_urls:
false`), which a site opened from disk needs. Pages link to each other with
`markdown.link(text, target, from_page)`, and the plugin's navigation uses the index pages
below, so no other module spells a page path.
"""

from __future__ import annotations

HOME = "index.md"
WEEKS = "weeks/index.md"
TEAMS = "teams/index.md"
PEOPLE = "people/index.md"
TARGETS = "targets/index.md"
ACTIVITIES = "activities.md"
PROSPECTS = "prospects.md"
ALERTS = "alerts/index.md"
DOWNLOADS = "downloads.md"


def week_page(week: str) -> str:
    """Return the page of an ISO week, e.g. weeks/2026-W48/index.md."""
    return f"weeks/{week}/index.md"


def team_page(team_id: str) -> str:
    """Return the page of a team."""
    return f"teams/{team_id}/index.md"


def person_page(person_id: str) -> str:
    """Return the page of a person."""
    return f"people/{person_id}/index.md"


def scope_page(scope: str, ident: str) -> str:
    """Return the page of a team or a person scope (`team` or `person` and its id)."""
    return team_page(ident) if scope == "team" else person_page(ident)


def target_page(period: str) -> str:
    """Return the page of a target period, e.g. targets/2026-Q4/index.md."""
    return f"targets/{period}/index.md"


def alerts_page(week: str) -> str:
    """Return the alerts page of an ISO week."""
    return f"alerts/{week}/index.md"


def download(name: str) -> str:
    """Return the path of a downloadable file, e.g. downloads/weekly.csv."""
    return f"downloads/{name}"
