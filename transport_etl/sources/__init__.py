"""Source-family readers: each knows a format and nothing about Dagster."""
