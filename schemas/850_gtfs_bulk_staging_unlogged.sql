-- The two bulk GTFS staging tables become UNLOGGED (issue 11, first-load speed). stop_times and shapes are
-- read only inside the load transaction that writes them (validate.sql, publish.sql); everything read after
-- commit (GTFS-RT matching, departures, lineage, exports, diffs) reads unified.* or the small staging tables,
-- which stay logged. Not writing their ~80 MB of WAL per HART load (and the segment fsyncs that come with
-- it) is most of the gap between their COPY and a raw COPY into unlogged tables.
-- What it gives up: after a server crash PostgreSQL empties unlogged tables, so the staged stop_times and
-- shapes of versions loaded before the crash are gone (their unified rows and lineage are not touched; a
-- reload or the next version stages them again). They are not on streaming replicas either.
ALTER TABLE staging.gtfs_stop_times SET UNLOGGED;
ALTER TABLE staging.gtfs_shapes SET UNLOGGED;
COMMENT ON TABLE staging.gtfs_stop_times IS 'Calls of trips at stops (GTFS stop_times.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead. UNLOGGED (schemas/850): read only by the load that writes it; emptied by a server crash.';
COMMENT ON TABLE staging.gtfs_shapes IS 'Shape points of vehicle paths (GTFS shapes.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead. UNLOGGED (schemas/850): read only by the load that writes it; emptied by a server crash.';
