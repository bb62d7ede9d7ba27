"""Build the same site with Zensical, the Material team's successor to MkDocs.

Zensical reads `mkdocs.yml` but runs no MkDocs plugins, so what the reports-gen plugin does
at build time is done here beforehand: the hand-written and generated pages are merged into
one docs folder (a hand-written page wins, as with the plugin), and a configuration is
generated from the project's `mkdocs.yml` with the navigation, the site language, our
stylesheets and theme overrides written out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

from reports_gen.errors import BuildError

OWN_PLUGIN = "reports-gen"


class _Tagged(str):
    """A YAML scalar with a tag PyYAML's safe loader does not know (`!!python/name:…`, `!ENV`)."""

    tag: str


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _keep_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
    value = _Tagged(loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else "")
    value.tag = node.tag
    return value


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _keep_tag)
_Loader.add_multi_constructor("!", _keep_tag)
_Dumper.add_representer(_Tagged, lambda dumper, value: dumper.represent_scalar(value.tag, str(value)))


def zensical_available() -> bool:
    """Tell whether the optional `zensical` command is installed."""
    return shutil.which("zensical") is not None


def merge_docs(target: Path, hand_written: Path, generated: Path, extra: dict[str, Path]) -> None:
    """Fill `target` with the generated pages, then the hand-written ones over them, then `extra`."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for source in (generated, hand_written):
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True, copy_function=_link_or_copy)
    for uri, path in extra.items():
        destination = target / uri
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)


def _link_or_copy(source: str, destination: str) -> None:
    if os.path.lexists(destination):
        os.unlink(destination)
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def zensical_config(
    mkdocs_yml: Path,
    docs_dir: Path,
    site_dir: Path,
    nav: list[Any],
    language: str,
    extra_css: Iterable[str],
    extra_javascript: Iterable[str],
    theme_dirs: Iterable[Path],
) -> str:
    """Return the Zensical configuration: the project's mkdocs.yml with the plugin's work written out."""
    try:
        config = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except (OSError, yaml.YAMLError) as error:
        raise BuildError.of("build.bad-mkdocs-yml", file=str(mkdocs_yml), reason=str(error)) from None
    config["docs_dir"] = str(docs_dir.resolve())
    config["site_dir"] = str(site_dir.resolve())
    config["nav"] = nav
    config["extra_css"] = [*config.get("extra_css", []), *extra_css]
    config["extra_javascript"] = [*config.get("extra_javascript", []), *extra_javascript]
    theme = dict(config.get("theme") or {})
    theme["language"] = language
    theme["font"] = False
    dirs = [str(Path(d).resolve()) for d in theme_dirs]
    if dirs:
        theme["custom_dir"] = dirs[0]
    config["theme"] = theme
    config["plugins"] = [p for p in config.get("plugins", []) if not _is_own_plugin(p)]
    config.pop("INHERIT", None)
    return yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


def _is_own_plugin(entry: Any) -> bool:
    return entry == OWN_PLUGIN or (isinstance(entry, dict) and OWN_PLUGIN in entry)


def run_zensical(config_file: Path, strict: bool, log: Callable[[str], None] | None = None) -> None:
    """Run `zensical build` on a generated configuration; raise BuildError when it fails."""
    if not zensical_available():
        raise BuildError.of("build.no-zensical")
    command = ["zensical", "build", "--config-file", str(config_file), "--clean"]
    if strict:
        command.append("--strict")
    result = subprocess.run(command, capture_output=True, text=True, cwd=config_file.parent, check=False)
    if result.returncode != 0:
        reason = (result.stderr or result.stdout).strip().splitlines()
        raise BuildError.of("build.zensical-failed", reason=reason[-1] if reason else str(result.returncode))
    if log is not None:
        for line in result.stdout.splitlines():
            log(line)
