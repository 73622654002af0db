"""Loading a source: fetch → hash → (skip | parse → staging → publish), one code path for CLI and Dagster."""
