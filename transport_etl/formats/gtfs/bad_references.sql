-- Stop times of unknown trips or at unknown stops (facts.sql found them in _bad_ref) are quarantined and leave
-- the ordered pass; validate.py then makes the trips' facts again without them.
-- Parameters: %(feed_version_id)s.
INSERT INTO gtfs_st_bad
SELECT g.line_no, g.trip_id, g.stop_id, g.stop_sequence,
       CASE WHEN g.trip_id IN (SELECT id FROM _bad_ref WHERE field = 'trip_id') THEN 'trip_id' ELSE 'stop_id' END
FROM gtfs_st g
WHERE g.trip_id IN (SELECT id FROM _bad_ref WHERE field = 'trip_id')
   OR g.stop_id IN (SELECT id FROM _bad_ref WHERE field = 'stop_id');
DELETE FROM gtfs_st g USING gtfs_st_bad b WHERE g.line_no = b.line_no;
