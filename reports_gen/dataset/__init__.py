"""Read the data directory: CSV and YAML readers that keep positions, the schema, typed models, validation."""
