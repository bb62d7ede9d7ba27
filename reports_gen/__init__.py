"""reports-gen: weekly sales and marketing performance sites from YAML/CSV files in git."""

__version__ = "0.1.0"
