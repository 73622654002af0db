"""Update modes per format with catalog overrides; CZPTT publication order of a timetable tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from transport_etl.catalog import Source
from transport_etl.errors import ConfigError
from transport_etl.formats.czptt.carry import publication_order
from transport_etl.ingest.loader_digest import code_files, loader_digest
from transport_etl.ingest.update_modes import update_mode


def test_defaults_and_overrides():
    assert update_mode(Source(id="a", family="rail", format="czptt")) == "cumulative"
    assert update_mode(Source(id="b", family="municipal", format="gtfs")) == "snapshot"
    assert update_mode(Source(id="c", family="rail", format="czptt", options={"update_mode": "snapshot"})) \
        == "snapshot"
    with pytest.raises(ConfigError, match="format gtfs has no cumulative loader"):
        update_mode(Source(id="d", family="municipal", format="gtfs", options={"update_mode": "cumulative"}))
    with pytest.raises(ConfigError, match="is not snapshot or cumulative"):
        update_mode(Source(id="e", family="rail", format="czptt", options={"update_mode": "append"}))


def _touch(root: Path, rel: str) -> None:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(b"x")


def test_publication_order_of_a_timetable_tree(tmp_path):
    for rel in ["2028/GVD2028.zip", "2027/2027-02/PA_b.xml.zip", "2027/2027-01/PA_z.xml.zip",
                "2027/GVD2027.zip", "2027/2027-01/PA_a.xml.zip", "2028/2028-01/PA_c.xml.zip"]:
        _touch(tmp_path, rel)
    order = [p.relative_to(tmp_path).as_posix() for p in publication_order(tmp_path)]
    assert order == ["2027/GVD2027.zip", "2027/2027-01/PA_a.xml.zip", "2027/2027-01/PA_z.xml.zip",
                     "2027/2027-02/PA_b.xml.zip", "2028/GVD2028.zip", "2028/2028-01/PA_c.xml.zip"]


def test_a_folder_without_a_yearly_base_is_one_input(tmp_path):
    _touch(tmp_path, "PA_a.xml")
    _touch(tmp_path, "PA_b.xml")
    assert publication_order(tmp_path) == []


def test_loader_digest_covers_the_format_package():
    root, files = code_files("czptt")
    names = {p.relative_to(root).as_posix() for p in files}
    assert {"loader.py", "publish.sql", "carry.py", "calendar.py"} <= names
    assert loader_digest("czptt") == loader_digest("czptt") != loader_digest("gtfs")
