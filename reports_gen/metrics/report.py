"""The library entry point: load and validate a data directory, then compute everything."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from reports_gen.dataset.dataset import Dataset, load_dataset
from reports_gen.errors import ConfigError
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


def compute_report(data_dir: Path, as_of: dt.date | None = None, strict: bool = False) -> Report:
    """Load, validate (raising DataError) and compute metrics and alerts as of a date."""
    dataset = load_dataset(data_dir, strict=strict).dataset
    assert dataset is not None  # load_dataset raises otherwise
    if not dataset.weeks:
        raise ConfigError.of("data.no-week-folders", data=str(data_dir))
    return report_of(dataset, as_of)


def report_of(dataset: Dataset, as_of: dt.date | None = None, tr: Translator | None = None) -> Report:
    """Compute the metrics and alerts of a valid dataset with weeks (alerts worded by `tr`)."""
    tr = tr or Translator(dataset.config.language, dataset.config.currency)
    metrics = compute_metrics(dataset, as_of)
    return Report(dataset, metrics, compute_alerts(dataset, metrics, tr), tr)
