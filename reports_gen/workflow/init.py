"""`reports-gen init`: scaffold a new reports repository that checks and builds at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from reports_gen.demo import generate_demo_data
from reports_gen.errors import ConfigError
from reports_gen.workcalendar import week_code

SCAFFOLD = Path(__file__).parent.parent / "scaffold"
# scaffold file -> where it goes in the new repository
FILES = {
    "mkdocs.yml": "mkdocs.yml",
    "gitignore": ".gitignore",
    "requirements.txt": "requirements.txt",
    "README.md": "README.md",
    "github/workflows/check.yml": ".github/workflows/check.yml",
    "github/workflows/publish.yml": ".github/workflows/publish.yml",
    "github/pull_request_template.md": ".github/pull_request_template.md",
}


@dataclass(frozen=True)
class InitResult:
    """What `init` wrote and what it left alone."""

    written: list[Path]
    skipped: list[Path]


def init_repository(
    target: Path, company: str, language: str, force: bool = False, today: dt.date | None = None
) -> InitResult:
    """Write data templates with one example week, site_src/, mkdocs.yml and workflows."""
    if language not in ("id", "en"):
        raise ConfigError.of("init.language", value=repr(language))
    if target.exists() and not target.is_dir():
        raise ConfigError.of("init.not-a-directory", target=str(target))
    if target.exists() and any(target.iterdir()) and not force:
        raise ConfigError.of("init.not-empty", target=str(target))
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    skipped: list[Path] = []
    for source, destination in FILES.items():
        text = (SCAFFOLD / source).read_text(encoding="utf-8")
        if source == "mkdocs.yml":
            text = _site_name(text, company)
        elif source == "README.md":
            text = text.replace("{company}", company)
        _write(target / destination, text, written, skipped)
    (target / "site_src").mkdir(exist_ok=True)
    for page in sorted((SCAFFOLD / "site_src").rglob("*.md")):
        destination = target / "site_src" / page.relative_to(SCAFFOLD / "site_src")
        _write(destination, page.read_text(encoding="utf-8"), written, skipped)
    data = target / "data"
    if data.exists():
        skipped.append(data)
    else:
        _example_data(data, company, language, today or dt.date.today())
        written.append(data)
    return InitResult(written, skipped)


def _write(path: Path, text: str, written: list[Path], skipped: list[Path]) -> None:
    if path.exists():
        skipped.append(path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    written.append(path)


def _site_name(text: str, company: str) -> str:
    lines = text.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("site_name:"))
    lines[index] = f"site_name: {yaml.safe_dump(company, allow_unicode=True).splitlines()[0]}\n"
    return "".join(lines)


def _example_data(data: Path, company: str, language: str, today: dt.date) -> None:
    """A small example company (one team, one finished week) to replace with your own."""
    last_week = week_code(today - dt.timedelta(days=today.isoweekday()))  # the week that ended last Sunday
    generate_demo_data(data, people=4, weeks=1, seed=1, end_week=last_week)
    config = data / "config.yaml"
    settings = {
        "company:": f"company: {yaml.safe_dump(company, allow_unicode=True).splitlines()[0]}",
        "language:": f"language: {language}                 # id | en",
    }
    lines = [
        next((new for key, new in settings.items() if line.startswith(key)), line)
        for line in config.read_text(encoding="utf-8").splitlines()
    ]
    header = [
        "# Example data made by `reports-gen init`: replace team.yaml, outlets.csv, targets.yaml and",
        "# the example week with your own, then run `reports-gen check`.",
    ]
    config.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
