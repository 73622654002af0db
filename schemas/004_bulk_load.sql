-- Bulk loads draw hundreds of thousands of ids at once (GTFS/JDF calls, service days and their
-- lineage.entity_source rows). With the default CACHE 1 every nextval() locks and updates the shared
-- sequence (~3.6 µs/row measured on HART); CACHE 1000 lets a session hand out ids from its own block.
-- Cost: ids are no longer dense or strictly in commit order across sessions (gaps of up to 1000 when a
-- session ends) — nothing relies on that, ids are surrogate keys only. Idempotent.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['operator','stop_place','stop_point','line','service_calendar','service_day',
      'route_geometry','journey','call','transport_node','transport_link','road_event','road_event_location',
      'traffic_count']
  LOOP
    EXECUTE format('ALTER TABLE unified.%I ALTER COLUMN id SET CACHE 1000', t);
  END LOOP;
END $$;
ALTER TABLE lineage.entity_source ALTER COLUMN id SET CACHE 1000;

-- Calls and service days are by far the biggest unified tables (HART: 435k calls; Amtrak: 500k service
-- days per version). Nothing looks them up by their persistent identifier: a call is found through its
-- journey (call_journey: journey_id, sequence), a service day through its date and calendar
-- (service_day_date). Their (namespace, local_id) btrees over long unique text keys cost ~1.5 s per
-- 435k-row load and serve no query, so they go; the identifier columns stay (and stay filled).
DROP INDEX IF EXISTS unified.call_identity;
DROP INDEX IF EXISTS unified.service_day_identity;
