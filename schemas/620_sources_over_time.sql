-- Sources over time (issue #12) and the publication guard (issue #13): a feed version is one
-- publication (the same bytes may be published again), records the loader that produced it and,
-- for cumulative sources, the version it was applied on; a version may be held by the guard;
-- a source may be retired; a load run may name a source that was never registered.

ALTER TABLE lineage.feed_version DROP CONSTRAINT IF EXISTS feed_version_source_id_sha256_key;
CREATE INDEX IF NOT EXISTS feed_version_source_sha ON lineage.feed_version (source_id, sha256);

ALTER TABLE lineage.feed_version DROP CONSTRAINT IF EXISTS feed_version_status_check;
ALTER TABLE lineage.feed_version ADD CONSTRAINT feed_version_status_check
    CHECK (status IN ('loaded', 'rejected', 'superseded', 'held', 'retired'));
COMMENT ON COLUMN lineage.feed_version.status IS 'loaded (published), rejected (input refused, see reject_reason), superseded (a newer version is current), held (refused by the publication guard until `transport-etl accept`, see reject_reason), retired (its source was removed).';
COMMENT ON COLUMN lineage.feed_version.reject_reason IS 'Why the version was rejected or held (one line).';
COMMENT ON TABLE lineage.feed_version IS 'One row per publication of a source: the same content (sha256) may be published again (a revert, a forced reload, a loader fix), each time as a new version. Exactly one loaded version per source is current.';

ALTER TABLE lineage.feed_version ADD COLUMN IF NOT EXISTS loader_digest text;
ALTER TABLE lineage.feed_version ADD COLUMN IF NOT EXISTS update_mode text;
ALTER TABLE lineage.feed_version ADD COLUMN IF NOT EXISTS republication_of bigint;
ALTER TABLE lineage.feed_version ADD COLUMN IF NOT EXISTS applied_on bigint;
COMMENT ON COLUMN lineage.feed_version.loader_digest IS 'SHA-256 over the Python and SQL files of the format loader that produced the version: when the code changes, unchanged sources are republished.';
COMMENT ON COLUMN lineage.feed_version.update_mode IS 'snapshot (the input is the whole truth) or cumulative (the input applies on top of the version in applied_on).';
COMMENT ON COLUMN lineage.feed_version.republication_of IS 'Earlier version with the same sha256 that this one publishes again (revert, forced reload, new loader), NULL for new content.';
COMMENT ON COLUMN lineage.feed_version.applied_on IS 'Cumulative sources: the version this input was applied on top of (NULL for a base, which starts a new chain).';

ALTER TABLE lineage.load_run DROP CONSTRAINT IF EXISTS load_run_source_id_fkey;
COMMENT ON COLUMN lineage.load_run.source_id IS 'Source loaded; may name an id that was never registered (a refused first load of an unknown source leaves no lineage.source row).';
ALTER TABLE lineage.load_run DROP CONSTRAINT IF EXISTS load_run_outcome_check;
ALTER TABLE lineage.load_run ADD CONSTRAINT load_run_outcome_check
    CHECK (outcome IN ('running', 'loaded', 'skipped', 'rejected', 'held', 'failed'));
COMMENT ON COLUMN lineage.load_run.outcome IS 'running, loaded, skipped (unchanged input), rejected (bad input), held (publication guard), failed (internal error).';

ALTER TABLE lineage.source ADD COLUMN IF NOT EXISTS retired_at timestamptz;
COMMENT ON COLUMN lineage.source.retired_at IS 'When the source was removed (`transport-etl sources remove`): its rows were closed, its lineage kept. NULL for active sources.';

-- `transport-etl accept` publishes a held version under its own number: the held row is replaced
-- within one transaction, so the load runs naming it are checked at commit.
ALTER TABLE lineage.load_run ALTER CONSTRAINT load_run_feed_version_id_fkey DEFERRABLE INITIALLY DEFERRED;
