"""Format `sr70`: the SR70 rail location register → staging.sr70 → unified.stop_place (kind rail).

Every record goes to staging; passenger points (stations and halts, see reader.PASSENGER_KINDS)
become stop places keyed by the 6-digit SR70 code, positioned in EPSG:5514 (NULL, never 0,0, when
the register has no coordinates). Options: ``passenger_kinds`` (list of Kvalifikátor codes).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from transport_etl.errors import InputRejected
from transport_etl.formats.sr70 import reader
from transport_etl.ids.sr70 import to_code6
from transport_etl.ingest.context import LoadContext

HERE = Path(__file__).resolve().parent
VALUE_COLUMNS = [c for c in reader.COLUMNS.values() if c != "altitude_raw"]
STAGING_COLUMNS = ["feed_version_id", "line_no", "source_file", "sr70_5", "check_digit_ok", *VALUE_COLUMNS,
                   "x_5514", "y_5514", "lat", "lon", "altitude_m", "extra", "is_passenger", "location_note"]


def _inputs(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".csv", ".txt"))
        if not files:
            raise InputRejected(f"no SR70 CSV file in folder {path}", code="missing_input")
        return files
    return [path]


def load(ctx: LoadContext) -> None:
    kinds = frozenset(str(k).zfill(2) for k in ctx.options.get("passenger_kinds", reader.PASSENGER_KINDS))
    seen: dict[str, str] = {}  # 5-digit base code → the 6-digit code that brought it
    for path in _inputs(Path(ctx.path)):
        name = path.name
        stats = ctx.file(name)
        stats.size_bytes = path.stat().st_size
        stats.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        # Read whole before the COPY: the shared line check quarantines through ctx as it reads, and nothing
        # may be written on the connection while a COPY is open (the register is a few MB).
        items = list(reader.read(path, ctx.source.encoding or reader.DEFAULT_ENCODING, kinds, ctx, name))
        bad: list[tuple[int, str, str, str]] = []
        wrong_check: list[reader.Sr70Row] = []

        def rows(items=items, name=name, stats=stats, bad=bad, wrong_check=wrong_check):
            for item in items:
                stats.rows_in += 1
                if isinstance(item, tuple):
                    bad.append(item)
                    continue
                v = item.values
                # The check digit is computed, never trusted: 556597 and 556598 are the same place.
                if item.sr70_5 in seen:
                    bad.append((item.line_no, "duplicate_key", f"SR70 code {v['sr70']} already read above"
                                + (f" as {seen[item.sr70_5]}" if seen[item.sr70_5] != v["sr70"] else ""),
                                ";".join(x or "" for x in v.values())))
                    continue
                seen[item.sr70_5] = v["sr70"]
                if item.check_ok is False:
                    # keyed by the computed code, which is how CZPTT and every other source names the place
                    wrong_check.append(item)
                    v = {**v, "sr70": to_code6(item.sr70_5)}
                yield (ctx.feed_version_id, item.line_no, name, item.sr70_5, item.check_ok,
                       *(v.get(c) for c in VALUE_COLUMNS), item.x, item.y, item.lat, item.lon, item.altitude,
                       json.dumps(item.extra, ensure_ascii=False), item.is_passenger, item.location_note)

        n = ctx.copy_rows("staging.sr70", STAGING_COLUMNS, rows())
        stats.rows_loaded += n
        ctx.count("staging.sr70", n)
        for line_no, code, message, raw in bad:
            ctx.reject(name, line_no, code, message, raw)
        for item in wrong_check:
            ctx.notice("invalid_check_digit", "WARNING", f"SR70 code {item.values['sr70']} "
                       f"({item.values.get('name')}) has a wrong check digit: read as {to_code6(item.sr70_5)}",
                       name, item.line_no, "Evidenční číslo", item.values["sr70"])
        # lines the shared line check quarantined were never records the reader saw
        stats.rows_in = max(stats.rows_in, stats.rows_loaded + stats.rows_rejected)
        ctx.feed_label = ctx.feed_label or path.stem
    if not seen:
        raise InputRejected("the SR70 register has no readable records", code="empty_file")
    ctx.run_sql_file(HERE / "geometry.sql")
    for sr70, name, line_no, file_name, note in ctx.conn.execute(
        """SELECT sr70, name, line_no, source_file, location_note FROM staging.sr70
           WHERE feed_version_id = %s AND is_passenger AND (geom IS NULL OR location_note IS NOT NULL)
           ORDER BY line_no""",
        (ctx.feed_version_id,),
    ).fetchall():
        if note == "from_wgs84":
            ctx.notice("position_from_wgs84", "INFO", f"{name}: no usable S-JTSK position, WGS84 columns used",
                       file_name, line_no, "X [S-JTSK (-Y)]", sr70)
        else:
            ctx.notice("missing_coordinates", "WARNING", f"{name}: {note or 'no position'}; stop place left without geometry",
                       file_name, line_no, "X [S-JTSK (-Y)]", sr70)


def publish(ctx: LoadContext) -> None:
    ctx.run_sql_file(HERE / "publish.sql")
    n = ctx.conn.execute(
        "SELECT count(*) FROM unified.stop_place WHERE feed_version_id = %s", (ctx.feed_version_id,)
    ).fetchone()[0]
    ctx.count("unified.stop_place", n)
