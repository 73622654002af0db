"""JDF (jízdní řády, CIS JŘ exchange format) 1.9 / 1.10 / 1.11: reader, calendar and stop-time
semantics, loader into the unified model, and GTFS export."""
