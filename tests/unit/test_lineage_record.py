"""Reading a source record back from the input as published, through nested archives and formats."""

import gzip
import io
import json
import zipfile

from transport_etl.fetch import fingerprint
from transport_etl.lineage.record import source_record


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_a_line_inside_a_zip_inside_a_zip_in_cp1250(tmp_path):
    inner = _zip({"Zastavky.txt": '"1","Ústí n.L.";\r\n"2","Děčín";\r\n'.encode("cp1250")})
    outer = tmp_path / "JDF.zip"
    outer.write_bytes(_zip({"540210_1.zip": inner}))
    assert source_record(str(outer), "540210_1.zip/Zastavky.txt", 2, "cp1250") == '"2","Děčín";'


def test_a_gzip_message_named_zip_in_a_month_folder(tmp_path):
    (tmp_path / "2027-01").mkdir()
    (tmp_path / "2027-01" / "PA_1.xml.zip").write_bytes(gzip.compress(b"<CZPTTCISMessage><Id>PA 1</Id></CZPTTCISMessage>"))
    got = source_record(str(tmp_path), "2027-01/PA_1.xml.zip", None, None)
    assert got and got.startswith("<CZPTTCISMessage>")


def test_a_geojson_feature_by_its_number_and_a_gbfs_station_by_its_id(tmp_path):
    fc = tmp_path / "closures.geojson"
    fc.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": 1}}, {"type": "Feature", "properties": {"id": 2}}]}, indent=2))
    assert '"id": 2' in source_record(str(fc), "closures.geojson", 2, None)
    (tmp_path / "gbfs.json").write_text("{}")
    (tmp_path / "station_information.json").write_text(json.dumps(
        {"data": {"stations": [{"station_id": "a"}, {"station_id": "b", "name": "Most"}]}}))
    assert "Most" in source_record(str(tmp_path / "gbfs.json"), "station_information.json", None, None, key="b")


def test_nothing_is_read_when_the_input_changed_since_the_load(tmp_path):
    p = tmp_path / "stops.txt"
    p.write_text("stop_id\nA\n")
    digest = fingerprint(p)[0]
    assert source_record(str(p), "stops.txt", 2, "utf-8", digest) == "A"
    p.write_text("stop_id\nB\n")
    assert source_record(str(p), "stops.txt", 2, "utf-8", digest) is None
