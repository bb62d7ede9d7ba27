"""`reports-gen build` and `serve`: atomic output, unchanged charts not redrawn, live regeneration."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from click.testing import CliRunner
from fixtures import CALLS_W47, build_project, write_data

from reports_gen.cli import cli


def test_unchanged_charts_are_not_redrawn(tmp_path):
    data = write_data(tmp_path / "data", {})
    first = build_project(tmp_path / "project", data)
    assert first.charts_drawn == first.charts > 10
    second = build_project(tmp_path / "project", data)
    assert second.charts_drawn == 0
    # one more order changes the company's, east's and andi's charts, not citra's
    write_data(
        tmp_path / "data", {"weeks/2026-W47/calls.csv": CALLS_W47 + "2026-11-20,andi,O1,no,yes,1000,1,,\n"}
    )
    third = build_project(tmp_path / "project", data)
    assert 0 < third.charts_drawn < third.charts


def test_invalid_data_leaves_the_previous_site(tmp_path):
    data = write_data(tmp_path / "data", {})
    build_project(tmp_path / "project", data)
    index = tmp_path / "project" / "site" / "index.html"
    before = index.read_bytes()
    write_data(
        tmp_path / "data",
        {"outlets.csv": "outlet_id,name,type,area,rep_id,visits_per_week\nO1,X,shop,A,andi,1\n"},
    )
    runner = CliRunner()
    result = runner.invoke(
        cli, ["build", "--data", str(data), "-f", str(tmp_path / "project" / "mkdocs.yml")]
    )
    assert result.exit_code == 1
    assert "outlets.csv:2:" in result.output and "unknown outlet type 'shop'" in result.output
    assert index.read_bytes() == before


def test_build_command_output(tmp_path):
    data = write_data(tmp_path / "data", {})
    build_project(tmp_path / "project", data)  # copies mkdocs.yml and site_src
    result = CliRunner().invoke(
        cli, ["build", "--data", str(data), "-f", str(tmp_path / "project" / "mkdocs.yml"), "--strict"]
    )
    assert result.exit_code == 0, result.output
    assert "✓ built" in result.output
    assert "WARNING" not in result.output


def test_missing_mkdocs_yml_is_a_clean_error(tmp_path):
    data = write_data(tmp_path / "data", {})
    result = CliRunner().invoke(cli, ["build", "--data", str(data), "-f", str(tmp_path / "nope.yml")])
    assert result.exit_code == 1
    assert "nope.yml not found" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_serve_regenerates_when_data_changes(tmp_path):
    data = write_data(tmp_path / "data", {})
    project = tmp_path / "project"
    build_project(project, data)
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reports_gen",
            "serve",
            "--data",
            str(data),
            "-f",
            str(project / "mkdocs.yml"),
            "-a",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 90
        page = _get(f"http://127.0.0.1:{port}/people/andi/", deadline)
        assert "Rp750,000" in page  # andi's revenue in W47
        write_data(
            tmp_path / "data",
            {"weeks/2026-W47/calls.csv": CALLS_W47 + "2026-11-20,andi,O1,no,yes,250000,1,,\n"},
        )
        while "Rp1,000,000" not in page:
            assert time.monotonic() < deadline, "the page was not regenerated"
            time.sleep(1)
            page = _get(f"http://127.0.0.1:{port}/people/andi/", deadline)
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_plain_mkdocs_build_after_generation(tmp_path):
    data = write_data(tmp_path / "data", {})
    project = tmp_path / "project"
    build_project(project, data)
    (project / "data").symlink_to(data)  # mkdocs.yml names data_dir: data
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", "plain"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (project / "plain" / "people" / "andi" / "index.html").read_text(encoding="utf-8") == (
        project / "site" / "people" / "andi" / "index.html"
    ).read_text(encoding="utf-8")
