"""Identifiers of the regional stop register shared by its loader and the JDF positioning."""

from __future__ import annotations


def pole_register_id(crz: str | int, post: str | int | None) -> str | None:
    """CRZ_OZNACN of a pole: CRZ × 100 + označník (e.g. 58578, 1 → '5857801'); None without a post."""
    if post is None or str(post).strip() == "":
        return None
    p = str(post).strip()
    if p.isdigit() and str(crz).strip().isdigit():
        return str(int(str(crz).strip()) * 100 + int(p))
    return f"{str(crz).strip()}/{p}"
