-- Stop harmonisation: a member may join its canonical stop as a platform pair (two stop places of the
-- same source with the same name a few metres apart, e.g. one per direction in a city GTFS feed).
ALTER TABLE unified.canonical_stop_member DROP CONSTRAINT IF EXISTS canonical_stop_member_match_method_check;
ALTER TABLE unified.canonical_stop_member ADD CONSTRAINT canonical_stop_member_match_method_check
    CHECK (match_method IN ('register_id', 'platform_pair', 'distance_name', 'manual', 'singleton'));
COMMENT ON COLUMN unified.canonical_stop_member.match_method IS 'How the member joined: register_id (shared CRZ/SR70), platform_pair (a stop of the same source with the same name within platform_max_distance_m, e.g. the other direction''s platform of a city stop), distance_name (position + name evidence), manual (a GIS staff decision in stop_match_review), singleton (no match).';
