"""The library entry point: load and validate a data directory, then compute everything."""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from reports_gen.dataset.dataset import Dataset, load_dataset
from reports_gen.dataset.filecache import ReadCache, file_digests
from reports_gen.errors import ConfigError
from reports_gen.fileio import atomic_open
from reports_gen.i18n import Translator
from reports_gen.metrics.alerts import compute_alerts
from reports_gen.metrics.weekly import Metrics, compute_metrics


@dataclass(frozen=True)
class Report:
    """A valid dataset with its metrics and alerts, and the translator of its site language."""

    dataset: Dataset
    metrics: Metrics
    alerts: pd.DataFrame
    tr: Translator
    digest: str = ""  # of the data files it was computed from (data_digest), when known


def compute_report(
    data_dir: Path, as_of: dt.date | None = None, strict: bool = False, cache: ReadCache | None = None
) -> Report:
    """Load, validate (raising DataError) and compute metrics and alerts as of a date.

    With a `cache`, files read before are not read again (see ReadCache); the result is the same.
    """
    dataset = load_dataset(data_dir, strict=strict, cache=cache).dataset
    assert dataset is not None  # load_dataset raises otherwise
    if not dataset.weeks:
        raise ConfigError.of("data.no-week-folders", data=str(data_dir))
    return report_of(dataset, as_of)


def data_digest(data_dir: Path) -> str:
    """Return a digest of every file under the data directory: its path and its bytes."""
    return _joined_digest(file_digests(data_dir))


def _joined_digest(digests: dict[str, str]) -> str:
    """Digest the files' paths and digests together (as data_digest always has)."""
    digest = hashlib.sha256()
    for rel, one in digests.items():
        digest.update(rel.encode("utf-8") + b"\0")
        digest.update(bytes.fromhex(one))
    return digest.hexdigest()


def _code_digest() -> bytes:
    """Digest the code and words a report depends on, so a new release never reuses an old report."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for folder in ("dataset", "metrics", "i18n"):
        for path in sorted((package / folder).rglob("*")):
            if path.suffix in (".py", ".yaml"):
                digest.update(path.read_bytes())
    for name in ("workcalendar.py", "errors.py"):
        digest.update((package / name).read_bytes())
    return digest.digest()


def cached_report(
    data_dir: Path, cache_dir: Path, as_of: dt.date | None = None, strict: bool = False
) -> Report:
    """Return the report of `data_dir`, reusing the one computed last time when nothing changed.

    The cache keeps one report, keyed by the data files, the as-of date, strictness and the
    code; a report that cannot be read back is simply computed again. When the data changed,
    only the files that changed are read again: what reading each file gave is kept in
    `cache_dir/files` (see ReadCache), and every check across rows and files runs again.
    """
    digests = file_digests(data_dir)
    digest, code = _joined_digest(digests), _code_digest()
    key = hashlib.sha256(f"{digest}|{as_of}|{strict}".encode() + code).hexdigest()[:32]
    path = cache_dir / f"report-{key}.pickle"
    if path.exists():
        try:
            with path.open("rb") as handle:  # streamed: no second copy of a large report in memory
                cached = pickle.load(handle)
            if isinstance(cached, Report):
                return cached
        except Exception:  # noqa: BLE001 - a damaged or foreign cache file is recomputed
            pass
    files = ReadCache(cache_dir / "files", data_dir, code, digests)
    report = replace(compute_report(data_dir, as_of=as_of, strict=strict, cache=files), digest=digest)
    for old in cache_dir.glob("report-*.pickle"):
        old.unlink(missing_ok=True)
    with atomic_open(path) as handle:  # streamed, as above
        pickle.dump(report, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return report


def report_of(dataset: Dataset, as_of: dt.date | None = None, tr: Translator | None = None) -> Report:
    """Compute the metrics and alerts of a valid dataset with weeks (alerts worded by `tr`)."""
    tr = tr or Translator(dataset.config.language, dataset.config.currency)
    metrics = compute_metrics(dataset, as_of)
    return Report(dataset, metrics, compute_alerts(dataset, metrics, tr), tr)
