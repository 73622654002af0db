"""The outcome of one load, as the CLI prints it and Dagster attaches it to a materialisation."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class IngestResult:
    """What happened to one input; printed by the CLI, attached to Dagster materialisations."""

    source_id: str
    outcome: str  # loaded | skipped | held | rejected
    feed_version_id: int | None = None
    sha256: str | None = None
    reason: str | None = None
    reason_code: str | None = None
    feed_label: str | None = None
    coverage_from: str | None = None
    coverage_to: str | None = None
    rows_in: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    tables: dict[str, int] = field(default_factory=dict)
    notices: dict[str, int] = field(default_factory=dict)
    load_run_id: int | None = None
    seconds: float = 0.0
    steps: list[dict[str, Any]] = field(default_factory=list)  # folder trees: one entry per file

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
