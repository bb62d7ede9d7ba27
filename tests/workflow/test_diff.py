"""`reports-gen diff`: the pull-request summary between two git revisions of the data."""

from __future__ import annotations

import math
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures import CALLS_W47, CONFIG, TARGETS, write_data

from reports_gen.cli import cli
from reports_gen.i18n import Translator
from reports_gen.workflow.diff_summary import change_cell

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}
# Week 2026-W48 is Mon 2026-11-23 .. Sun 2026-11-29; andi misses his planned visit to O2 on Tuesday.
CALLS_W48 = """\
date,rep_id,outlet_id,planned,visited,order_value,units,no_order_reason,notes
2026-11-23,andi,O1,yes,yes,200000,2,,
2026-11-24,andi,O2,yes,no,,,,
2026-11-25,budi,O3,yes,yes,100000,1,,
2026-11-26,citra,O4,yes,yes,0,0,Stok masih ada,
"""
NEW_WEEK = {
    "weeks/2026-W48/calls.csv": CALLS_W48,
    "weeks/2026-W48/sales.csv": "date,rep_id,outlet_id,order_value,units,channel,notes\n",
    # citra's order on Friday of W47 grows from 300000 to 400000
    "weeks/2026-W47/calls.csv": CALLS_W47.replace("O4,yes,yes,300000", "O4,yes,yes,400000"),
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
    )
    return done.stdout.strip()


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with two commits: the base data, then a new week and a changed row."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_data(root / "data", {})
    commit(root, "base data")
    write_data(root / "data", NEW_WEEK)
    commit(root, "week 48")
    return root


def run_diff(repo: Path, *args: str):
    return CliRunner().invoke(cli, ["diff", *args, "--data", str(repo / "data")])


def test_summary_of_a_new_week_and_a_changed_row(repo):
    result = run_diff(repo, "HEAD~1", "HEAD")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    base, head = git(repo, "rev-parse", "--short=7", "HEAD~1"), git(repo, "rev-parse", "--short=7", "HEAD")
    assert lines[0] == f"## Data changes: HEAD~1 ({base}) → HEAD ({head})"
    assert "- New weeks: 2026-W48" in lines
    assert "- Changed weeks: 2026-W47" in lines
    assert "| `weeks/2026-W47/calls.csv` | changed | 5 → 5 |" in lines
    assert "| `weeks/2026-W48/calls.csv` | added | 4 |" in lines
    assert "| `weeks/2026-W48/sales.csv` | added | 0 |" in lines
    assert "#### 2026-W47 (changed)" in lines
    assert "#### 2026-W48 (new)" in lines
    assert "| Metric | Company | East | West |" in lines
    # W47 company: calls 500000 + 250000 + 300000 and a sale of 100000 = 1150000; citra's +100000.
    # East (andi, budi) is unchanged at 750000; West (citra) 400000 -> 500000.
    assert (
        "| Revenue | Rp1,150,000 → Rp1,250,000 (▲ Rp100,000) | Rp750,000 "
        "| Rp400,000 → Rp500,000 (▲ Rp100,000) |"
    ) in lines
    # W48 company: 200000 + 100000; three of four calls visited, two with an order.
    w48 = lines[lines.index("#### 2026-W48 (new)") :]
    assert "| Revenue | Rp300,000 | Rp300,000 | Rp0 |" in w48
    assert "| Actual calls | 3 | 2 | 1 |" in w48
    assert "| EC ratio | 66.7% | 100.0% | 0.0% |" in w48
    # One more missed visit (andi, O2, Tuesday of W48) than before.
    assert "| Missed visits | 1 | 2 | 1 |" in lines
    assert "- Nov 24, 2026 · Missed visits · Andi Saputra: Planned visit to UD Sentosa not made" in lines
    assert "Targets and alerts as of Nov 22, 2026 (before) and Nov 29, 2026 (after)." in result.stdout


def test_working_tree_with_an_uncommitted_change(repo):
    (repo / "data/targets.yaml").write_text(TARGETS.replace("value: 2000000", "value: 1000000"))
    result = run_diff(repo, "HEAD")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    head = git(repo, "rev-parse", "--short=7", "HEAD")
    assert lines[0] == f"## Data changes: HEAD ({head}) → working tree"
    assert "| `targets.yaml` | changed |  |" in lines
    # Weekly revenue targets (and so attainment) change in both weeks without their files changing.
    assert (
        "The headline metrics of other weeks change too, through shared files such as targets, "
        "outlets or the team: 2026-W47, 2026-W48."
    ) in lines
    # As of Sun 29 Nov andi has 500000 + 250000 + 200000 = 950000; 20 of November's 21 working
    # days are past, so 1000000 x 20/21 = 952381 is expected: pace 0.9975 >= 0.9 is at risk.
    # East has no own target: its November target is the sum of its members' (andi's), now
    # achieved with budi's 100000 too (1050000 of 1000000).
    assert "| 2026-11 | East | Revenue | behind → achieved | 52.5% → 105.0% |" in lines
    # The company's own Q4 target is its daily target in November (one rule: own finest beats the
    # members' sum), so andi's change leaves it alone: 9000000 x 21/66 = 2863636, 1550000 sold
    # (54.1%), pace 1550000 / (9000000 x 20/66) = 0.57: behind before and after, not listed.
    assert not any(line.startswith("| 2026-11 | Company |") for line in lines)
    assert "| 2026-11 | Andi Saputra | Revenue | behind → at risk | 47.5% → 95.0% |" in lines
    assert git(repo, "status", "--porcelain") == "M data/targets.yaml"  # the checkout is untouched


def test_no_changes(repo):
    result = run_diff(repo, "HEAD")
    assert result.exit_code == 0, result.output
    assert "No changes to the data." in result.stdout
    assert "No week's headline metrics change." in result.stdout
    assert "No target changes status." in result.stdout


def test_invalid_head_lists_problems_and_exits_1(repo):
    bad_date = CALLS_W48.replace("2026-11-23,andi", "23/11/2026,andi")
    (repo / "data/weeks/2026-W48/calls.csv").write_text(bad_date)
    result = run_diff(repo, "HEAD~1")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert (
        "**✗ The data at working tree is invalid: 1 error(s). Fix them before merging; the figures "
        "are shown once the data is valid.**"
    ) in lines
    assert (
        "data/weeks/2026-W48/calls.csv:2:1: error: '23/11/2026' is not an ISO date (hint: write dates "
        "as YYYY-MM-DD, e.g. 2026-11-23; `reports-gen import` converts other formats)"
    ) in lines
    assert "| `weeks/2026-W48/calls.csv` | added | 4 |" in lines
    assert "### Headline metrics" not in lines
    assert "Traceback" not in result.output


def test_invalid_base_is_reported_and_head_still_summarised(repo):
    (repo / "data/outlets.csv").write_text("outlet_id,name\nO1,Toko Makmur\n")
    bad = commit(repo, "broken outlets")
    write_data(repo / "data", NEW_WEEK)
    result = run_diff(repo, bad[:10])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"**✗ The data at {bad[:7]} is invalid: ") for line in lines)
    assert any(line.startswith("data/outlets.csv:1: error: missing required column(s)") for line in lines)
    assert "| `outlets.csv` | changed | 1 → 4 |" in lines
    # Figures before are unknown: nothing is compared or called new.
    assert f"The figures before the change are unknown because the data at {bad[:7]} is invalid." in lines
    assert "| Missed visits | – | 2 | – |" in lines
    assert "| 2026-11 | Andi Saputra | Revenue | – → behind | – → 47.5% |" in lines


def test_first_commit_without_a_data_directory(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "README.md").write_text("sales data\n")
    commit(root, "readme")
    write_data(root / "data", {})
    result = CliRunner().invoke(cli, ["diff", "main", "--data", str(root / "data")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(line.startswith("There is no data directory at main (") for line in lines)
    assert "- New weeks: 2026-W47" in lines
    assert "| `config.yaml` | added |  |" in lines
    assert "| `outlets.csv` | added | 4 |" in lines
    assert "| Revenue | Rp1,150,000 | Rp750,000 | Rp400,000 |" in lines
    assert "| Missed visits | 0 | 1 | 1 |" in lines


@pytest.mark.parametrize("revision", ["nope", "HEAD~5", "HEAD:data", "-x"])
def test_unknown_revision_is_a_usage_error(repo, revision):
    result = CliRunner().invoke(cli, ["diff", "--data", str(repo / "data"), "--", revision])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: unknown revision {revision!r}: not a commit in {repo.resolve()} (in a "
        "shallow CI checkout, fetch it first: git fetch --depth=1 origin <commit>)\n"
    )


def test_not_a_repository(tmp_path):
    data = write_data(tmp_path / "plain" / "data", {})
    result = CliRunner().invoke(cli, ["diff", "HEAD", "--data", str(data)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {data} is not inside a git repository\n"


def test_shallow_checkout_after_fetching_the_base(repo, tmp_path):
    base = git(repo, "rev-parse", "HEAD~1")
    git(repo, "config", "uploadpack.allowAnySHA1InWant", "true")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth=1", f"file://{repo}", str(clone))
    assert run_diff(clone, base).exit_code == 2  # not fetched yet
    git(clone, "fetch", "-q", "--depth=1", "origin", base)
    result = run_diff(clone, base)
    assert result.exit_code == 0, result.output
    assert "- New weeks: 2026-W48" in result.stdout


def test_data_directory_below_the_repository_root_and_relative_path(repo, monkeypatch):
    monkeypatch.chdir(repo / "data" / "weeks")
    result = CliRunner().invoke(cli, ["diff", "HEAD~1", "--data", ".."])
    assert result.exit_code == 0, result.output
    assert "Comparing `data` at HEAD~1 (" in result.stdout


def test_summary_in_the_site_language(repo):
    (repo / "data/config.yaml").write_text(CONFIG.replace("language: en", "language: id"))
    result = run_diff(repo, "HEAD~1")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("## Perubahan data: HEAD~1 (") and lines[0].endswith("→ salinan kerja")
    assert (
        "| Omzet | Rp1.150.000 → Rp1.250.000 (▲ Rp100.000) | Rp750.000 "
        "| Rp400.000 → Rp500.000 (▲ Rp100.000) |"
    ) in lines
    assert (
        "- 24 Nov 2026 · Kunjungan terlewat · Andi Saputra: Kunjungan terencana ke UD Sentosa tidak dilakukan"
    ) in lines


def test_change_cell_formats():
    tr = Translator("en", "IDR")
    assert change_cell(tr, "ec_ratio", 0.5, 0.75) == "50.0% → 75.0% (▲ 25.0 points)"
    assert change_cell(tr, "pjp_rate", 0.9, 0.8) == "90.0% → 80.0% (▼ 10.0 points)"
    assert change_cell(tr, "actual_calls", 12, 12) == "12"
    assert change_cell(tr, "coverage", math.nan, 0.5) == "– → 50.0%"
    assert change_cell(tr, "revenue", None, 1500000) == "Rp1,500,000"


def test_removed_week_and_a_head_without_data(repo):
    git(repo, "rm", "-q", "-r", "data/weeks/2026-W48")
    commit(repo, "drop week 48")
    result = run_diff(repo, "HEAD~1", "HEAD")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "- Removed weeks: 2026-W48" in lines
    assert "| `weeks/2026-W48/calls.csv` | removed | 4 |" in lines
    git(repo, "rm", "-q", "-r", "data")
    commit(repo, "drop the data")
    gone = run_diff(repo, "HEAD~1", "HEAD")
    assert gone.exit_code == 1
    assert (
        "data: error: data directory not found (hint: pass --data DIR, or create one with `reports-gen init`)"
    ) in gone.stdout.splitlines()


def test_line_endings_alone_are_no_change(repo):
    calls = repo / "data/weeks/2026-W48/calls.csv"
    calls.write_bytes(calls.read_bytes().replace(b"\n", b"\r\n"))
    result = run_diff(repo, "HEAD")
    assert result.exit_code == 0, result.output
    assert "No changes to the data." in result.stdout
