"""Dated, reproducible open-data releases (issue 18): ``releases/<date>/`` holds a regional GTFS with
canonical stop ids, a GeoPackage of the gis layers, the stop identity crosswalk, the road events in force,
release notes, a manifest of the feed versions and loaders it was built from, SHA256SUMS and DCAT-AP
metadata. Same inputs, same bytes: ``build.build_release`` is the entry point of the CLI and the asset."""
