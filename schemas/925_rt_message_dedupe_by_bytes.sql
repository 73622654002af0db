-- GTFS-Realtime messages are deduplicated by their bytes only (formats/gtfs_rt/record.py): a message with a
-- stored header timestamp but other content is recorded (with a notice), not dropped. Documentation only.
COMMENT ON TABLE unified.rt_message IS 'GTFS-Realtime messages recorded (polled or loaded from .pb files); a message with the same bytes (content_sha256) as a stored one of the source adds nothing; one that only shares the header timestamp is recorded with a notice. Kept for the source''s retention_days (default 30; 0 = keep all).';
