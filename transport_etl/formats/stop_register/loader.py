"""Format ``stop-register``: the regional stop register (CSV or XLSX, S-JTSK or WGS84) →
staging.stop_register → unified.stop_place (per CRZ number) and stop_point (per pole).

It is the position source of JDF stops (transport_etl.formats.jdf.positions), so its
stop places carry ``register_id`` = CRZ number. Source options: none besides the catalog's
``encoding`` (default: UTF-8, falling back to CP1250) and ``crs`` (default: by the columns).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from transport_etl.errors import InputRejected
from transport_etl.formats.stop_register.reader import BadRow, read_register
from transport_etl.formats.stop_register.vector import is_vector_input, read_vector_register
from transport_etl.ingest.context import LoadContext

HERE = Path(__file__).resolve().parent
_NOTE_SEVERITY = {"missing_position": "WARNING", "point_near_origin": "WARNING", "out_of_bounds": "WARNING",
                  "sjtsk_sign_corrected": "INFO", "sjtsk_axes_swapped": "INFO"}


def _input_file(path: Path) -> Path:
    if path.is_file():
        return path
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", ".xlsx", ".txt"))
    if len(files) != 1:
        raise InputRejected(f"{path.name}: expected one register file (.csv/.xlsx), found {len(files)}",
                            code="missing_input")
    return files[0]


def load(ctx: LoadContext) -> None:
    """Read the register rows into staging.stop_register (quarantining unreadable rows)."""
    if is_vector_input(Path(ctx.path), ctx.options):
        # A GIS layer (or mapped CSV/XLSX) read through GDAL; the runner fingerprints the input as a whole.
        name, items = read_vector_register(
            Path(ctx.path), ctx.options, ctx.source.encoding, ctx.source.crs,
            lambda code, msg: ctx.notice(code, "WARNING", msg, file_name=Path(ctx.path).name))
        stats = ctx.file(name)
    else:
        path = _input_file(Path(ctx.path))
        name = path.name
        stats = ctx.file(name)
        data = path.read_bytes()
        stats.sha256, stats.size_bytes = hashlib.sha256(data).hexdigest(), len(data)
        # Read whole before the COPY: the shared line check quarantines through ctx as it reads, and nothing may
        # be written on the connection while a COPY is open.
        items = list(read_register(path, ctx.source.encoding, ctx.source.crs, ctx))
    seen: set[tuple[str, str | None]] = set()
    # Rejects and notices are reported after the COPY: their buffers may flush through the same connection.
    rejects: list[tuple] = []
    notices: list[tuple] = []

    def rows():
        for item in items:
            stats.rows_in += 1
            if isinstance(item, BadRow):
                rejects.append((name, item.line_no, item.code, item.message, item.raw))
                continue
            key = (item.crz, item.post)
            if key in seen:
                rejects.append((name, item.line_no, "duplicate_key",
                                f"line {item.line_no}: CRZ {item.crz} označník {item.post or '-'} listed twice",
                                item.raw))
                continue
            seen.add(key)
            if item.note:
                notices.append((item.note, _NOTE_SEVERITY.get(item.note, "WARNING"),
                                f"stop {item.crz} {item.name!r}: {item.note.replace('_', ' ')}", name, item.line_no,
                                item.crz))
            geom = f"SRID=5514;POINT({item.x} {item.y})" if item.x is not None else None
            yield (ctx.feed_version_id, name, item.line_no, item.crz, item.post, item.name, item.municipality,
                   item.district, item.source_crs, geom, item.note)

    n = ctx.copy_rows("staging.stop_register",
                  ["feed_version_id", "source_file", "line_no", "crz", "post_code", "name", "municipality",
                   "district_code", "source_crs", "geom", "location_note"], rows())
    stats.rows_loaded = n
    # lines the shared line check quarantined (already booked under this file) were never rows the reader saw
    stats.rows_in = max(stats.rows_in, n + len(rejects) + stats.rows_rejected)
    for r in rejects:
        ctx.reject(*r)
    for code, severity, message, file_name, line_no, key in notices:
        ctx.notice(code, severity, message, file_name=file_name, line_no=line_no, entity_key=key)
    ctx.count("staging.stop_register", n)
    if n == 0:
        raise InputRejected(f"{name}: no usable stop register rows", code="empty_input")


def publish(ctx: LoadContext) -> None:
    """Stop places per CRZ number and stop points per pole, with lineage to the register lines."""
    ctx.run_sql_file(HERE / "publish.sql")
