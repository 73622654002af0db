"""The GTFS staging DDL (schemas/100_gtfs_staging.sql) rendered from spec.py, so the two cannot drift.

    python -m transport_etl.formats.gtfs.ddl > schemas/100_gtfs_staging.sql

Migrations are append-only: once applied, 100_gtfs_staging.sql must not change. A change to spec.py
therefore goes into a new migration (ALTER TABLE …); tests/unit/test_gtfs_ddl.py re-renders this file
and compares it byte for byte with the committed one, and fails when the spec moved on without it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from transport_etl.formats.gtfs.spec import SPECS, FileSpec

_HERE = Path(__file__).resolve().parent
_SQL_TYPE = {"text": "text", "int": "integer", "float": "double precision", "date": "date", "time": "text",
             "enum": "smallint"}


def _seconds(col: str) -> str:
    """Generated seconds column beside a published H:MM:SS time (hours may exceed 23)."""
    c = col
    return (f"CASE WHEN {c} IS NULL THEN NULL WHEN length({c}) BETWEEN 7 AND 9 AND substr({c}, length({c}) - 2, 1) = ':'"
            f" AND substr({c}, length({c}) - 5, 1) = ':' AND substr({c}, length({c}) - 4, 1) < '6'"
            f" AND substr({c}, length({c}) - 1, 1) < '6' THEN split_part({c}, ':', 1)::integer * 3600"
            f" + substr({c}, length({c}) - 4, 2)::integer * 60 + right({c}, 2)::integer"
            f" ELSE staging.gtfs_bad_time({c}) END")


def render_table(spec: FileSpec) -> str:
    t = spec.table
    cols = ["    feed_version_id bigint NOT NULL", "    line_no integer NOT NULL"]
    for name, kind in spec.columns:
        cols.append(f"    {name} {_SQL_TYPE[kind]}")
        if kind == "time":
            cols.append(f"    {name}_s integer GENERATED ALWAYS AS ({_seconds(name)}) STORED")
    cols.append("    extra jsonb")
    out = [f"CREATE TABLE IF NOT EXISTS {t} (", ",\n".join(cols), ");",
           # the two big files are appended in feed-version order: a BRIN index is enough and cheap to keep
           f"CREATE INDEX IF NOT EXISTS gtfs_{spec.name}_fv ON {t} USING {_index_kind(spec)} (feed_version_id);",
           f"COMMENT ON TABLE {t} IS '{_q(spec.doc[:-1] if spec.doc.endswith('.') else spec.doc)}. One row per record "
           "as published; rows that failed validation are in lineage.rejected_record instead.';",
           f"COMMENT ON COLUMN {t}.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';",
           f"COMMENT ON COLUMN {t}.line_no IS 'Physical line of the record in {spec.file_name} (header = line 1).';"]
    for name, kind in spec.columns:
        if kind == "time":
            out.append(f"COMMENT ON COLUMN {t}.{name}_s IS 'GTFS {spec.file_name} {name} in seconds after noon minus "
                       f"12 h of the service day (may exceed 86400); computed from {name}.';")
            out.append(f"COMMENT ON COLUMN {t}.{name} IS 'GTFS {spec.file_name} {name} as published (H:MM:SS, hours "
                       "may exceed 23).';")
        elif kind == "date":
            out.append(f"COMMENT ON COLUMN {t}.{name} IS 'GTFS {spec.file_name} {name} (YYYYMMDD parsed).';")
        else:
            out.append(f"COMMENT ON COLUMN {t}.{name} IS 'GTFS {spec.file_name} {name}, as published.';")
    out.append(f"COMMENT ON COLUMN {t}.extra IS 'Columns of the file that GTFS does not define, kept as published: "
               "{column: value}.';")
    return "\n".join(out) + "\n"


def _index_kind(spec: FileSpec) -> str:
    return "brin" if spec.name in ("stop_times", "shapes") else "btree"


def _q(text: str) -> str:
    return text.replace("'", "''")


def render() -> str:
    """The whole migration: the hand-written prelude and epilogue around one block per GTFS file."""
    prelude = (_HERE / "ddl_prelude.sql").read_text(encoding="utf-8")
    epilogue = (_HERE / "ddl_epilogue.sql").read_text(encoding="utf-8")
    return prelude + "\n".join(render_table(s) for s in SPECS) + "\n" + epilogue


if __name__ == "__main__":
    sys.stdout.write(render())
