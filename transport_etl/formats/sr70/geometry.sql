-- Positions of this version's SR70 rows: S-JTSK (already EPSG:5514 signs) first, WGS84 as fallback
-- when it lies in Czechia; otherwise NULL with the reason kept in location_note (never 0,0).
UPDATE staging.sr70
   SET geom = ST_SetSRID(ST_MakePoint(x_5514, y_5514), 5514)
 WHERE feed_version_id = %(feed_version_id)s AND x_5514 IS NOT NULL AND y_5514 IS NOT NULL;

UPDATE staging.sr70
   SET geom = ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 5514),
       location_note = 'from_wgs84'
 WHERE feed_version_id = %(feed_version_id)s AND geom IS NULL
   AND lat BETWEEN 48.5 AND 51.1 AND lon BETWEEN 12.0 AND 18.9;
