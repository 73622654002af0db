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
        if isinstance(a, dg.AssetSpec):
            groups[a.key.to_user_string()] = a.group_name
        else:
            groups.update({k.to_user_string(): g for k, g in a.group_names_by_key.items()})
    for s in load_catalog(ROOT / "sources.yaml"):
        key = dg.AssetKey([s.family, s.id.replace("-", "_")]).to_user_string()
        assert groups.get(key) == s.family


def test_webserver_serves_the_asset_groups(tmp_path):
    """What `make dev` shows operators: the webserver loads workspace.yaml and lists the family groups."""
    import json
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    web = Path(sys.executable).parent / "dagster-webserver"
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}
    proc = subprocess.Popen([str(web), "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        query = json.dumps({"query": "{ assetNodes { groupName } }"}).encode()
        deadline, groups = time.monotonic() + 120, None
        while time.monotonic() < deadline and groups is None:
            try:
                req = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=query,
                                             headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(req, timeout=5) as resp:
                    nodes = json.load(resp)["data"]["assetNodes"]
                    groups = {n["groupName"] for n in nodes} if nodes else None
            except OSError:
                time.sleep(1)
        assert groups is not None, "webserver did not answer within 120 s"
        assert {"regional", "road", "rail", "municipal", "harmonise"} <= groups
    finally:
        proc.terminate()
        proc.wait(20)
