-- A GTFS version that takes an earlier version's staged shapes.txt as it is (formats/gtfs/delta.py carry_shapes)
-- stages no shape points itself: the next version taking the same file must be pointed at the version that did
-- (validate.sql checks foreign keys to shapes and unused shapes against its staged rows), not at this one.
ALTER TABLE staging.gtfs_trip_basis ADD COLUMN IF NOT EXISTS shapes_from bigint;
COMMENT ON COLUMN staging.gtfs_trip_basis.shapes_from IS 'The version whose staged shapes.txt this one took as it is (it staged none itself); NULL when it staged its own.';
