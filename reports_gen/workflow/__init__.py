"""The weekly routine: init, new-week, import from spreadsheets, diff."""
