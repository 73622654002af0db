-- unified.call is written in feed-version order: a version's new calls come in one INSERT (publish.sql of
-- each format) after those of the versions before it, so the heap is ordered by feed_version_id, as
-- staging.gtfs_stop_times is (100_gtfs_staging.sql gives that a BRIN index for the same reason). The rows of
-- one version are looked up by feed_version_id only in bulk: prune's DELETE of superseded versions
-- (ingest/run.py), the shrink guard's "rows of this version" (ingest/guard.py, bitmap-ORed with call_current)
-- and tests. A BRIN index serves those as bitmap scans of the version's page ranges, while the btree it
-- replaces took one entry per call: 0.13-0.25 s of HART's 435k-call INSERT (of ~1.7 s CPU). The current rows
-- of a source keep their btree (call_current): every load counts them and closes them by source.
-- autosummarize: a full page range is summarised by autovacuum soon after it fills (until then the
-- unsummarised tail is always scanned, which is where a version being loaded lies).
DROP INDEX IF EXISTS unified.call_fv;
CREATE INDEX IF NOT EXISTS call_fv ON unified.call USING brin (feed_version_id) WITH (autosummarize = on);
