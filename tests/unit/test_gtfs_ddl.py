"""schemas/100_gtfs_staging.sql is generated from the GTFS spec: re-rendering it gives the same bytes."""

from pathlib import Path

from transport_etl.formats.gtfs import ddl
from transport_etl.formats.gtfs.spec import SPECS

ROOT = Path(__file__).resolve().parents[2]


def test_committed_staging_ddl_is_the_rendered_spec():
    committed = (ROOT / "schemas" / "100_gtfs_staging.sql").read_text(encoding="utf-8")
    assert ddl.render() == committed, (
        "spec.py and schemas/100_gtfs_staging.sql differ: an applied migration cannot change, so add the change "
        "as a new migration and keep the generator's output equal to the committed file")


def test_every_spec_column_is_rendered_with_its_type():
    for spec in SPECS:
        block = ddl.render_table(spec)
        for name, kind in spec.columns:
            assert f"    {name} {ddl._SQL_TYPE[kind]}" in block
            assert (f"{name}_s integer GENERATED ALWAYS" in block) == (kind == "time")
