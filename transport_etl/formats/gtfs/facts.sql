-- The facts of this version's staged trips, made once per trip from the ordered pass (gtfs_st): validate.py runs
-- this first; when some trips or stops they refer to are unknown, it quarantines those stop times
-- (bad_references.sql) and runs this again, so that the facts are of the accepted stop times only.
-- Parameters: %(feed_version_id)s. Returns how many trips and stops referred to are unknown.

-- Stop times the model cannot take are quarantined: a required field empty, a repeated key (every record
-- after the first of its trip_id + stop_sequence), or an unknown trip or stop (a call needs both; found below,
-- once per trip and per pattern).
CREATE TEMP TABLE IF NOT EXISTS gtfs_st_bad (line_no integer, trip_id text, stop_id text, stop_sequence integer,
                                             field text) ON COMMIT DROP;
DROP TABLE IF EXISTS _trip_agg, _pattern_trip, _pattern, _bad_ref;
INSERT INTO gtfs_st_bad
SELECT line_no, trip_id, stop_id, stop_sequence, CASE WHEN missing_req THEN 'required' ELSE 'key' END
FROM gtfs_st WHERE missing_req OR dup_key;
DELETE FROM gtfs_st g WHERE EXISTS (SELECT 1 FROM gtfs_st_bad)
                        AND g.line_no IN (SELECT line_no FROM gtfs_st_bad);
-- The plans below need its row count and rough key cardinalities: a 3,000-row sample gives them (the
-- default 30,000-row one cost ~1 s on Amtrak's 40k stop times on a shared machine).
SET LOCAL default_statistics_target = 10;
ANALYZE gtfs_st;
SET LOCAL default_statistics_target TO DEFAULT;

-- Per trip, in one pass over its accepted stop times: its span, its pattern (the stop sequence) and a digest of
-- its calls (the XOR of a 64-bit hash per stop time: each hash is seeded with its sequence, so no ordering sort is
-- needed; a false "unchanged" needs a 64-bit collision); a carried trip (its lines as in the version it is
-- carried from, not staged: trip_lines.py) gets that version's facts (validate.sql). Block overlaps, shape distances,
-- stop modes, stop-sequence geometries and journey digests are computed from these, once per trip or pattern
-- instead of once per stop time. The hashes are of plain values (a row value built and hashed per stop time
-- cost ~3 times as much: ~0.15 s on HART).
CREATE TEMP TABLE _trip_agg ON COMMIT DROP AS
SELECT trip_id, min(coalesce(dep, arr)) AS t0, max(coalesce(arr, dep)) AS t1, min(line_no) AS line0,
       bit_xor(hashtextextended(coalesce(stop_id, ''), stop_sequence)) # hashint8extended(count(*), 0) AS pattern,
       -- one hash per field, each seeded with the sequence and the field (hashint8extended would fold a packed
       -- arrival and departure into 32 bits: a stop time arriving when it departs would hash alike at any time)
       bit_xor(hashtextextended(coalesce(stop_id, ''), stop_sequence::int8 * 8)
               # hashint4extended(coalesce(arr, -1), stop_sequence::int8 * 8 + 1)
               # hashint4extended(coalesce(dep, -1), stop_sequence::int8 * 8 + 2)
               # hashint4extended(coalesce(pickup_type, 9) * 100 + coalesce(drop_off_type, 9) * 10
                                  + coalesce(timepoint, 9), stop_sequence::int8 * 8 + 3)
               # hashfloat8extended(coalesce(dist, 'NaN'), stop_sequence::int8 * 8 + 4)) AS calls,
       count(*) AS n_calls
FROM gtfs_st GROUP BY trip_id;
-- each pattern's stops in order, from one trip that has it: the trips (few) in an analysed table, so that they
-- are hashed and the stop times probe them (with a guessed count the planner hashed every stop time instead)
CREATE TEMP TABLE _pattern_trip ON COMMIT DROP AS
SELECT DISTINCT ON (pattern) pattern, trip_id FROM _trip_agg ORDER BY pattern, trip_id;
ANALYZE _pattern_trip;
CREATE TEMP TABLE _pattern ON COMMIT DROP AS
SELECT a.pattern, array_agg(st.stop_id ORDER BY st.stop_sequence) AS stop_ids
FROM _pattern_trip a
JOIN gtfs_st st ON st.trip_id = a.trip_id
GROUP BY a.pattern;
-- Trips and stops referred to that the version does not have: each staged trip once, each stop of a pattern once
-- (a stop time's stop is one of its trip's pattern's stops), instead of a lookup per stop time (~0.2 s on HART).
CREATE TEMP TABLE _bad_ref ON COMMIT DROP AS
SELECT 'trip_id'::text AS field, a.trip_id AS id FROM _trip_agg a
WHERE NOT EXISTS (SELECT 1 FROM staging.gtfs_trips t WHERE t.feed_version_id = %(feed_version_id)s
                  AND t.trip_id = a.trip_id)
UNION
SELECT 'stop_id', s.stop_id FROM _pattern p CROSS JOIN LATERAL unnest(p.stop_ids) AS s(stop_id)
WHERE s.stop_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM staging.gtfs_stops x WHERE x.feed_version_id = %(feed_version_id)s
                  AND x.stop_id = s.stop_id);
SELECT count(*) FROM _bad_ref;
