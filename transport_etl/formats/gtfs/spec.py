"""The GTFS Schedule files we know: columns with their type, required fields and primary keys.

Types: ``text``, ``int`` (integer), ``float`` (double precision), ``date`` (YYYYMMDD), ``time``
(H:MM:SS, stored as integer seconds after noon minus 12 h; may exceed 24 h), ``enum`` (small integer).
The staging DDL in schemas/100_gtfs_staging.sql follows this table (a unit test checks it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

T = "text"


@dataclass(frozen=True)
class FileSpec:
    name: str                      # file stem, e.g. "stop_times"
    columns: tuple[tuple[str, str], ...]
    required: tuple[str, ...] = ()  # fields that must be non-empty on every row
    key: tuple[str, ...] = ()       # primary key (duplicate_key when repeated)
    required_file: bool = False
    doc: str = ""
    types: dict[str, str] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "types", dict(self.columns))

    @property
    def file_name(self) -> str:
        return f"{self.name}.txt"

    @property
    def table(self) -> str:
        return f"staging.gtfs_{self.name}"


def _s(name, cols, required=(), key=(), required_file=False, doc=""):
    return FileSpec(name, tuple((c, t) for c, t in (x.split(":") if ":" in x else (x, T) for x in cols.split())),
                    tuple(required.split()) if isinstance(required, str) else required,
                    tuple(key.split()) if isinstance(key, str) else key, required_file, doc)


_X = {"i": "int", "f": "float", "d": "date", "tm": "time", "e": "enum", "t": "text"}


def _cols(spec: str) -> str:
    # "stop_lat:f" → "stop_lat:float"
    out = []
    for tok in spec.split():
        if ":" in tok:
            c, t = tok.split(":")
            out.append(f"{c}:{_X[t]}")
        else:
            out.append(tok)
    return " ".join(out)


SPECS: tuple[FileSpec, ...] = (
    _s("agency", _cols("agency_id agency_name agency_url agency_timezone agency_lang agency_phone agency_fare_url "
                       "agency_email cemv_support:e"),
       "agency_name agency_url agency_timezone", "agency_id", True, "Transit agencies (GTFS agency.txt)."),
    _s("stops", _cols("stop_id stop_code stop_name tts_stop_name stop_desc stop_lat:f stop_lon:f zone_id stop_url "
                      "location_type:e parent_station stop_timezone wheelchair_boarding:e level_id platform_code "
                      "stop_access:e"),
       "stop_id", "stop_id", True, "Stops, stations, entrances, nodes and boarding areas (GTFS stops.txt)."),
    _s("routes", _cols("route_id agency_id route_short_name route_long_name route_desc route_type:i route_url "
                       "route_color route_text_color route_sort_order:i continuous_pickup:e continuous_drop_off:e "
                       "network_id cemv_support:e"),
       "route_id route_type", "route_id", True, "Routes = lines (GTFS routes.txt)."),
    _s("trips", _cols("route_id service_id trip_id trip_headsign trip_short_name direction_id:e block_id shape_id "
                      "wheelchair_accessible:e bikes_allowed:e cars_allowed:e"),
       "route_id service_id trip_id", "trip_id", True, "Trips = journeys (GTFS trips.txt)."),
    _s("stop_times", _cols("trip_id arrival_time:tm departure_time:tm stop_id location_group_id location_id "
                           "stop_sequence:i stop_headsign start_pickup_drop_off_window:tm "
                           "end_pickup_drop_off_window:tm pickup_type:e drop_off_type:e continuous_pickup:e "
                           "continuous_drop_off:e shape_dist_traveled:f timepoint:e pickup_booking_rule_id "
                           "drop_off_booking_rule_id"),
       "trip_id stop_sequence", "trip_id stop_sequence", True, "Calls of trips at stops (GTFS stop_times.txt)."),
    _s("calendar", _cols("service_id monday:e tuesday:e wednesday:e thursday:e friday:e saturday:e sunday:e "
                         "start_date:d end_date:d"),
       "service_id monday tuesday wednesday thursday friday saturday sunday start_date end_date", "service_id",
       False, "Weekly service patterns with a date range (GTFS calendar.txt)."),
    _s("calendar_dates", _cols("service_id date:d exception_type:e"), "service_id date exception_type",
       "service_id date", False, "Service exceptions: 1 added, 2 removed on a date (GTFS calendar_dates.txt)."),
    _s("shapes", _cols("shape_id shape_pt_lat:f shape_pt_lon:f shape_pt_sequence:i shape_dist_traveled:f"),
       "shape_id shape_pt_lat shape_pt_lon shape_pt_sequence", "shape_id shape_pt_sequence", False,
       "Shape points of vehicle paths (GTFS shapes.txt)."),
    _s("frequencies", _cols("trip_id start_time:tm end_time:tm headway_secs:i exact_times:e"),
       "trip_id start_time end_time headway_secs", "trip_id start_time", False,
       "Headway-based service of template trips (GTFS frequencies.txt)."),
    _s("transfers", _cols("from_stop_id to_stop_id from_route_id to_route_id from_trip_id to_trip_id "
                          "transfer_type:e min_transfer_time:i"),
       "", "", False, "Transfer rules between stops, routes, trips (GTFS transfers.txt)."),
    _s("feed_info", _cols("feed_publisher_name feed_publisher_url feed_lang default_lang feed_start_date:d "
                          "feed_end_date:d feed_version feed_contact_email feed_contact_url"),
       "feed_publisher_name feed_publisher_url feed_lang", "", False, "Feed metadata (GTFS feed_info.txt)."),
    _s("levels", _cols("level_id level_index:f level_name"), "level_id level_index", "level_id", False,
       "Station levels (GTFS levels.txt)."),
    _s("pathways", _cols("pathway_id from_stop_id to_stop_id pathway_mode:e is_bidirectional:e length:f "
                         "traversal_time:i stair_count:i max_slope:f min_width:f signposted_as "
                         "reversed_signposted_as"),
       "pathway_id from_stop_id to_stop_id pathway_mode is_bidirectional", "pathway_id", False,
       "Walkways inside stations (GTFS pathways.txt)."),
    _s("translations", _cols("table_name field_name language translation record_id record_sub_id field_value"),
       "table_name field_name language translation", "", False, "Translated field values (GTFS translations.txt)."),
    _s("attributions", _cols("attribution_id agency_id route_id trip_id organization_name is_producer:e "
                             "is_operator:e is_authority:e attribution_url attribution_email attribution_phone"),
       "organization_name", "", False, "Data attributions (GTFS attributions.txt)."),
    _s("fare_attributes", _cols("fare_id price:f currency_type payment_method:e transfers:e agency_id "
                                "transfer_duration:i"),
       "fare_id price currency_type payment_method", "fare_id", False, "Fares v1 (GTFS fare_attributes.txt)."),
    _s("fare_rules", _cols("fare_id route_id origin_id destination_id contains_id"), "fare_id", "", False,
       "Fares v1 rules (GTFS fare_rules.txt)."),
    _s("timeframes", _cols("timeframe_group_id start_time:tm end_time:tm service_id"),
       "timeframe_group_id service_id", "", False, "Fares v2 time frames (GTFS timeframes.txt)."),
    _s("rider_categories", _cols("rider_category_id rider_category_name is_default_fare_category:e eligibility_url"),
       "rider_category_id rider_category_name", "rider_category_id", False,
       "Fares v2 rider categories (GTFS rider_categories.txt)."),
    _s("fare_media", _cols("fare_media_id fare_media_name fare_media_type:e"), "fare_media_id fare_media_type",
       "fare_media_id", False, "Fares v2 fare media (GTFS fare_media.txt)."),
    _s("fare_products", _cols("fare_product_id fare_product_name rider_category_id fare_media_id amount:f currency"),
       "fare_product_id amount currency", "", False, "Fares v2 fare products (GTFS fare_products.txt)."),
    _s("fare_leg_rules", _cols("leg_group_id network_id from_area_id to_area_id from_timeframe_group_id "
                               "to_timeframe_group_id fare_product_id rule_priority:i"),
       "fare_product_id", "", False, "Fares v2 leg rules (GTFS fare_leg_rules.txt)."),
    _s("fare_leg_join_rules", _cols("from_network_id to_network_id from_stop_id to_stop_id"),
       "from_network_id to_network_id", "", False, "Fares v2 leg join rules (GTFS fare_leg_join_rules.txt)."),
    _s("fare_transfer_rules", _cols("from_leg_group_id to_leg_group_id transfer_count:i duration_limit:i "
                                    "duration_limit_type:e fare_transfer_type:e fare_product_id"),
       "fare_transfer_type", "", False, "Fares v2 transfer rules (GTFS fare_transfer_rules.txt)."),
    _s("areas", _cols("area_id area_name"), "area_id", "area_id", False, "Fares v2 areas (GTFS areas.txt)."),
    _s("stop_areas", _cols("area_id stop_id"), "area_id stop_id", "area_id stop_id", False,
       "Fares v2 stops in areas (GTFS stop_areas.txt)."),
    _s("networks", _cols("network_id network_name"), "network_id", "network_id", False,
       "Fares v2 networks (GTFS networks.txt)."),
    _s("route_networks", _cols("network_id route_id"), "network_id route_id", "route_id", False,
       "Fares v2 routes in networks (GTFS route_networks.txt)."),
    _s("location_groups", _cols("location_group_id location_group_name"), "location_group_id",
       "location_group_id", False, "GTFS-Flex location groups (GTFS location_groups.txt)."),
    _s("location_group_stops", _cols("location_group_id stop_id"), "location_group_id stop_id", "", False,
       "GTFS-Flex stops of location groups (GTFS location_group_stops.txt)."),
)

BY_FILE: dict[str, FileSpec] = {s.file_name: s for s in SPECS}
# Load order: parents before children does not matter for staging (no FKs), but small files first
# lets us read feed_info / agency before the big ones, and every other file comes before stop_times, whose
# trips a next version may carry when the rest is the same (delta.py).
LOAD_ORDER = sorted(SPECS, key=lambda s: (s.name == "stop_times", s.name == "shapes"))
