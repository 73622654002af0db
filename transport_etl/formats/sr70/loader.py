"""Format `sr70`: the SR70 rail location register → staging.sr70 → unified.stop_place (kind rail).

Every record goes to staging; passenger points (stations and halts, see reader.PASSENGER_KINDS)
become stop places keyed by the 6-digit SR70 code, positioned in EPSG:5514 (NULL, never 0,0, when
the register has no coordinates). Options: ``passenger_kinds`` (list of Kvalifikátor codes).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from transport_etl.db.copy import copy_rows
from transport_etl.errors import InputRejected
from transport_etl.formats.sr70 import reader
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
    seen: set[str] = set()
    for path in _inputs(Path(ctx.path)):
        name = path.name
        stats = ctx.file(name)
        stats.size_bytes = path.stat().st_size
        stats.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        bad: list[tuple[int, str, str, str]] = []  # quarantined after the COPY (no writes during it)

        def rows(path=path, name=name, stats=stats, bad=bad):
            for item in reader.read(path, ctx.source.encoding, kinds):
                stats.rows_in += 1
                if isinstance(item, tuple):
                    bad.append(item)
                    continue
                v = item.values
                if v["sr70"] in seen:
                    bad.append((item.line_no, "duplicate_key", f"SR70 code {v['sr70']} already read above",
                                ";".join(x or "" for x in v.values())))
                    continue
                seen.add(v["sr70"])
                yield (ctx.feed_version_id, item.line_no, name, item.sr70_5, item.check_ok,
                       *(v.get(c) for c in VALUE_COLUMNS), item.x, item.y, item.lat, item.lon, item.altitude,
                       json.dumps(item.extra, ensure_ascii=False), item.is_passenger, item.location_note)

        n = copy_rows(ctx.conn, "staging.sr70", STAGING_COLUMNS, rows())
        stats.rows_loaded += n
        ctx.count("staging.sr70", n)
        for line_no, code, message, raw in bad:
            ctx.reject(name, line_no, code, message, raw)
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
