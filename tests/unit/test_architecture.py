"""The layout shows the architecture, and a test keeps it so: no import cycles, no upward imports,
small modules, and every declared dependency imported by the code that needs it."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("transport_etl", "assets", "demo")
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Internal modules imported by ``name`` anywhere in its body (function-level imports count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = name.split(".") if is_pkg else name.split(".")[:-1]
                pkg = pkg[: len(pkg) - (node.level - 1)]
                base = ".".join(pkg + ([base] if base else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        for t in targets:
            # the longest known module the import names (a package import names its __init__)
            while t and t not in MODULES:
                t = t.rpartition(".")[0]
            if t and t != name:
                found.add(t)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    assert _cycles() == []


# (importer pattern, forbidden import pattern, why). Patterns are regular expressions on module names.
FORBIDDEN = [
    (r"^transport_etl(\.|$)", r"^(assets|demo|tests)(\.|$)", "the library never imports its users"),
    (r"^transport_etl\.(db|errors|crs|xmlsafe|fetch|ids)(\.|$)",
     r"^transport_etl\.(catalog|ingest|formats|lineage|harmonise|export|cli|summary)(\.|$)",
     "foundation modules import nothing above them"),
    (r"^transport_etl\.catalog$", r"^transport_etl\.(ingest|lineage|harmonise|export|cli)(\.|$)",
     "the catalog sits below the runner"),
    (r"^transport_etl\.formats\.", r"^transport_etl\.(harmonise|export|cli|summary|ingest\.run)(\.|$)",
     "a format reads and publishes one source; harmonisation and export come after it"),
    (r"^transport_etl\.(harmonise|export|lineage)(\.|$)", r"^transport_etl\.(cli|ingest\.run)$",
     "nothing calls up into the entry points"),
    (r"^transport_etl\.(ingest|lineage|db)(\.|$)", r"^transport_etl\.harmonise(\.|$)",
     "loading does not depend on harmonisation"),
]


def test_no_upward_imports():
    bad = []
    for importer, targets in GRAPH.items():
        for rule_from, rule_to, why in FORBIDDEN:
            if re.search(rule_from, importer):
                bad += [f"{importer} → {t} ({why})" for t in targets if re.search(rule_to, t)]
    assert bad == []


def test_formats_do_not_import_each_other():
    """A rule two formats share lives outside both (ids/, fetch, crs, roads/), never in one of them."""
    bad = []
    for importer, targets in GRAPH.items():
        m = re.match(r"^transport_etl\.formats\.([a-z0-9_]+)\.", importer + ".")
        if not m or m.group(1) in ("contract", "registry"):
            continue
        for t in targets:
            n = re.match(r"^transport_etl\.formats\.([a-z0-9_]+)", t)
            if n and n.group(1) not in (m.group(1), "contract", "registry"):
                bad.append(f"{importer} → {t}")
    assert bad == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_is_small(name: str):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{MODULES[name].relative_to(ROOT)} has {lines} lines (> {MAX_LINES}): split it by role"


# distribution name → import name, where they differ
_IMPORT_NAME = {"psycopg": "psycopg", "pyyaml": "yaml", "gtfs-kit": "gtfs_kit", "gtfs-realtime-bindings": "google.transit", "protobuf": "google.protobuf",
                "dagster-webserver": "dagster_webserver", "dagster-postgres": "dagster_postgres",
                "dagster-celery": "dagster_celery", "dagster-k8s": "dagster_k8s"}


def _declared() -> list[str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [re.split(r"[<>=!~\[ ;]", d, maxsplit=1)[0].lower() for d in meta["dependencies"]]


@pytest.mark.parametrize("dist", _declared())
def test_dependency_is_imported(dist: str):
    name = _IMPORT_NAME.get(dist, dist.replace("-", "_"))
    pattern = re.compile(rf"^\s*(import|from)\s+{re.escape(name)}(\.|\s|$)", re.M)
    users = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert users, f"{dist} is declared in pyproject.toml but imported nowhere in {', '.join(PACKAGES)}"
