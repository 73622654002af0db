"""Cumulative CZPTT: a monthly file applies on top of the current state instead of replacing it.

Správa železnic publishes a yearly base (``GVDyyyy.zip``) and then monthly single messages: new
path variants and cancellations of paths of the base. Each file is its own feed version; its
staging holds the messages it brings *plus* the messages still in force from the version it is
applied on (current paths and the cancellations applied to them), so the usual merge rules
(newest CZPTTCreation per PA wins; a cancellation removes days from the path it names, whichever
file brought it) give the state after the whole chain, and each version stays self-contained
(pruning older versions never breaks the current state). A base starts a new chain.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import psycopg

from transport_etl.boundaries import folder_files
from transport_etl.formats.czptt import calendar
from transport_etl.ingest.context import LoadContext
from transport_etl.ingest.update_modes import CUMULATIVE, update_mode
from transport_etl.lineage import ledger

# The yearly base: GVD2027.zip (catalog option base_pattern overrides).
DEFAULT_BASE_PATTERN = r"GVD\d{4}"

_CARRIED = ("current", "applied")
# A cancellation published before its path (status 'orphan') is carried too while any of its days is still
# ahead: its path may arrive in a later file, and must then lose those days. "Ahead" is judged by the data's own
# clock (the newest CZPTTCreation of the chain so far and of this file), so a re-load of old files carries the
# same messages as the first load did.
_ORPHAN_IN_FORCE = """status = 'orphan' AND message_kind = 'cancel'
    AND start_date + length(bitmap) - 1 >= greatest(%(now)s::timestamptz,
        (SELECT max(created_at) FROM staging.czptt_message WHERE feed_version_id = %(prev)s))::date"""
_MESSAGE_COLS = (
    "source_file, message_kind, pa_key, pa_company, pa_core, pa_variant, pa_year, tr_key, related_pa_key, "
    "created_at, bitmap, start_date, end_date, day_shift, train_number, train_name, traffic_type, commercial_type, "
    "category, route_type, mode, responsible_ru, location_count, public_count, status"
)
_LOCATION_COLS = (
    "seq, source_file, xml_path, location_type, country, primary_code, sr70, name, subsidiary_code, subsidiary_type, "
    "arrival_time, arrival_offset, departure_time, departure_offset, arrival_s, departure_s, dwell_min, "
    "responsible_ru, responsible_im, train_type, traffic_type, commercial_type, train_number, activities, "
    "is_public, params"
)


def is_base(ctx: LoadContext) -> bool:
    """Does this input start a new chain? A yearly base by name (of the fetched location), or a
    folder / zip holding one."""
    pattern = re.compile(str(ctx.options.get("base_pattern") or DEFAULT_BASE_PATTERN), re.IGNORECASE)
    location = ctx.conn.execute("SELECT location FROM lineage.feed_version WHERE id = %s",
                                (ctx.feed_version_id,)).fetchone()
    names = [Path(ctx.path).name, Path(location[0]).name if location and location[0] else ""]
    if Path(ctx.path).is_dir():
        names += [p.name for p in Path(ctx.path).rglob("*") if p.is_file()]
    return any(pattern.search(n) for n in names)


def applies_on(ctx: LoadContext) -> int | None:
    """The version this input applies on (None: snapshot mode, a base, or nothing current yet)."""
    if update_mode(ctx.source) != CUMULATIVE or is_base(ctx):
        return None
    current = ledger.current_version(ctx.conn, ctx.source.id)
    return current.id if current else None


def carry(conn: psycopg.Connection, fv: int, previous: int, first_msg_no: int,
          newest: dt.datetime | None = None) -> list[calendar.Header]:
    """Copy the messages in force in ``previous`` into version ``fv`` (numbered from ``first_msg_no``),
    keeping which version brought each; returns their merge headers in their original order. In force: the
    current paths, the cancellations applied to them, and the cancellations still waiting for their path
    whose days have not all passed by ``newest`` (the newest creation time of this file's messages)."""
    conn.execute("DROP TABLE IF EXISTS czptt_carry")
    conn.execute(
        f"""CREATE TEMP TABLE czptt_carry ON COMMIT DROP AS
           SELECT msg_no AS old_no, %(first)s + row_number() OVER (ORDER BY msg_no) - 1 AS new_no,
                  coalesce(origin_feed_version_id, feed_version_id) AS origin
             FROM staging.czptt_message WHERE feed_version_id = %(prev)s
              AND (status = ANY(%(carried)s) OR ({_ORPHAN_IN_FORCE}))""",
        {"first": first_msg_no, "prev": previous, "carried": list(_CARRIED), "now": newest},
    )
    conn.execute(
        f"""INSERT INTO staging.czptt_message (feed_version_id, msg_no, origin_feed_version_id, {_MESSAGE_COLS})
            SELECT %s, c.new_no, c.origin, {', '.join('m.' + x.strip() for x in _MESSAGE_COLS.split(','))}
              FROM staging.czptt_message m JOIN czptt_carry c ON c.old_no = m.msg_no
             WHERE m.feed_version_id = %s""",
        (fv, previous),
    )
    conn.execute(
        f"""INSERT INTO staging.czptt_location (feed_version_id, msg_no, {_LOCATION_COLS})
            SELECT %s, c.new_no, {', '.join('l.' + x.strip() for x in _LOCATION_COLS.split(','))}
              FROM staging.czptt_location l JOIN czptt_carry c ON c.old_no = l.msg_no
             WHERE l.feed_version_id = %s""",
        (fv, previous),
    )
    rows = conn.execute(
        """SELECT msg_no, message_kind, pa_key, created_at, bitmap, start_date, source_file, day_shift
             FROM staging.czptt_message WHERE feed_version_id = %s AND msg_no >= %s ORDER BY msg_no""",
        (fv, first_msg_no),
    ).fetchall()
    return [calendar.Header(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows]


def set_status(conn: psycopg.Connection, fv: int, status: dict[int, str], first_carried: int) -> None:
    """The merge's verdict on the carried messages (a newer variant or cancellation may change it)."""
    nos = [no for no in status if no >= first_carried]
    conn.execute(
        """UPDATE staging.czptt_message m SET status = u.status
             FROM unnest(%s::int[], %s::text[]) AS u(msg_no, status)
            WHERE m.feed_version_id = %s AND m.msg_no = u.msg_no""",
        (nos, [status[n] for n in nos], fv),
    )


def publication_order(folder: Path, base_pattern: str = DEFAULT_BASE_PATTERN) -> list[Path]:
    """The files of a timetable tree (``2027/GVD2027.zip``, ``2027/2027-01/PA_….xml.zip``, …) in the
    order they were published: by timetable year, the year's base first, then the monthly folders
    in date order and the files of a month by name. [] when the folder holds no yearly base: then it
    is one input (e.g. an unpacked archive of messages)."""
    base = re.compile(base_pattern, re.IGNORECASE)
    year_re = re.compile(r"(?<!\d)(\d{4})(?!\d)")

    def key(p: Path) -> tuple[int, int, str]:
        rel = p.relative_to(folder).as_posix()
        years = [int(y) for y in year_re.findall(rel)]
        return (years[0] if years else 0, 0 if base.search(p.name) else 1, rel)

    # the one folder listing: regular files only, a symlink leading out of the folder refuses the input
    files = [p for p in folder_files(folder) if not p.name.startswith(".")]
    if not any(base.search(p.name) for p in files):
        return []  # not a tree of publications: a folder of messages is one input
    return sorted(files, key=key)
