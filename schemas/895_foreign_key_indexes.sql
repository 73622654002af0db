-- Foreign keys that joined after 720 get their lookup index too (a delete or prune of the referenced row
-- would otherwise scan the referencing table; tests/integration/test_lookup_indexes.py checks every one).
CREATE INDEX IF NOT EXISTS release_same_as ON lineage.release (same_as) WHERE same_as IS NOT NULL;
CREATE INDEX IF NOT EXISTS release_feed_version_source ON lineage.release_feed_version (source_id);
CREATE INDEX IF NOT EXISTS canonical_road_link_predecessor_predecessor
    ON unified.canonical_road_link_predecessor (predecessor_id);
