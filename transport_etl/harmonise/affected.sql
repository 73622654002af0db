-- Snapshot of what road events affect on a service date (gis.affected_services_on), for operators.
DELETE FROM unified.affected_service;
INSERT INTO unified.affected_service (service_date, event_id, event_type, line_id, line_code, line_name,
       line_source_id, journey_id, journey_code, headsign, first_departure, road_numbers, affected_stops)
SELECT service_date, event_id, event_type, line_id, line_code, line_name, line_source_id,
       journey_id, journey_code, headsign, first_departure, road_numbers, affected_stops
  FROM gis.affected_services_on(%(service_date)s::date);
