"""Road loads look rows up by key, not by scanning a version: the staged event key is indexed, and new link ids
are given in input order (so which of two equidistant links an event point takes does not depend on a plan)."""

from __future__ import annotations

from shapely.geometry import LineString

from tests.integration.test_road_network import X0, Y0, load_network, write_layer


def test_staged_road_events_are_indexed_by_version_and_record(conn):
    # The relocation after a new network version and the unlocated-event notices join the current events to
    # their staged record on (feed_version_id, local_id).
    defs = [r[0] for r in conn.execute(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = 'staging' AND tablename = 'road_event'")]
    assert any("(feed_version_id, local_id)" in d for d in defs), defs


def test_new_link_ids_follow_the_input_order(tmp_path, db_url, conn, make_source):
    # 20 roads of 20 sections, written road by road with section ids counting down: ids in file order.
    feats = []
    for r in range(20):
        for k in range(20):
            x, y = X0 + k * 300, Y0 + r * 500
            feats.append({"ROAD_ID": str(100_000 - (r * 20 + k)), "RN": f"II/{200 + r}", "DF": "1", "FW": "3",
                          "NAZEV": f"{r}/{k}", "geometry": LineString([(x, y), (x + 150, y + 3), (x + 300, y)])})
    path = write_layer(tmp_path / "net.gpkg", feats)
    assert load_network(make_source, db_url, path).outcome == "loaded"
    by_id = [r[0] for r in conn.execute(
        "SELECT local_id FROM unified.transport_link WHERE source_id = 'road-net' ORDER BY id")]
    assert by_id == [f["ROAD_ID"] for f in feats]
