"""Holidays by country for JDF calendars: CZ default, SK, DE-SN, DE-BY from the holidays package."""

from __future__ import annotations

import datetime as dt

import pytest

from transport_etl.errors import ConfigError
from transport_etl.formats.jdf.calendar import service_dates
from transport_etl.public_holidays import holiday_dates, parse_spec

JAN5, JAN9 = dt.date(2026, 1, 5), dt.date(2026, 1, 9)     # Monday … Friday; 6 January = Epiphany


@pytest.mark.parametrize(("spec", "runs_on_epiphany"), [(None, True), ("CZ", True), ("SK", False), ("DE-BY", False),
                                                         ("DE-SN", True)])
def test_working_day_trip_follows_its_countrys_holidays(spec, runs_on_epiphany):
    days = service_dates(["X"], [], JAN5, JAN9, spec)
    assert (dt.date(2026, 1, 6) in days) is runs_on_epiphany
    assert len(days) == (5 if runs_on_epiphany else 4)


def test_regional_holidays_of_saxony_and_bavaria():
    assert dt.date(2026, 10, 31) in holiday_dates("DE-SN", 2026, 2026)       # Reformationstag
    assert dt.date(2026, 10, 31) not in holiday_dates("DE-BY", 2026, 2026)
    assert dt.date(2026, 7, 5) in holiday_dates("CZ", 2026, 2026)             # Cyril and Methodius
    assert dt.date(2026, 7, 5) in holiday_dates("SK", 2026, 2026)
    assert dt.date(2026, 9, 28) not in holiday_dates("SK", 2026, 2026)        # St Wenceslas: Czech only


def test_unknown_country_or_subdivision_is_a_config_error():
    assert parse_spec("de-sn") == ("DE", "SN")
    with pytest.raises(ConfigError, match="unknown country 'XX'"):
        parse_spec("XX")
    with pytest.raises(ConfigError, match="DE has no subdivision 'ZZ'"):
        parse_spec("DE-ZZ")
