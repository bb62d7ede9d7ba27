"""`reports-gen init`: scaffold a new reports repository that checks and builds at once."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from reports_gen.demo import generate_demo_data
from reports_gen.errors import ConfigError, Message
from reports_gen.fileio import atomic_write
from reports_gen.workcalendar import week_code
from reports_gen.workflow.install import InstallSource, installed_source

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
# The data files of `init --empty`: headers and one example entry each (ids "example-...").
EMPTY_FILES = ("config.yaml", "team.yaml", "outlets.csv", "targets.yaml")
MAX_COMPANY = 200  # characters: a site title, not a paragraph


@dataclass(frozen=True)
class InitResult:
    """What `init` wrote, what it left alone, and what the user should know."""

    written: list[Path]
    skipped: list[Path]
    requirement: str = ""
    notes: tuple[Message, ...] = ()  # what the user should know, worded in any language
    committed: bool = False


def init_repository(
    target: Path,
    company: str,
    language: str,
    force: bool = False,
    today: dt.date | None = None,
    *,
    empty: bool = False,
    requirement: str | None = None,
    git: bool = False,
) -> InitResult:
    """Write data (an example company, or with `empty` headers and example rows), site_src/ and workflows."""
    _check_arguments(target, company, language, requirement, force)
    target.mkdir(parents=True, exist_ok=True)
    source = _requirement(requirement)
    notes: list[Message] = [source.message] if source.message else []
    written: list[Path] = []
    skipped: list[Path] = []
    for name, destination in FILES.items():
        text = (SCAFFOLD / name).read_text(encoding="utf-8")
        if name == "mkdocs.yml":
            text = _site_name(text, company)
        elif name == "README.md":
            text = text.replace("{company}", company)
        elif name == "requirements.txt":
            text = text.replace("{requirement}", source.requirement)
        _write(target, target / destination, text, written, skipped)
    for page in sorted((SCAFFOLD / "site_src").rglob("*.md")):
        page_path = target / "site_src" / page.relative_to(SCAFFOLD / "site_src")
        _write(target, page_path, page.read_text(encoding="utf-8"), written, skipped)
    data = target / "data"
    if os.path.lexists(data):
        skipped.append(data)
    elif empty:
        _empty_data(target, data, company, language, written, skipped)
    else:
        _example_data(data, company, language, today or dt.date.today())
        written.append(data)
    committed = False
    if git:
        committed, note = _git_commit(target)
        notes += [note] if note else []
    return InitResult(written, skipped, source.requirement, tuple(notes), committed)


def _check_arguments(target: Path, company: str, language: str, requirement: str | None, force: bool) -> None:
    if language not in ("id", "en"):
        raise ConfigError.of("init.language", value=repr(language))
    if not company.strip() or any(ch < " " or ch == "\x7f" for ch in company):
        raise ConfigError.of("init.company-not-one-line")
    if len(company) > MAX_COMPANY:
        raise ConfigError.of("init.company-too-long", length=len(company), limit=MAX_COMPANY)
    if requirement is not None and (not requirement.strip() or "\n" in requirement or "\r" in requirement):
        raise ConfigError.of("init.requirement-not-one-line")
    if target.exists() and not target.is_dir():
        raise ConfigError.of("init.not-a-directory", target=str(target))
    if target.exists() and any(target.iterdir()) and not force:
        raise ConfigError.of("init.not-empty", target=str(target))


def _requirement(given: str | None) -> InstallSource:
    """Return the requirement to write: the one given, else the one that reproduces this installation."""
    if given is not None:
        return InstallSource(given.strip(), "given", True)
    return installed_source()


def _write(root: Path, path: Path, text: str, written: list[Path], skipped: list[Path]) -> None:
    """Write a new file inside `root`; keep anything already there, links (even dangling) included."""
    if os.path.lexists(path) or not _inside(root, path):
        skipped.append(path)
        return
    atomic_write(path, text)
    written.append(path)


def _inside(root: Path, path: Path) -> bool:
    """Tell whether `path` resolves inside `root`, so a symlinked folder cannot lead a write outside."""
    real_root = root.resolve()
    parent = path.parent.resolve()
    return parent == real_root or real_root in parent.parents


def _site_name(text: str, company: str) -> str:
    """Set mkdocs.yml's site_name; `<` and `>` as HTML entities, as the theme prints it unescaped."""
    lines = text.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("site_name:"))
    title = company.replace("<", "&lt;").replace(">", "&gt;")
    lines[index] = f"site_name: {_yaml_scalar(title)}\n"
    return "".join(lines)


def _yaml_scalar(value: str) -> str:
    """Return `value` as a one-line YAML scalar, never wrapped or cut, whatever its length."""
    return yaml.safe_dump(value, allow_unicode=True, width=float("inf")).splitlines()[0]


def _example_data(data: Path, company: str, language: str, today: dt.date) -> None:
    """A small example company (one team, one finished week) to replace with your own."""
    last_week = week_code(today - dt.timedelta(days=today.isoweekday()))  # the week that ended last Sunday
    generate_demo_data(data, people=4, weeks=1, seed=1, end_week=last_week)
    config = data / "config.yaml"
    settings = {
        "company:": f"company: {_yaml_scalar(company)}",
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
    atomic_write(config, "\n".join(header + lines) + "\n")


def _empty_data(
    root: Path, data: Path, company: str, language: str, written: list[Path], skipped: list[Path]
) -> None:
    """Write the data files with their headers and one example entry each; weeks/ stays empty."""
    for name in EMPTY_FILES:
        text = (SCAFFOLD / "empty" / name).read_text(encoding="utf-8")
        text = text.replace("{company}", _yaml_scalar(company)).replace("{language}", language)
        _write(root, data / name, text, written, skipped)
    _write(root, data / "weeks" / ".gitkeep", "", written, skipped)


def _git_commit(target: Path) -> tuple[bool, Message | None]:
    """Make `target` a git repository with a first commit; return whether it worked and a note if not."""
    git = shutil.which("git")
    if git is None:
        return False, Message("init.no-git")
    inside = subprocess.run(
        [git, "rev-parse", "--is-inside-work-tree"], cwd=target, capture_output=True, text=True, check=False
    )
    if inside.returncode == 0:
        return False, Message("init.inside-git", (("target", str(target)),))
    steps = (
        [git, "init", "--quiet"],
        [git, "add", "--all"],
        [git, "commit", "--quiet", "--message", "Start the sales performance site (reports-gen init)"],
    )
    for step in steps:
        done = subprocess.run(step, cwd=target, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or ["failed"])[-1]
            return False, Message("init.git-failed", (("step", step[1]), ("reason", reason)))
    return True, None
