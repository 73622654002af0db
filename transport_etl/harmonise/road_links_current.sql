-- Road-link identity, step 1 (road_links.py): the current links of every road network and the
-- canonical links current before this run, each in a temp table with statistics (the pairs that
-- may keep an identity follow in road_links_candidates.sql). Parameter: %(namespace)s.
DROP TABLE IF EXISTS _rl_cur, _rl_old;
CREATE TEMP TABLE _rl_cur ON COMMIT DROP AS
SELECT t.id AS link_id, t.source_id, t.feed_version_id, t.local_id, t.road_number, t.road_class, t.geom,
       ST_Length(t.geom) AS len
FROM unified.transport_link t
WHERE t.network = 'road' AND t.recorded_to IS NULL;
CREATE INDEX ON _rl_cur USING gist (geom);
ANALYZE _rl_cur;

CREATE TEMP TABLE _rl_old ON COMMIT DROP AS
SELECT c.id, c.local_id, c.source_id, c.road_number, c.road_class, c.transport_link_id, c.geom,
       ST_Length(c.geom) AS len
FROM unified.canonical_road_link c
WHERE c.namespace = %(namespace)s AND c.recorded_to IS NULL;
ANALYZE _rl_old;

