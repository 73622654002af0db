"""One type for what a reader finds wrong with a record, whatever the format: a Problem is either
quarantined (severity REJECT → lineage.rejected_record) or recorded as a notice (ERROR, WARNING,
INFO → lineage.notice). Readers return or yield Problems; ``LoadContext.report`` writes them."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("REJECT", "ERROR", "WARNING", "INFO")


@dataclass(frozen=True)
class Problem:
    code: str  # MobilityData validator vocabulary where it applies (invalid_time, foreign_key_violation, …)
    message: str
    file_name: str | None = None  # path inside the input; a reader may leave it for the loader to fill
    line_no: int | None = None  # physical line, header = 1
    severity: str = "WARNING"
    raw: str | None = None  # the record as read (only for REJECT: kept for correction and replay)
    field_name: str | None = None
    entity_key: str | None = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r} is not one of {SEVERITIES}")

    @property
    def quarantines(self) -> bool:
        return self.severity == "REJECT"
