"""Append-only migrations, checked before any database sees them: a file listed in schemas/SHA256SUMS
(every migration that has landed) keeps its bytes; a new migration is added to the list when it lands.
(`transport-etl db upgrade` refuses a changed applied file too, but only on a database that has it.)"""

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"


def _listed() -> dict[str, str]:
    out = {}
    for line in (SCHEMAS / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        out[name.lstrip("*")] = digest
    return out


def test_landed_migrations_keep_their_bytes():
    changed = [name for name, digest in _listed().items()
               if hashlib.sha256((SCHEMAS / name).read_bytes()).hexdigest() != digest]
    assert changed == [], f"applied migrations changed: {changed}; put the change in a new numbered file"


def test_every_migration_is_listed():
    files = sorted(p.name for p in SCHEMAS.glob("[0-9][0-9][0-9]_*.sql"))
    assert sorted(_listed()) == files, "list a new migration: (cd schemas && sha256sum [0-9]*_*.sql > SHA256SUMS)"
