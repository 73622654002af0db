"""The catalog's region key: NUTS 3 code of the source, CZ042 when absent, anything else refused."""

from pathlib import Path

import pytest

from assets.source_assets import run_tags
from transport_etl.catalog import load_catalog
from transport_etl.errors import ConfigError


def write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "sources.yaml"
    p.write_text(body, encoding="utf-8")
    return p


def test_region_defaults_to_ustecky_kraj_and_can_be_set(tmp_path):
    a, b = load_catalog(write(tmp_path, "sources:\n  - {id: a, family: municipal, format: gtfs}\n"
                                        "  - {id: b, family: municipal, format: gtfs, region: CZ041}\n"))
    assert (a.region, b.region) == ("CZ042", "CZ041")


@pytest.mark.parametrize("value", ["ustecky", "CZ42", "cz042", "CZ0421"])
def test_a_region_that_is_not_a_nuts3_code_is_refused(tmp_path, value):
    with pytest.raises(ConfigError, match="not a NUTS 3 code"):
        load_catalog(write(tmp_path, f"sources:\n  - {{id: a, family: municipal, format: gtfs, region: '{value}'}}\n"))


def test_run_tags_name_family_and_region_only_when_shared(tmp_path):
    a, b, c = load_catalog(write(tmp_path, "sources:\n  - {id: a, family: municipal, format: gtfs}\n"
                                           "  - {id: b, family: rail, format: gtfs}\n"
                                           "  - {id: c, family: rail, format: gtfs, region: CZ041}\n"))
    assert run_tags([a]) == {"transport_etl/family": "municipal", "transport_etl/region": "CZ042"}
    assert run_tags([a, b]) == {"transport_etl/region": "CZ042"}
    assert run_tags([b, c]) == {"transport_etl/family": "rail"}
