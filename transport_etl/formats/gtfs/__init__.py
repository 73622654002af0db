"""GTFS Schedule: reader, staging (COPY), validation (MobilityData codes) and unified mapping."""
