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


_TYPES = {"i": "int", "f": "float", "d": "date", "tm": "time", "e": "enum"}


def _s(name: str, cols: str, required: str, key: str, what: str, required_file: bool = False) -> FileSpec:
    """A file's spec from its columns ("stop_lat:f": a type suffix of _TYPES, none for text), required
    fields and key (space-separated) and what it holds (its doc, which names the file)."""
    columns = tuple((c, _TYPES[t]) if t else (c, T) for c, _, t in (x.partition(":") for x in cols.split()))
    return FileSpec(name, columns, tuple(required.split()), tuple(key.split()), required_file,
                    f"{what} (GTFS {name}.txt).")


SPECS: tuple[FileSpec, ...] = (
    _s("agency", "agency_id agency_name agency_url agency_timezone agency_lang agency_phone agency_fare_url "
                 "agency_email cemv_support:e",
       "agency_name agency_url agency_timezone", "agency_id", "Transit agencies", required_file=True),
    _s("stops", "stop_id stop_code stop_name tts_stop_name stop_desc stop_lat:f stop_lon:f zone_id stop_url "
                "location_type:e parent_station stop_timezone wheelchair_boarding:e level_id platform_code "
                "stop_access:e",
       "stop_id", "stop_id", "Stops, stations, entrances, nodes and boarding areas", required_file=True),
    _s("routes", "route_id agency_id route_short_name route_long_name route_desc route_type:i route_url "
                 "route_color route_text_color route_sort_order:i continuous_pickup:e continuous_drop_off:e "
                 "network_id cemv_support:e",
       "route_id route_type", "route_id", "Routes = lines", required_file=True),
    _s("trips", "route_id service_id trip_id trip_headsign trip_short_name direction_id:e block_id shape_id "
                "wheelchair_accessible:e bikes_allowed:e cars_allowed:e",
       "route_id service_id trip_id", "trip_id", "Trips = journeys", required_file=True),
    _s("stop_times", "trip_id arrival_time:tm departure_time:tm stop_id location_group_id location_id "
                     "stop_sequence:i stop_headsign start_pickup_drop_off_window:tm "
                     "end_pickup_drop_off_window:tm pickup_type:e drop_off_type:e continuous_pickup:e "
                     "continuous_drop_off:e shape_dist_traveled:f timepoint:e pickup_booking_rule_id "
                     "drop_off_booking_rule_id",
       "trip_id stop_sequence", "trip_id stop_sequence", "Calls of trips at stops", required_file=True),
    _s("calendar", "service_id monday:e tuesday:e wednesday:e thursday:e friday:e saturday:e sunday:e "
                   "start_date:d end_date:d",
       "service_id monday tuesday wednesday thursday friday saturday sunday start_date end_date",
       "service_id", "Weekly service patterns with a date range"),
    _s("calendar_dates", "service_id date:d exception_type:e",
       "service_id date exception_type", "service_id date",
       "Service exceptions: 1 added, 2 removed on a date"),
    _s("shapes", "shape_id shape_pt_lat:f shape_pt_lon:f shape_pt_sequence:i shape_dist_traveled:f",
       "shape_id shape_pt_lat shape_pt_lon shape_pt_sequence", "shape_id shape_pt_sequence",
       "Shape points of vehicle paths"),
    _s("frequencies", "trip_id start_time:tm end_time:tm headway_secs:i exact_times:e",
       "trip_id start_time end_time headway_secs", "trip_id start_time",
       "Headway-based service of template trips"),
    _s("transfers", "from_stop_id to_stop_id from_route_id to_route_id from_trip_id to_trip_id "
                    "transfer_type:e min_transfer_time:i",
       "", "", "Transfer rules between stops, routes, trips"),
    _s("feed_info", "feed_publisher_name feed_publisher_url feed_lang default_lang feed_start_date:d "
                    "feed_end_date:d feed_version feed_contact_email feed_contact_url",
       "feed_publisher_name feed_publisher_url feed_lang", "", "Feed metadata"),
    _s("levels", "level_id level_index:f level_name", "level_id level_index", "level_id", "Station levels"),
    _s("pathways", "pathway_id from_stop_id to_stop_id pathway_mode:e is_bidirectional:e length:f "
                   "traversal_time:i stair_count:i max_slope:f min_width:f signposted_as "
                   "reversed_signposted_as",
       "pathway_id from_stop_id to_stop_id pathway_mode is_bidirectional", "pathway_id",
       "Walkways inside stations"),
    _s("translations", "table_name field_name language translation record_id record_sub_id field_value",
       "table_name field_name language translation", "", "Translated field values"),
    _s("attributions", "attribution_id agency_id route_id trip_id organization_name is_producer:e "
                       "is_operator:e is_authority:e attribution_url attribution_email attribution_phone",
       "organization_name", "", "Data attributions"),
    _s("fare_attributes", "fare_id price:f currency_type payment_method:e transfers:e agency_id "
                          "transfer_duration:i",
       "fare_id price currency_type payment_method", "fare_id", "Fares v1"),
    _s("fare_rules", "fare_id route_id origin_id destination_id contains_id",
       "fare_id", "", "Fares v1 rules"),
    _s("timeframes", "timeframe_group_id start_time:tm end_time:tm service_id",
       "timeframe_group_id service_id", "", "Fares v2 time frames"),
    _s("rider_categories", "rider_category_id rider_category_name is_default_fare_category:e eligibility_url",
       "rider_category_id rider_category_name", "rider_category_id", "Fares v2 rider categories"),
    _s("fare_media", "fare_media_id fare_media_name fare_media_type:e",
       "fare_media_id fare_media_type", "fare_media_id", "Fares v2 fare media"),
    _s("fare_products", "fare_product_id fare_product_name rider_category_id fare_media_id amount:f currency",
       "fare_product_id amount currency", "", "Fares v2 fare products"),
    _s("fare_leg_rules", "leg_group_id network_id from_area_id to_area_id from_timeframe_group_id "
                         "to_timeframe_group_id fare_product_id rule_priority:i",
       "fare_product_id", "", "Fares v2 leg rules"),
    _s("fare_leg_join_rules", "from_network_id to_network_id from_stop_id to_stop_id",
       "from_network_id to_network_id", "", "Fares v2 leg join rules"),
    _s("fare_transfer_rules", "from_leg_group_id to_leg_group_id transfer_count:i duration_limit:i "
                              "duration_limit_type:e fare_transfer_type:e fare_product_id",
       "fare_transfer_type", "", "Fares v2 transfer rules"),
    _s("areas", "area_id area_name", "area_id", "area_id", "Fares v2 areas"),
    _s("stop_areas", "area_id stop_id", "area_id stop_id", "area_id stop_id", "Fares v2 stops in areas"),
    _s("networks", "network_id network_name", "network_id", "network_id", "Fares v2 networks"),
    _s("route_networks", "network_id route_id",
       "network_id route_id", "route_id", "Fares v2 routes in networks"),
    _s("location_groups", "location_group_id location_group_name",
       "location_group_id", "location_group_id", "GTFS-Flex location groups"),
    _s("location_group_stops", "location_group_id stop_id",
       "location_group_id stop_id", "", "GTFS-Flex stops of location groups"),

)

BY_FILE: dict[str, FileSpec] = {s.file_name: s for s in SPECS}
# Load order: parents before children does not matter for staging (no FKs), but small files first
# lets us read feed_info / agency before the big ones, and every other file comes before stop_times, whose
# trips a next version may carry when the rest is the same (delta.py).
LOAD_ORDER = sorted(SPECS, key=lambda s: (s.name == "stop_times", s.name == "shapes"))
