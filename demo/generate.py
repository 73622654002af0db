"""Runs every family's demo generator into one folder and writes the matching truth file."""

from __future__ import annotations

import csv
import importlib
from pathlib import Path
from typing import Any

from demo.catalog import write_catalog

# Generator modules, each with generate(out_dir) -> {"sources": [...], "truth": [...]}; a family
# whose generator is not built yet is skipped with a note.
GENERATORS = ("municipal", "regional", "rail", "road", "municipal_extra", "fleet")


def generate_all(out: Path, log=print) -> dict[str, Any]:
    """Write all demo data below ``out`` (one folder per generator) and the demo catalog listing it
    (``out/sources.yaml``); returns the catalog entries (absolute locations), the catalog's path and the
    stop truth rows."""
    out.mkdir(parents=True, exist_ok=True)
    sources: list[dict[str, Any]] = []
    truth: list[tuple[str, str, str]] = []
    for name in GENERATORS:
        try:
            mod = importlib.import_module(f"demo.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"demo.{name}":
                log(f"demo: no {name} generator in this version, skipped")
                continue
            raise
        target = out / name
        target.mkdir(parents=True, exist_ok=True)
        made = mod.generate(target)
        for entry in made.get("sources", []):
            sources.append({**entry, "location": str((target / entry["location"]).resolve())})
        truth.extend(tuple(t) for t in made.get("truth", []))
        log(f"demo: generated {name} ({len(made.get('sources', []))} source(s), {len(made.get('truth', []))} stops)")
    with (out / "truth_stops.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["source_id", "local_id", "place_key"])
        w.writerows(sorted(truth))
    return {"sources": sources, "truth": truth, "catalog": write_catalog(sources, out)}
