"""The real SR70 register (../shared/data/rail/sr70-2026-08-15.csv) loads completely and lands in
Ústecký kraj where it should; counts come from ../shared/data/MANIFEST.md, not from our loader."""

from __future__ import annotations

import pytest

from tests.conftest import shared_file
from transport_etl.ingest.run import ingest

pytestmark = [pytest.mark.integration, pytest.mark.conformance]


def test_real_sr70_loads_every_row_and_places_ustecky_kraj(db_url, conn, make_source):
    path = shared_file("rail/sr70-2026-08-15.csv")
    result = ingest(make_source("sr70", id="sz-sr70", family="rail"), path, database_url=db_url, run_kind="test",
                    log=lambda _m: None)
    assert result.outcome == "loaded", result.reason
    assert result.rows_in == 4367
    assert result.rows_rejected == 0
    fv = result.feed_version_id
    assert conn.execute("SELECT count(*) FROM staging.sr70 WHERE feed_version_id = %s", (fv,)).fetchone()[0] == 4367

    region = conn.execute(
        """SELECT sr70, name, ST_X(geom), ST_Y(geom), location_note FROM staging.sr70
           WHERE feed_version_id = %s AND vusc_code = '0420'""", (fv,)).fetchall()
    assert len(region) == 522
    placed = [r for r in region if r[2] is not None]
    unplaced = [r for r in region if r[2] is None]
    assert len(placed) == 520
    assert all(-836_000 <= x <= -714_000 and -1_032_000 <= y <= -941_000 for _c, _n, x, y, _note in placed)
    assert sorted(n for _c, n, *_ in unplaced) == ["Hoštka město", "Velké Žernoseky zastávka"]
    assert all(note == "no_coordinates_in_source" for *_, note in unplaced)

    # The same two in unified: passenger halts without geometry, not at the origin.
    rows = conn.execute(
        """SELECT name, geom IS NULL, location_note FROM unified.stop_place
           WHERE feed_version_id = %s AND name IN ('Hoštka město', 'Velké Žernoseky zastávka')""", (fv,)).fetchall()
    assert sorted(rows) == [("Hoštka město", True, "no_coordinates_in_source"),
                            ("Velké Žernoseky zastávka", True, "no_coordinates_in_source")]
    assert conn.execute(
        "SELECT count(*) FROM unified.stop_place WHERE feed_version_id = %s AND ST_X(geom) = 0 AND ST_Y(geom) = 0",
        (fv,)).fetchone()[0] == 0

    # CP1250 decoded: names with Czech letters come back intact.
    name = conn.execute(
        "SELECT name, ST_X(geom), ST_Y(geom) FROM unified.stop_place WHERE feed_version_id = %s AND local_id = '531798'",
        (fv,)).fetchone()
    assert name[0] == "Ústí nad Labem hlavní nádraží"
    assert -761_000 < name[1] < -760_000 and -977_000 < name[2] < -976_000
    assert conn.execute(
        "SELECT count(*) FROM staging.sr70 WHERE feed_version_id = %s AND name ~ '[ÄĹŕ]'", (fv,)).fetchone()[0] == 0
    # Every stop place has lineage to its CSV line.
    assert conn.execute(
        """SELECT count(*) FROM unified.stop_place sp WHERE sp.feed_version_id = %s AND NOT EXISTS (
               SELECT 1 FROM lineage.entity_source es WHERE es.unified_table = 'unified.stop_place'
                 AND es.unified_id = sp.id AND es.source_line IS NOT NULL)""", (fv,)).fetchone()[0] == 0
