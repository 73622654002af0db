"""The web map's JSON API (/map/api): provenance of a clicked feature (source, feed version, file, line:
gis.row_lineage) and what a road event does to public transport on a date as known at a moment
(gis.affected_services_asof).
Read through the app's pool, i.e. as the GIS role."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request

router = APIRouter(tags=["Web map"])

LINEAGE_COLUMNS = ", ".join(f"l.{c}" for c in (
    "source_id", "source_format", "source_owner", "feed_version_id", "feed_label", "feed_version_is_current",
    "source_file", "source_line", "source_key", "match_method", "loaded_at"))
# Map layers whose rows are derived from other rows: their provenance is that of the rows behind them.
# (A canonical stop: its members' stop places; a journey pattern: its lines.) $1 = row id, $2 = limit.
DERIVED = {
    "canonical_stop_place": f"""SELECT {LINEAGE_COLUMNS} FROM unified.canonical_stop_member m
        CROSS JOIN LATERAL gis.row_lineage('stop_place', m.stop_place_id) l
        WHERE m.canonical_stop_place_id = $1 AND m.recorded_to IS NULL ORDER BY l.source_id, l.source_line LIMIT $2""",
    "service_pattern": f"""SELECT {LINEAGE_COLUMNS} FROM unified.service_pattern p
        CROSS JOIN LATERAL unnest(p.line_ids) AS line(id)
        CROSS JOIN LATERAL gis.row_lineage('line', line.id) l
        WHERE p.id = $1 ORDER BY l.source_id, l.source_line LIMIT $2""",
}
# the as-of functions of the map answer with the rows of these layers (schemas/820_gis_map_asof.sql)
MAP_LAYERS = {"map_stop_asof": "canonical_stop_place", "map_line_asof": "service_pattern",
              "map_link_asof": "transport_link", "map_road_event_asof": "road_event"}


def _rows(records) -> list[dict[str, Any]]:
    return [dict(r) for r in records]


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise HTTPException(status_code=400, detail=f"valid_on: not a date (YYYY-MM-DD): {value!r}") from None


def _moment(value: str | None) -> dt.datetime | None:
    """The map's "As known at": an ISO instant (a zone or Z; a naive one is read as UTC), or now."""
    if not value or value == "now":
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise HTTPException(status_code=400, detail=f"known_at: not an ISO date-time: {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


async def lineage_rows(pool, layer: str, row_id: int, limit: int = 12) -> list[dict[str, Any]]:
    """Provenance rows of one feature of a gis layer or map function (name with or without gis.)."""
    layer = layer.removeprefix("gis.")
    layer = MAP_LAYERS.get(layer, layer)
    sql = DERIVED.get(layer) or f"SELECT {LINEAGE_COLUMNS} FROM gis.row_lineage($3, $1) l LIMIT $2"
    args = (row_id, limit) if layer in DERIVED else (row_id, limit, layer)
    async with pool.acquire() as conn:
        return _rows(await conn.fetch(sql, *args))


@router.get("/lineage/{layer}/{row_id}", summary="Provenance of one feature: source, feed version, file, line")
async def lineage(request: Request, layer: str, row_id: int, limit: int = 12) -> dict[str, Any]:
    rows = await lineage_rows(request.app.state.pool, layer, row_id, min(max(limit, 1), 100))
    return {"layer": layer, "id": row_id, "lineage": rows}


async def affected_lines(pool, event_id: int, valid_on: dt.date | None,
                         known_at: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Per line: the journeys road event ``event_id`` affects on ``valid_on`` (default: the database's
    today) as known at ``known_at`` (default: now), and their stops on the closed section."""
    sql = """SELECT line_code, line_name, line_source_id, count(DISTINCT journey_id) AS journeys,
                    array_agg(DISTINCT journey_code ORDER BY journey_code) AS journey_codes,
                    array_remove(array_agg(DISTINCT a.affected_stop ORDER BY a.affected_stop), NULL)
                        AS affected_stops
             FROM (SELECT line_code, line_name, line_source_id, journey_id, journey_code,
                          unnest(CASE WHEN cardinality(affected_stops) > 0 THEN affected_stops
                                      ELSE ARRAY[NULL::text] END) AS affected_stop
                   FROM gis.affected_services_asof($1, coalesce($2::date, current_date),
                                                   coalesce($3::timestamptz, now()))) a
             GROUP BY line_code, line_name, line_source_id ORDER BY line_code"""
    async with pool.acquire() as conn:
        return _rows(await conn.fetch(sql, event_id, valid_on, known_at))


@router.get("/road_event/{event_id}",
            summary="A road event, the services it affects on a date as known at a moment, its provenance")
async def road_event(request: Request, event_id: int, valid_on: str | None = None,
                     known_at: str | None = None) -> dict[str, Any]:
    day, moment = _date(valid_on), _moment(known_at)
    pool = request.app.state.pool
    async with pool.acquire() as conn:
        event = await conn.fetchrow(
            """SELECT e.id, e.event_type, e.status, e.starts_at, e.ends_at, e.road_number, e.impact, e.comment,
                      e.source_id, e.feed_version_id, e.local_id, coalesce($2::date, current_date) AS valid_on,
                      coalesce($3::timestamptz, now()) AS known_at
               FROM unified.road_event e WHERE e.id = $1""", event_id, day, moment)
    if event is None:
        raise HTTPException(status_code=404, detail=f"no road event {event_id}")
    return {"event": dict(event), "affected_lines": await affected_lines(pool, event_id, day, moment),
            "lineage": await lineage_rows(pool, "road_event", event_id)}
