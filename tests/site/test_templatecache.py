"""Compiled templates kept between builds: never one that was edited since, never a failed build."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from fixtures import new_project

from reports_gen.site.templatecache import SUFFIX, TemplateCache, cached_templates


class Counting(jinja2.Environment):
    """An environment that counts the templates it compiles."""

    compiled = 0

    def compile(self, *args, **kwargs):  # type: ignore[override]
        Counting.compiled += 1
        return super().compile(*args, **kwargs)


@pytest.fixture(autouse=True)
def fresh_memory():
    TemplateCache._memory.clear()
    Counting.compiled = 0
    yield
    TemplateCache._memory.clear()


def _env(templates: Path, cache: Path | None) -> jinja2.Environment:
    return cached_templates(Counting(loader=jinja2.FileSystemLoader(templates)), cache)


def _render(templates: Path, cache: Path | None, **context) -> str:
    return _env(templates, cache).get_template("page.html").render(**context)


def test_a_template_is_compiled_once_and_then_read_back(tmp_path):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "page.html").write_text("Omzet {{ value }}", encoding="utf-8")
    cache = tmp_path / "cache"
    assert _render(tmp_path / "t", cache, value="Rp 1.500.000") == "Omzet Rp 1.500.000"
    assert Counting.compiled == 1 and len(list(cache.glob(f"*{SUFFIX}"))) == 1
    TemplateCache._memory.clear()  # another build: a new process, a new environment
    assert _render(tmp_path / "t", cache, value="Rp 2.000.000") == "Omzet Rp 2.000.000"
    assert Counting.compiled == 1  # read from the folder, not compiled again
    assert not list(cache.glob(".*.tmp"))  # written through the atomic writer, nothing left over


def test_the_same_process_keeps_them_in_memory(tmp_path):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "page.html").write_text("{{ 1 + 1 }}", encoding="utf-8")
    for _ in range(3):  # as a live preview's rebuilds: a new environment each time
        assert _render(tmp_path / "t", None) == "2"
    assert Counting.compiled == 1


def test_an_edited_template_is_compiled_again(tmp_path):
    (tmp_path / "t").mkdir()
    page = tmp_path / "t" / "page.html"
    page.write_text("Kunjungan {{ n }}", encoding="utf-8")
    cache = tmp_path / "cache"
    assert _render(tmp_path / "t", cache, n=3) == "Kunjungan 3"
    page.write_text("Visits {{ n }}", encoding="utf-8")
    assert _render(tmp_path / "t", cache, n=3) == "Visits 3"  # from memory: checked too
    TemplateCache._memory.clear()
    page.write_text("Calls {{ n }}", encoding="utf-8")
    assert _render(tmp_path / "t", cache, n=4) == "Calls 4"  # from the folder: checked too
    assert Counting.compiled == 3


def test_a_damaged_entry_is_compiled_again(tmp_path):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "page.html").write_text("{{ 'ok' }}", encoding="utf-8")
    cache = tmp_path / "cache"
    _render(tmp_path / "t", cache)
    (entry,) = cache.glob(f"*{SUFFIX}")
    for damage in (b"", b"garbage", entry.read_bytes()[:-7]):
        TemplateCache._memory.clear()
        entry.write_bytes(damage)
        assert _render(tmp_path / "t", cache) == "ok"
    assert Counting.compiled == 4


def test_a_cache_that_cannot_be_written_is_left_alone(tmp_path):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "page.html").write_text("{{ 6 * 7 }}", encoding="utf-8")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert _render(tmp_path / "t", blocked / "cache") == "42"  # the build goes on
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_the_plugin_keeps_the_themes_compiled_templates_in_the_project(tmp_path):
    from mkdocs.config import load_config

    from reports_gen.site.mkdocs_plugin import TEMPLATE_CACHE_DIR

    new_project(tmp_path)
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    env = config.plugins.on_env(config.theme.get_env(), config=config, files=None)
    env.get_template("main.html")
    kept = {path.name.removesuffix(SUFFIX) for path in (tmp_path / TEMPLATE_CACHE_DIR).glob(f"*{SUFFIX}")}
    main = env.get_or_select_template("main.html").filename
    assert kept == {TemplateCache().get_cache_key("main.html", main)}
