"""The Dagster code location: definitions built from the transport_etl library (no business logic here)."""
