"""reports-gen: weekly sales and marketing performance sites from YAML/CSV files in git."""

from importlib import metadata

try:  # the version lives in pyproject.toml only; the installed metadata carries it
    __version__ = metadata.version("reports-gen")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
