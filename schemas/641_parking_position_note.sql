-- Why a parking record's position was not placed (the one position rule, transport_etl/positions.py).
ALTER TABLE staging.parking_record ADD COLUMN IF NOT EXISTS location_note text;
COMMENT ON COLUMN staging.parking_record.location_note IS
    'Position rule note (point_near_origin, non_finite_position, lat_lon_swapped, ...) when x/y were not placed.';
