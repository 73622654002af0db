"""Expected extent of a source (catalog option ``expected_extent``: [west, south, east, north] in WGS84
degrees; default Czechia with a margin; ``null`` = no check). Positions a version published outside it
are kept, marked ``outside_expected_extent`` in their location_note (so gis shows them) and listed as
notices naming the file and line they came from."""

from __future__ import annotations

from collections.abc import Sequence

from psycopg import sql

from transport_etl import positions
from transport_etl.errors import ConfigError
from transport_etl.ingest.context import LoadContext

# Unified tables with point positions and a location_note.
POSITIONED = ("stop_place", "stop_point", "bike_station", "parking_facility")
NOTE = "outside_expected_extent"
MAX_NOTICES = 1000


def expected_extent(options) -> tuple[float, float, float, float] | None:
    """The extent of the one position rule (transport_etl/positions.py: the option, default Czechia, with
    its margin), after checking the option; None when the catalog turns the check off."""
    if "expected_extent" not in options:
        return positions.extent(options)
    box = options["expected_extent"]
    if box is None:
        return None
    if not isinstance(box, Sequence) or len(box) != 4:
        raise ConfigError("options.expected_extent must be [west, south, east, north] in degrees, or null")
    w, s, e, n = (float(v) for v in box)
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        raise ConfigError(f"options.expected_extent {list(box)} is not [west, south, east, north] in degrees")
    return positions.extent(options)


def flag_outside_extent(ctx: LoadContext) -> None:
    """Mark and list this version's positions outside the source's expected extent (in the positioned tables
    the version has rows in, as counted in ``ctx.tables``)."""
    box = expected_extent(ctx.options)
    if box is None:
        return
    total = 0
    for table in (t for t in POSITIONED if ctx.tables.get(f"unified.{t}")):
        params = {"note": NOTE, "fv": ctx.feed_version_id, "src": ctx.source.id, "w": box[0], "s": box[1],
                  "e": box[2], "n": box[3]}
        outside = sql.SQL("""{mine} AND u.source_id = %(src)s AND u.geom IS NOT NULL
            AND NOT ST_Within(ST_Transform(u.geom, 4326), ST_MakeEnvelope(%(w)s, %(s)s, %(e)s, %(n)s, 4326))""").format(
            mine=ctx.version_rows(table))
        # Rows kept from the previous version already carry the note; every version lists them again. The rows
        # outside are marked and found in one statement; only when there are some is their provenance looked up
        # (lineage.row_source spans every unified table: planning it costs ~10 ms per call).
        ids = [r[0] for r in ctx.conn.execute(sql.SQL(
            """WITH noted AS (
                   UPDATE unified.{t} u
                   SET location_note = CASE WHEN u.location_note IS NULL THEN %(note)s
                                            ELSE u.location_note || '; ' || %(note)s END
                   WHERE {outside} AND coalesce(u.location_note, '') NOT LIKE '%%' || %(note)s || '%%')
               SELECT u.id FROM unified.{t} u WHERE {outside}""").format(
            t=sql.Identifier(table), outside=outside), params).fetchall()]
        if not ids:
            continue
        rows = ctx.conn.execute(sql.SQL(
            """SELECT u.local_id, round(ST_Y(ST_Transform(u.geom, 4326))::numeric, 5),
                      round(ST_X(ST_Transform(u.geom, 4326))::numeric, 5), es.source_file, es.source_line
               FROM unified.{t} u
               LEFT JOIN LATERAL (SELECT source_file, source_line FROM lineage.row_source es
                                  WHERE es.unified_table = {name} AND es.unified_id = u.id
                                  ORDER BY es.recorded_at DESC, es.source_line LIMIT 1) es ON true
               WHERE u.id = ANY(%(ids)s)
               ORDER BY es.source_file, es.source_line, u.local_id""").format(
            t=sql.Identifier(table), name=sql.Literal(f"unified.{table}")), {"ids": ids}).fetchall()
        for local_id, lat, lon, file_name, line_no in rows[:MAX_NOTICES]:
            ctx.notice(NOTE, "WARNING", f"{table.replace('_', ' ')} {local_id} at {lat}, {lon} lies outside the "
                       f"expected extent {list(box)}", file_name=file_name, line_no=line_no, entity_key=local_id)
        total += len(rows)
    if total > MAX_NOTICES:
        ctx.notice(NOTE, "WARNING", f"{total} positions outside the expected extent in all (first {MAX_NOTICES} "
                   "listed)")
