-- Cumulative CZPTT (issue #12): a version's staging also holds the messages still in force from the
-- version it applies on; this column says which feed version brought each of them.
ALTER TABLE staging.czptt_message ADD COLUMN IF NOT EXISTS origin_feed_version_id bigint;
COMMENT ON COLUMN staging.czptt_message.origin_feed_version_id IS 'Cumulative loads: the feed version whose file brought this message (carried over from the version applied on); NULL when it came with this version''s own input.';
