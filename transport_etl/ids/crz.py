"""CRZ numbers of the regional stop register: a pole (označník) id from the stop number and the post.
The SQL twin is unified.crz_pole_id() in schemas/600_shared_rules.sql; tests keep them equal."""

from __future__ import annotations


def pole_register_id(crz: str | int, post: str | int | None) -> str | None:
    """CRZ_OZNACN of a pole: CRZ × 100 + označník (e.g. 58578, 1 → '5857801'); None without a post."""
    if post is None or str(post).strip() == "":
        return None
    p = str(post).strip()
    if p.isdigit() and str(crz).strip().isdigit():
        return str(int(str(crz).strip()) * 100 + int(p))
    return f"{str(crz).strip()}/{p}"
