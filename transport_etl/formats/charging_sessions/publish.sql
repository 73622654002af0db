-- Charging sessions of one feed version → unified.fleet_charging_session + lineage (sessions are events:
-- a new version replaces the list; the runner closes the previous one's rows).
WITH added AS (
    INSERT INTO unified.fleet_charging_session (source_id, feed_version_id, namespace, local_id, vehicle_id, charger_id,
        started_at, ended_at, energy_kwh, geom)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, r.session_id, r.vehicle_id, r.charger_id, r.started_at,
           r.ended_at, r.energy_kwh, CASE WHEN r.x IS NOT NULL THEN ST_SetSRID(ST_MakePoint(r.x, r.y), 5514) END
    FROM staging.fleet_charging_session_record r WHERE r.feed_version_id = %(feed_version_id)s
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key,
                                   load_run_id)
SELECT 'unified.fleet_charging_session', a.id, %(feed_version_id)s, r.source_file, r.line_no, r.session_id,
       %(load_run_id)s
FROM added a JOIN staging.fleet_charging_session_record r
  ON r.feed_version_id = %(feed_version_id)s AND r.session_id = a.local_id;
