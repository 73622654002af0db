"""SR70 rail location codes: 5 digits plus a check digit (Luhn-like, as jrutil ``uicChecksum``).

CZPTT messages use the 5-digit form, the register the 6-digit form; both resolve to the same
place. The check digit is always computed from the first five digits, never taken on trust.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sr70Code:
    code5: str          # the five significant digits
    code6: str          # code5 + computed check digit
    given_check_ok: bool | None  # for 6-digit input: did the published check digit match? None for 5-digit


def check_digit(code5: str) -> int:
    """Check digit of a 5-digit SR70 code: digits weighted 2,1,2,1,2 from the left, digit sums added,
    then the complement to the next multiple of ten."""
    if len(code5) != 5 or not code5.isdigit():
        raise ValueError(f"SR70 base code must be 5 digits, got {code5!r}")
    total = 0
    for i, ch in enumerate(code5):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return (10 - total % 10) % 10


def resolve(code: str | int | None) -> Sr70Code | None:
    """A 5- or 6-digit SR70 code (str or int, leading zeros optional for ints) → both forms.

    Returns None for anything that is not 5 or 6 digits. A 6-digit code whose check digit does
    not match still resolves (to the computed form), with ``given_check_ok=False`` so the caller
    can report it.
    """
    if code is None:
        return None
    s = str(code).strip()
    if isinstance(code, int):
        s = s.zfill(5) if len(s) <= 5 else s.zfill(6)
    if not s.isdigit() or len(s) not in (5, 6):
        return None
    code5 = s[:5]
    code6 = code5 + str(check_digit(code5))
    return Sr70Code(code5, code6, None if len(s) == 5 else s == code6)


def to_code6(code: str | int | None) -> str | None:
    """The 6-digit form (computed check digit) of a 5- or 6-digit code; None if not a code."""
    r = resolve(code)
    return r.code6 if r else None
