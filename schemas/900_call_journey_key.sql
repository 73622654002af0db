-- unified.call is the biggest unified table (one row per stop time: HART 435,507), and every index on it is paid
-- for on each call a version writes. It is keyed by what identifies a call: its journey and its position in it.
--
-- - PRIMARY KEY (journey_id, sequence) replaces the id key and call_journey (the same btree, now unique): every
--   writer gives each of a journey's calls its own sequence (GTFS rejects a repeated trip_id + stop_sequence in
--   formats/gtfs/validate.sql; JDF numbers a trip's calls 1..n; CZPTT a path's locations, one current path per
--   PA). Calls are written journey by journey in ascending journey ids, so the key grows at its right edge.
--   A JDF trip (line, distinction, trip number) in several batches of a bulk export, which became two journeys of
--   one local_id with both batches' calls each (doubled silently), is one journey from its first batch, with that
--   batch's calls (formats/jdf/publish.sql; tests/integration/test_jdf_load.py).
-- - id keeps its identity but gets a BRIN index: ids are given in insertion order, so the heap is ordered by id
--   and a lookup by id (lineage of a call: `transport-etl lineage unified.call ID`, lineage.row_source,
--   gis.row_lineage; a departure's call_id) reads one page range instead of a btree path: 32 pages (~1,500
--   calls), ~0.6 ms a lookup on HART's calls against ~0.2 ms by btree and ~1.1-2 ms with the default 128.
-- - call_current (source_id WHERE recorded_to IS NULL) goes: a source's current calls are the calls of its
--   current journeys, found by journey_current and then this key (ingest/run.py closing a version,
--   lineage/registry.py retiring a source, the shrink guard, export/gtfs.py; db/model.py::of_source writes that
--   condition once). recorded_to is then in no index on the table, so closing calls can be HOT updates.
-- - call_fv (BRIN, migration 880) and call_stop_point (departures of a stop, fleet analysis, alerts) stay.
-- Measured on copies of HART's 435,507 calls (INSERT ... SELECT, median of 3): 3.2 s and 198 MB WAL with the
-- five indexes before, 2.6 s and 144 MB with these four, 0.66 s and 83 MB with none.
ALTER TABLE unified.call DROP CONSTRAINT IF EXISTS call_pkey;
DROP INDEX IF EXISTS unified.call_journey;
DROP INDEX IF EXISTS unified.call_current;
ALTER TABLE unified.call ADD CONSTRAINT call_pkey PRIMARY KEY (journey_id, sequence);
CREATE INDEX IF NOT EXISTS call_id_brin ON unified.call USING brin (id) WITH (pages_per_range = 32, autosummarize = on);
COMMENT ON INDEX unified.call_pkey IS 'A call is identified by its journey and its position in it; also the path from a journey to its calls (departures, GTFS export, GTFS-RT matching, affected services) and from a source''s current journeys to their calls.';
COMMENT ON INDEX unified.call_id_brin IS 'Lookups by id (lineage of one call): ids are given in insertion order, so a page range per lookup.';
