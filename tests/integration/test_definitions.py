"""The code location the webserver and daemon load from workspace.yaml."""

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

ROOT = Path(__file__).resolve().parents[2]


def test_dagster_definitions_validate_passes():
    dagster = Path(sys.executable).parent / "dagster"
    proc = subprocess.run([str(dagster), "definitions", "validate", "-w", "workspace.yaml"], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "DAGSTER_HOME": ""}, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "All code locations passed validation" in proc.stderr + proc.stdout


def test_every_catalog_source_has_an_asset_in_its_family_group():
    from assets.definitions import defs
    from transport_etl.catalog import load_catalog

    groups = {}
    for a in defs.assets:
        groups.update({k.to_user_string(): g for k, g in a.group_names_by_key.items()})
    for s in load_catalog(ROOT / "sources.yaml"):
        key = dg.AssetKey([s.family, s.id.replace("-", "_")]).to_user_string()
        assert groups.get(key) == s.family
