"""Compute: daily facts, targets, weekly and period metrics, alerts, exports and the report."""
