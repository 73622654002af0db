from pathlib import Path

import pytest

from transport_etl.catalog import load_catalog
from transport_etl.errors import ConfigError


def write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "sources.yaml"
    p.write_text(body, encoding="utf-8")
    return p


def test_relative_locations_resolve_from_the_catalog_folder(tmp_path):
    cat = write(tmp_path, "sources:\n  - {id: a, family: municipal, format: gtfs, location: feeds/a.zip}\n"
                          "  - {id: b, family: road, format: datex2, location: 'https://example.invalid/d2.xml'}\n")
    a, b = load_catalog(cat)
    assert a.location == str((tmp_path / "feeds" / "a.zip").resolve())
    assert b.location == "https://example.invalid/d2.xml" and b.is_url()
    assert a.namespace == "cz.ustecky.a"


@pytest.mark.parametrize(
    "entry, message",
    [
        ("{id: a, family: municipal, format: nope}", "unknown format 'nope'"),
        ("{id: a, family: sea, format: gtfs}", "family 'sea'"),
        ("{family: municipal, format: gtfs}", "missing id"),
        ("{id: a, family: municipal, format: gtfs, colour: red}", "unknown keys colour"),
    ],
)
def test_bad_entries_say_what_is_wrong(tmp_path, entry, message):
    with pytest.raises(ConfigError, match=message):
        load_catalog(write(tmp_path, f"sources:\n  - {entry}\n"))


def test_duplicate_ids_are_refused(tmp_path):
    cat = write(tmp_path, "sources:\n  - {id: a, family: municipal, format: gtfs}\n"
                          "  - {id: a, family: municipal, format: gtfs}\n")
    with pytest.raises(ConfigError, match="duplicate source id 'a'"):
        load_catalog(cat)


def test_the_production_catalog_is_valid():
    sources = load_catalog(Path(__file__).resolve().parents[2] / "sources.yaml")
    assert sources and len({s.id for s in sources}) == len(sources)
    # it lists the publishers' sources, not the demo's generated files (demo_data/sources.yaml has those)
    assert not any("demo_data" in (s.location or "") for s in sources)


def test_harmonise_settings_come_from_the_catalog(tmp_path):
    from transport_etl.catalog import harmonise_settings
    from transport_etl.harmonise.scoring import MatchConfig

    cat = write(tmp_path, "harmonise: {walking_distance_m: 250}\nsources: []\n")
    settings = harmonise_settings(cat)
    assert settings == {"walking_distance_m": 250}
    assert MatchConfig.from_mapping(settings).walking_distance_m == 250
    with pytest.raises(ValueError):
        MatchConfig.from_mapping({"walking_distanse_m": 250})
