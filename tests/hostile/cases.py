"""The hostile cases: every format, every class of issue 13. Builders come from damage.py."""

from __future__ import annotations

import json
import re

from tests.hostile.cases_rail import RAIL_CASES
from tests.hostile.damage import (
    Case,
    census_row,
    cp1250_with_undefined,
    czptt_first_message,
    datex_edit,
    datex_points,
    fifo,
    file_copy,
    folder_copy,
    gbfs_feed_url,
    gbfs_station,
    gtfs_edit,
    gtfs_folder_with_link,
    jdf_batch_edit,
    link_into,
    long_line,
    many_members,
    not_utf8_in_cp1250,
    parking_latlon,
    parking_row,
    rezip,
    road_network_with,
    set_field,
    stored_long_line,
    symlink_member,
    utf16,
    with_replacement_char,
    zip_bomb,
)
from tests.hostile.fleet_cases import FLEET_CASES

GTFS, GBFS, PARKING, RT = "municipal-dpmul-gtfs", "municipal-nextbike-most-gbfs", "municipal-usti-parking", \
    "municipal-dpmul-gtfs-rt"
JDF, REGISTER, SR70, CZPTT = "regional-jdf-duk", "regional-stop-register", "sz-sr70", "sz-czptt"
NETWORK, DATEX, CLOSURES, CENSUS = "road-rsd-network", "road-ndic-datex2", "road-rsd-closures", "road-rsd-census"
BOUNDARY, XML, POSITION, ENCODING, DOMAIN, FAILURE = "boundary", "xml", "position", "encoding", "domain", "failure"


def _dup_member(demo, tmp):
    src = demo.path(GTFS)
    from tests.hostile.damage import member

    return rezip(src, tmp / "feed.zip", extra=[("stops.txt", member(src, "stops.txt"))])


def _corrupt_member(demo, tmp):
    """The feed stored (not deflated) with one digit of stop_times.txt changed in place: the bytes still parse,
    only the member's CRC says they are not what was packed."""
    import zipfile

    out = tmp / "feed.zip"
    rezip(demo.path(GTFS), out, method=zipfile.ZIP_STORED)
    data = bytearray(out.read_bytes())
    with zipfile.ZipFile(out) as z:
        info = next(i for i in z.infolist() if i.filename.endswith("stop_times.txt"))
    at = info.header_offset
    start = at + 30 + int.from_bytes(data[at + 26:at + 28], "little") + int.from_bytes(data[at + 28:at + 30], "little")
    digit = next(i for i in range(start + info.file_size // 2, start + info.file_size) if chr(data[i]).isdigit())
    data[digit] = ord("1") if data[digit] != ord("1") else ord("2")
    out.write_bytes(bytes(data))
    return str(out)


def _escaping_member(demo, tmp):
    return rezip(demo.path(GTFS), tmp / "feed.zip", extra=[("../../evil.txt", b"x")])


def _symlink_member(demo, tmp):
    return rezip(demo.path(GTFS), tmp / "feed.zip", extra=[symlink_member("notes.txt", str(demo.secret))])


def _dev_zero(_demo, _tmp):
    return "/dev/zero"


def _file_url(demo, _tmp):
    return f"file://{demo.secret}"


def _xml_with_dtd_after_comment(secret_ref: bool):
    def fn(text: str) -> str:
        body = re.sub(r"^<\?xml[^>]*>\s*", "", text)
        body = body.replace('<value lang="cs">', '<value lang="cs">&x;', 1)
        ent = 'SYSTEM "file://{s}"' if secret_ref else '"boom"'
        return f'<?xml version="1.0"?>\n<!-- <a>not an element</a> -->\n<!DOCTYPE d [<!ENTITY x {ent}>]>\n' + body
    return fn


def _datex_xxe(demo, tmp):
    text = demo.path(DATEX).read_text(encoding="utf-8")
    out = _xml_with_dtd_after_comment(True)(text).replace("{s}", str(demo.secret))
    (tmp / "x.xml").write_text(out, encoding="utf-8")
    return str(tmp / "x.xml")


def _bomb(text: str) -> str:
    body = re.sub(r"^<\?xml[^>]*>\s*", "", text).replace('<value lang="cs">', '<value lang="cs">&l9;', 1)
    ents = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    return f'<?xml version="1.0"?>\n<!DOCTYPE d [{ents}]>\n' + body


def _datex_utf16_dtd(demo, tmp):
    text = _xml_with_dtd_after_comment(False)(demo.path(DATEX).read_text(encoding="utf-8"))
    (tmp / "x.xml").write_bytes(text.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
                                .encode("utf-16"))
    return str(tmp / "x.xml")


def _stations(fn):
    return gbfs_station(fn)


def _swap_first(st):
    st[0]["lat"], st[0]["lon"] = st[0]["lon"], st[0]["lat"]


def _geojson_string_geometry(demo, tmp):
    doc = json.loads(demo.path(CLOSURES).read_text(encoding="utf-8"))
    doc["features"][0]["geometry"] = "LINESTRING(0 0, 1 1)"
    (tmp / "c.geojson").write_text(json.dumps(doc), encoding="utf-8")
    return str(tmp / "c.geojson")


def _parking_geojson_string_geometry(demo, tmp):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": "POINT(14 50)", "properties": {"ID_PARKOVISTE": "G1", "NAZEV": "x"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [14.03, 50.66]},
         "properties": {"ID_PARKOVISTE": "G2", "NAZEV": "y"}}]}
    (tmp / "p.geojson").write_text(json.dumps(doc), encoding="utf-8")
    return str(tmp / "p.geojson")


def _register_row(x: str, y: str):
    def edit(data: bytes, _demo) -> bytes:
        text = set_field(data.decode("utf-8"), 3, "X", x, ";")
        return set_field(text, 3, "Y", y, ";").encode("utf-8")
    return file_copy(REGISTER, edit)


def _rt_garbage(folder, _demo):
    (folder / "03-1796097999.pb").write_bytes(b"\x0a\xff\xff\xff\xff\x0f garbage")


def _jdf_dup_stop(data: bytes) -> bytes:
    lines = data.split(b"\r\n") if b"\r\n" in data else data.split(b"\n")
    sep = b"\r\n" if b"\r\n" in data else b"\n"
    return sep.join(lines[:2] + [lines[0]] + lines[2:])


def _jdf_long_line(data: bytes) -> bytes:
    sep = b"\r\n" if b"\r\n" in data else b"\n"
    lines = data.split(sep)
    return sep.join(lines[:2] + [b'"' + b"9" * 70_000 + b'";'] + lines[2:])


def _czptt_letters(text: str) -> str:
    return re.sub(r"<BitmapDays>[01]+", lambda m: "<BitmapDays>" + "AB" * ((len(m.group(0)) - 12) // 2), text,
                  count=1)


def _four_bad_stops(t: str) -> str:
    for line, (lat, lon) in {3: ("14.04452", "50.6595"), 4: ("NaN", "NaN"), 5: ("0", "0"), 6: ("52.52", "13.40")}.items():
        t = set_field(set_field(t, line, "stop_lat", lat), line, "stop_lon", lon)
    return t



def _keep_first_lines(n: int):
    """Text transform: only the header and the first ``n`` records remain."""
    return lambda text: "\n".join(text.splitlines()[: n + 1]) + "\n"


def _jdf_keep_first_lines(n: int):
    """JDF bytes transform (no header line): only the first ``n`` records remain."""
    return lambda data, *_a: b"".join(data.splitlines(keepends=True)[:n])

CASES: list[Case] = [
    # --- input boundaries ------------------------------------------------------------------------------
    Case("gtfs_folder_notes_symlink_to_secret", BOUNDARY, GTFS, gtfs_folder_with_link("notes.txt"), "rejected",
         r"notes\.txt: symbolic link leads outside the input folder", cli=True),
    Case("gtfs_folder_stops_symlink_to_secret", BOUNDARY, GTFS, gtfs_folder_with_link("stops.txt"), "rejected",
         r"stops\.txt: symbolic link leads outside"),
    Case("gtfs_dev_zero", BOUNDARY, GTFS, _dev_zero, "rejected", r"not a regular file", cli=True),
    Case("parking_fifo", BOUNDARY, PARKING, fifo, "rejected", r"not a regular file"),
    Case("gtfs_file_url_to_secret", BOUNDARY, GTFS, _file_url, "rejected", r"unsupported location scheme"),
    Case("gtfs_duplicate_zip_member", BOUNDARY, GTFS, _dup_member, "rejected", r"duplicate member stops\.txt"),
    Case("gtfs_zip_member_outside_archive", BOUNDARY, GTFS, _escaping_member, "rejected", r"points outside"),
    Case("gtfs_zip_member_crc_mismatch", BOUNDARY, GTFS, _corrupt_member, "rejected",
         r"member stop_times\.txt is corrupt \(Bad CRC-32", cli=True),
    Case("gtfs_zip_symlink_member", BOUNDARY, GTFS, _symlink_member, "rejected", r"is a symbolic link"),
    Case("gtfs_zip_bomb_ratio", BOUNDARY, GTFS, zip_bomb, "rejected", r"possible zip bomb"),
    Case("gtfs_too_many_members", BOUNDARY, GTFS, many_members, "rejected", r"members, above the limit",
         options={"max_members": 50}),
    # A whole file hidden in one endless "record": quarantined without being held in memory, and the
    # version is held by the publication guard (rejected bytes), not published with 0 stop_times.
    Case("gtfs_single_line_stop_times", BOUNDARY, GTFS, stored_long_line(3 << 20), "held",
         r"rejected records hold .* input bytes .*held; publish it with `transport-etl accept",
         reject=("stop_times.txt", 2, "line_too_long"), cli=True),
    # A good timetable silently replaced by a near-empty one: the shrink guard holds it.
    Case("gtfs_stop_times_mostly_gone", DOMAIN, GTFS, gtfs_edit("stop_times.txt", _keep_first_lines(40)), "held",
         r"would shrink from .* rows .*limit 50%"),
    Case("jdf_calls_mostly_gone", DOMAIN, JDF, jdf_batch_edit("Zasspoje.txt", _jdf_keep_first_lines(3)), "held",
         r"would shrink from .* rows"),
    Case("gtfs_long_line_quarantined", BOUNDARY, GTFS, gtfs_edit("stops.txt", long_line(70_000)), "loaded",
         reject=("stops.txt", 3, "line_too_long"), options={"max_reject_ratio": 0.9}),
    Case("jdf_long_line_quarantined", BOUNDARY, JDF, jdf_batch_edit("Zastavky.txt", _jdf_long_line), "loaded",
         reject=("Zastavky.txt", 3, "line_too_long"), options={"max_reject_ratio": 0.5, "max_shrink": 1.0}),
    Case("census_long_line_quarantined", BOUNDARY, CENSUS, file_copy(CENSUS, lambda d, _x: d.replace(
        b"\n", b"\n" + b"7" * 70_000 + b"\n", 2).replace(b"\n" + b"7" * 70_000 + b"\n", b"\n", 1)), "loaded",
         reject=("csd_2020_ustecky.csv", 3, "line_too_long"), options={"max_reject_ratio": 0.9}),
    Case("czptt_folder_symlink_to_secret", BOUNDARY, CZPTT, link_into(CZPTT, "x.xml"), "rejected",
         r"x\.xml: symbolic link leads outside"),
    Case("jdf_folder_symlink_to_secret", BOUNDARY, JDF, link_into(JDF, "Zastavky.txt"), "rejected",
         r"Zastavky\.txt: symbolic link leads outside"),
    Case("gbfs_feed_points_to_local_secret", BOUNDARY, GBFS, gbfs_feed_url(lambda d: str(d.secret)), "rejected",
         r"not an http\(s\) URL"),
    Case("gbfs_feed_points_to_file_url", BOUNDARY, GBFS, gbfs_feed_url(lambda d: f"file://{d.secret}"), "rejected",
         r"not an http\(s\) URL"),
    Case("gtfs_rt_folder_symlink_to_secret", BOUNDARY, RT, link_into(RT, "99-1796097999.pb"), "rejected",
         r"symbolic link leads outside"),
    Case("census_symlink_beside", BOUNDARY, CENSUS, link_into(CENSUS, "notes.csv"), "rejected",
         r"symbolic link leads outside"),
    Case("sr70_symlink_beside", BOUNDARY, SR70, link_into(SR70, "x.csv"), "rejected", r"symbolic link"),
    Case("register_symlink_beside", BOUNDARY, REGISTER, link_into(REGISTER, "x.csv"), "rejected", r"symbolic link"),
    Case("network_symlink_beside", BOUNDARY, NETWORK, link_into(NETWORK, "x.shp"), "rejected", r"symbolic link"),
    Case("datex_symlink_beside", BOUNDARY, DATEX, link_into(DATEX, "x.xml"), "rejected", r"symbolic link"),
    Case("closures_symlink_beside", BOUNDARY, CLOSURES, link_into(CLOSURES, "x.geojson"), "rejected",
         r"symbolic link"),
    Case("parking_symlink_beside", BOUNDARY, PARKING, link_into(PARKING, "x.csv"), "rejected", r"symbolic link"),
    # --- one XML path ----------------------------------------------------------------------------------
    Case("datex_comment_before_doctype_xxe", XML, DATEX, _datex_xxe, "rejected", r"declares a DTD or entities",
         cli=True),
    Case("datex_billion_laughs", XML, DATEX, datex_edit(_bomb), "rejected", r"declares a DTD or entities"),
    Case("datex_utf16_doctype", XML, DATEX, _datex_utf16_dtd, "rejected", r"declares a DTD or entities"),
    Case("datex_truncated", XML, DATEX, datex_edit(lambda t: t[: len(t) // 2]), "rejected", r"not well-formed"),
    Case("czptt_doctype_after_comment", XML, CZPTT, czptt_first_message(_xml_with_dtd_after_comment(False)),
         "rejected", r"declares a DTD or entities"),
    # --- one position rule -----------------------------------------------------------------------------
    Case("parking_nan", POSITION, PARKING, parking_latlon("NaN", "NaN"), "loaded",
         notice=("non_finite_position", "parkoviste-usti.csv", 3)),
    Case("parking_inf", POSITION, PARKING, parking_latlon("inf", "14,03"), "loaded",
         notice=("non_finite_position", "parkoviste-usti.csv", 3)),
    Case("parking_swapped", POSITION, PARKING, parking_latlon("14,03420", "50,66150"), "loaded",
         notice=("lat_lon_swapped", "parkoviste-usti.csv", 3)),
    Case("parking_zero", POSITION, PARKING, parking_latlon("0", "0"), "loaded",
         notice=("point_near_origin", "parkoviste-usti.csv", 3)),
    Case("parking_sjtsk_in_wgs84", POSITION, PARKING, parking_latlon("-976288", "-760528"), "loaded",
         notice=("sjtsk_in_wgs84", "parkoviste-usti.csv", 3)),
    Case("parking_lat_95", POSITION, PARKING, parking_latlon("95", "14"), "loaded",
         notice=("out_of_range", "parkoviste-usti.csv", 3)),
    Case("parking_far_away", POSITION, PARKING, parking_latlon("-33,86", "151,2"), "loaded",
         notice=("outside_expected_extent", "parkoviste-usti.csv", 3)),
    # one feed, four damaged stops (one load): swapped, NaN, 0,0 and Berlin, each named with its line
    Case("gtfs_stops_swapped_nan_zero_far", POSITION, GTFS, gtfs_edit("stops.txt", _four_bad_stops), "loaded",
         notice=("lat_lon_swapped", "stops.txt", 3),
         more_notices=(("non_finite_position", "stops.txt", 4), ("point_near_origin", "stops.txt", 5),
                       ("outside_expected_extent", "stops.txt", 6))),
    Case("gbfs_station_swapped", POSITION, GBFS, _stations(_swap_first), "loaded", notice=("lat_lon_swapped", None,
                                                                                          None)),
    Case("gbfs_station_nan", POSITION, GBFS, _stations(lambda st: st[0].update(lat=float("nan"))), "loaded",
         reject=("station_information.json", None, "coordinates_out_of_range"), options={"max_reject_ratio": 0.5}),
    Case("datex_zero_coordinates", POSITION, DATEX, datex_points(lambda la, lo: ("0", "0")), "loaded",
         notice=("point_near_origin", "ndic_datex2_situace.xml", None)),
    Case("datex_swapped_coordinates", POSITION, DATEX, datex_points(lambda la, lo: (lo, la)), "loaded",
         notice=("lat_lon_swapped", "ndic_datex2_situace.xml", None)),
    Case("register_nan_position", POSITION, REGISTER, _register_row("NaN", "NaN"), "loaded"),
    Case("register_zero_position", POSITION, REGISTER, _register_row("0", "0"), "loaded"),
    # --- encodings ---------------------------------------------------------------------------------------
    Case("gtfs_stops_utf16", ENCODING, GTFS, gtfs_edit("stops.txt", utf16), "loaded",
         notice=("encoding_recognised", "stops.txt", None)),
    Case("gtfs_stops_cp1250_in_utf8_feed", ENCODING, GTFS, gtfs_edit("stops.txt", not_utf8_in_cp1250), "loaded",
         notice=("encoding_recognised", "stops.txt", None)),
    Case("gtfs_stops_undecodable_byte", ENCODING, GTFS, gtfs_edit("stops.txt", cp1250_with_undefined), "loaded",
         reject=("stops.txt", 3, "invalid_character"), options={"max_reject_ratio": 0.5}),
    Case("gtfs_stops_nul_byte", ENCODING, GTFS, gtfs_edit("stops.txt", lambda t: t.replace("\n", "\x00\n", 2)
                                                           .replace("\x00\n", "\n", 1)), "loaded",
         reject=("stops.txt", 2, "invalid_character"), options={"max_reject_ratio": 0.5}),
    Case("census_nul_byte", ENCODING, CENSUS, file_copy(
        CENSUS, lambda d, _x: d.replace(b"\n", b"\x00\n", 3).replace(b"\x00\n", b"\n", 2)), "loaded",
         reject=("csd_2020_ustecky.csv", 3, "invalid_character"), options={"max_reject_ratio": 0.5}),
    Case("gtfs_stops_replacement_char", ENCODING, GTFS, gtfs_edit("stops.txt", with_replacement_char), "loaded",
         notice=("replacement_character", "stops.txt", 4)),
    Case("census_utf16", ENCODING, CENSUS, file_copy(CENSUS, lambda d, _x: d.decode("cp1250").encode("utf-16")),
         "loaded"),
    Case("census_undefined_cp1250_byte", ENCODING, CENSUS, file_copy(
        CENSUS, lambda d, _x: d.replace(b"\n", b"\x81\n", 3).replace(b"\x81\n", b"\n", 2)), "loaded",
         reject=("csd_2020_ustecky.csv", 3, "invalid_character"), options={"max_reject_ratio": 0.5}),
    Case("jdf_utf16", ENCODING, JDF, jdf_batch_edit("Zastavky.txt", lambda b: b.decode("cp1250").encode("utf-16")),
         "rejected", r"UTF-16"),
    Case("parking_utf16", ENCODING, PARKING, file_copy(PARKING, lambda d, _x: d.decode("utf-8").encode("utf-16")),
         "loaded"),
    Case("register_utf16", ENCODING, REGISTER, file_copy(REGISTER, lambda d, _x: d.decode("utf-8").encode("utf-16")),
         "loaded"),
    Case("register_cp1250_declared_utf8", ENCODING, REGISTER, file_copy(
        REGISTER, lambda d, _x: d.decode("utf-8").encode("cp1250")), "loaded"),
    # --- domain sanity -------------------------------------------------------------------------------------
    # (one batch instead of the demo's three: the operator allows the shrink, the case is about the key)
    Case("jdf_repeated_stop_number", DOMAIN, JDF, jdf_batch_edit("Zastavky.txt", _jdf_dup_stop), "loaded",
         reject=("Zastavky.txt", 3, "duplicate_key"), options={"max_reject_ratio": 0.5, "max_shrink": 1.0}),
    Case("gbfs_station_id_object", DOMAIN, GBFS, _stations(lambda st: st[0].update(station_id={"a": 1})), "loaded",
         reject=("station_information.json", None, "missing_required_field"), options={"max_reject_ratio": 0.5}),
    Case("gbfs_duplicate_station", DOMAIN, GBFS, _stations(lambda st: st.append(dict(st[0]))), "loaded",
         reject=("station_information.json", None, "duplicate_key"), options={"max_reject_ratio": 0.5}),
    Case("gbfs_negative_capacity", DOMAIN, GBFS, _stations(lambda st: st[0].update(capacity=-3)), "loaded",
         reject=("station_information.json", None, "invalid_count"), options={"max_reject_ratio": 0.5}),
    Case("gbfs_negative_bikes", DOMAIN, GBFS, gbfs_station(lambda st: st[0].update(num_bikes_available=-7),
                                                            "station_status"), "loaded",
         notice=("invalid_count", None, None)),
    Case("census_nan_count", DOMAIN, CENSUS, census_row("SV", "NaN"), "loaded",
         reject=("csd_2020_ustecky.csv", 3, "invalid_value")),
    Case("census_inf_count", DOMAIN, CENSUS, census_row("SV", "inf"), "loaded",
         reject=("csd_2020_ustecky.csv", 3, "invalid_value")),
    Case("census_huge_count", DOMAIN, CENSUS, census_row("SV", "1e30"), "loaded",
         reject=("csd_2020_ustecky.csv", 3, "invalid_value")),
    Case("gtfs_time_past_48h", DOMAIN, GTFS, gtfs_edit("stop_times.txt", lambda t: set_field(
        set_field(t, 3, "arrival_time", "49:10:00"), 3, "departure_time", "49:10:00")), "loaded",
         notice=("time_at_or_past_48h", "stop_times.txt", 3)),
    Case("gtfs_duplicate_stop_id", DOMAIN, GTFS, gtfs_edit("stops.txt", lambda t: t.rstrip("\n") + "\n"
                                                           + t.split("\n")[2] + "\n"), "loaded",
         reject=("stops.txt", None, "duplicate_key")),
    Case("czptt_bitmap_letters", DOMAIN, CZPTT, czptt_first_message(_czptt_letters), "rejected",
         r"no readable CZPTT message", reject=("message.xml", None, "invalid_czptt")),
    Case("network_self_intersecting_link", DOMAIN, NETWORK, road_network_with(
        "LINESTRING(-760000 -980000, -759000 -979000, -759000 -980000, -760000 -979000)"), "loaded",
         reject=("rsd_silnicni_sit_ustecky.zip", 1, "self_intersecting_link")),
    Case("network_zero_length_link", DOMAIN, NETWORK, road_network_with(
        "LINESTRING(-760000 -980000, -760000 -980000)"), "loaded", reject=("rsd_silnicni_sit_ustecky.zip", 1, "invalid_geometry")),
    Case("parking_negative_capacity", DOMAIN, PARKING, parking_row("KAPACITA", "-5"), "loaded",
         reject=("parkoviste-usti.csv", 3, "invalid_value")),
    Case("parking_nan_capacity", DOMAIN, PARKING, parking_row("KAPACITA", "NaN"), "loaded",
         reject=("parkoviste-usti.csv", 3, "invalid_value")),
    Case("parking_capacity_1e308", DOMAIN, PARKING, parking_row("KAPACITA", "1e308"), "loaded",
         reject=("parkoviste-usti.csv", 3, "invalid_value")),
    Case("gbfs_capacity_1e30", DOMAIN, GBFS, _stations(lambda st: st[0].update(capacity=1e30)), "loaded",
         reject=("station_information.json", None, "invalid_count"), options={"max_reject_ratio": 0.5}),
    # --- one line, whatever fails --------------------------------------------------------------------------
    Case("closures_geometry_is_a_string", FAILURE, CLOSURES, _geojson_string_geometry, "loaded"),
    Case("parking_geojson_geometry_is_a_string", FAILURE, PARKING, _parking_geojson_string_geometry, "loaded",
         reject=("p.geojson", 1, "invalid_geometry"), options={"max_reject_ratio": 0.6}),
    Case("gtfs_rt_garbage_message", FAILURE, RT, folder_copy(RT, _rt_garbage), "loaded"),
    Case("sr70_not_csv", FAILURE, SR70, file_copy(SR70, lambda d, _x: bytes(range(256)) * 10), "rejected", r".+",
         cli=True),
    Case("stop_register_empty", FAILURE, REGISTER, file_copy(REGISTER, lambda d, _x: b""), "rejected", r".+"),
]
CASES += FLEET_CASES + RAIL_CASES
CASES += __import__("tests.hostile.cases_jdf", fromlist=["JDF_CASES"]).JDF_CASES  # fix-jdf
CASES += __import__("tests.hostile.cases_gdal", fromlist=["GDAL_CASES"]).GDAL_CASES
CASES += __import__("tests.hostile.cases_gtfs", fromlist=["GTFS_CASES"]).GTFS_CASES
CASES += __import__("tests.hostile.cases_muni", fromlist=["MUNI_CASES"]).MUNI_CASES
CASES += __import__("tests.hostile.cases_road", fromlist=["ROAD_CASES"]).ROAD_CASES  # road fuzzing campaign
CASES += __import__("tests.hostile.cases_volume", fromlist=["VOLUME_CASES"]).VOLUME_CASES  # evidence volume
