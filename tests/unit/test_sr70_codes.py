"""SR70 codes: the check digit is computed, 5- and 6-digit forms resolve to the same place."""

from __future__ import annotations

import pytest

from transport_etl.ids.sr70 import Sr70Code, check_digit, resolve, to_code6


@pytest.mark.parametrize(
    ("code5", "digit"),
    # Published register codes (docs/formats/municipal-and-stop-identity.md and the 2026-08 register).
    [("53179", 8), ("55659", 7), ("53399", 2), ("53489", 1), ("53289", 5), ("00301", 2), ("30000", 4)],
)
def test_check_digit_matches_published_codes(code5, digit):
    assert check_digit(code5) == digit


def test_five_and_six_digit_forms_resolve_to_the_same_code():
    assert resolve("53179") == Sr70Code("53179", "531798", None)
    assert resolve("531798").code6 == resolve("53179").code6 == "531798"
    assert resolve("531798").given_check_ok is True
    assert to_code6(53179) == "531798"
    assert to_code6(3012) == "030122" and to_code6("03012") == "030122"


def test_wrong_published_check_digit_is_not_trusted():
    r = resolve("531790")
    assert r.code6 == "531798" and r.given_check_ok is False


@pytest.mark.parametrize("bad", [None, "", "5317", "5317988", "53a79", "ABCDE"])
def test_non_codes_do_not_resolve(bad):
    assert resolve(bad) is None


def test_check_digit_refuses_non_five_digit_input():
    with pytest.raises(ValueError):
        check_digit("5317")
