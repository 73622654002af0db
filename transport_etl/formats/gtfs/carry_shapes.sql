-- shapes.txt is the same file as in version %(shapes_from)s (delta.py carry_shapes): it is not staged again;
-- the notices and quarantined records on its lines are that version's (unused_shape aside: it depends on
-- trips.txt, validate.sql finds it again), and validate.sql takes that version's shape lines.
-- Parameters: %(feed_version_id)s, %(shapes_from)s.
INSERT INTO lineage.notice (feed_version_id, code, severity, file_name, line_no, field_name, entity_key, message)
SELECT %(feed_version_id)s, code, severity, file_name, line_no, field_name, entity_key, message
FROM lineage.notice
WHERE feed_version_id = %(shapes_from)s AND file_name = 'shapes.txt' AND code <> 'unused_shape'
ORDER BY id;
INSERT INTO lineage.rejected_record (feed_version_id, file_name, line_no, reason_code, message, raw_text)
SELECT %(feed_version_id)s, file_name, line_no, reason_code, message, raw_text
FROM lineage.rejected_record
WHERE feed_version_id = %(shapes_from)s AND file_name = 'shapes.txt'
ORDER BY id;
