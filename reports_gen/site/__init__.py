"""Render: views, pages, charts, the MkDocs plugin, build and serve."""
