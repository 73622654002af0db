"""Public holidays of a source's country (catalog option ``holidays``: CZ by default; SK, DE-SN, DE-BY, AT,
PL, … — a country code with an optional subdivision), from the ``holidays`` package.

``holidays`` is imported on first use, not with this module: importing it takes ~50 ms, and the GTFS loader
imports this module for every feed while only Czech feeds (or those naming a country) ask for holidays."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from transport_etl.errors import ConfigError

DEFAULT = "CZ"


def parse_spec(spec: str | None) -> tuple[str, str | None]:
    """('DE', 'SN') from 'DE-SN'; ConfigError naming the choices for an unknown country or subdivision."""
    text = (spec or DEFAULT).strip().upper().replace("_", "-")
    country, _, subdiv = text.partition("-")
    import holidays
    from holidays.registry import COUNTRIES

    # the country codes from the registry's table and one country's calendar, not
    # holidays.list_supported_countries(): that loads every country's module (~0.1 s a process)
    if country not in {names[1] for names in COUNTRIES.values()}:
        raise ConfigError(f"options.holidays: unknown country {country!r} (e.g. CZ, SK, DE-SN, DE-BY, AT, PL)")
    subdivisions = holidays.country_holidays(country, years=[]).subdivisions
    if subdiv and subdiv not in subdivisions:
        has = (f"has {', '.join(subdivisions[:12])}{', …' if len(subdivisions) > 12 else ''}" if subdivisions
               else "it has none")
        raise ConfigError(f"options.holidays: {country} has no subdivision {subdiv!r} ({has})")
    return country, subdiv or None


@lru_cache(maxsize=128)
def holiday_dates(spec: str | None, first_year: int, last_year: int) -> frozenset[dt.date]:
    """Public holidays of ``spec`` in the years first_year..last_year."""
    import holidays

    country, subdiv = parse_spec(spec)
    return frozenset(holidays.country_holidays(country, subdiv=subdiv, years=range(first_year, last_year + 1)).keys())


def between(spec: str | None, start: dt.date, end: dt.date) -> frozenset[dt.date]:
    return holiday_dates(spec, start.year, end.year)
