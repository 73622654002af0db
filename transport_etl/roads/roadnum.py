"""Czech road numbers: D8, I/13, II/261, III/25840 — one spelling whatever the source wrote."""

from __future__ import annotations

import re

_WITH_CLASS = re.compile(r"^\s*(D|R|III|II|I)\s*[/ .-]?\s*([0-9]+[A-Za-z]?)\s*$", re.IGNORECASE)
_BARE = re.compile(r"^\s*0*([0-9]+)([A-Za-z]?)\s*$")


def normalise(raw: object, category: object = None) -> tuple[str | None, str | None]:
    """(road number with class, class) from a published road number.

    'I13', 'i / 13' and 'I/13' all become ('I/13', 'I'); 'D8' and 'D 8' become ('D8', 'D'); the old
    expressway class R is now a motorway (D). A bare number gets its class from ``category`` when that
    says motorway (ŘSD census PKOD_R 1 or 5), else from its length: 1–2 digits class I, 3 digits
    class II, 4+ digits class III. Unreadable input gives (the stripped text, None).
    """
    if raw is None:
        return None, None
    text = str(raw).strip()
    if not text:
        return None, None
    m = _WITH_CLASS.match(text)
    if m:
        cls, num = m.group(1).upper(), m.group(2)
        if cls == "R":
            cls = "D"
        return (f"D{num}" if cls == "D" else f"{cls}/{num}"), cls
    m = _BARE.match(text)
    if m:
        num = m.group(1) + m.group(2)
        cat = str(category).strip() if category is not None else ""
        if cat in ("1", "5", "D", "R"):
            return f"D{num}", "D"
        digits = len(m.group(1))
        cls = "I" if digits <= 2 else "II" if digits == 3 else "III"
        return f"{cls}/{num}", cls
    return text, None
