"""The one registry of formats: every package under transport_etl/formats/ that declares ``FORMAT``."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from pathlib import Path

from transport_etl.errors import ConfigError
from transport_etl.formats.contract import Format

_HERE = Path(__file__).resolve().parent


@cache
def formats() -> dict[str, Format]:
    """Format name → declaration, discovered from the packages beside this module."""
    found: dict[str, Format] = {}
    for info in sorted(pkgutil.iter_modules([str(_HERE)]), key=lambda i: i.name):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"{__package__}.{info.name}")
        fmt = getattr(module, "FORMAT", None)
        if not isinstance(fmt, Format):
            raise RuntimeError(f"{module.__name__} declares no FORMAT (see transport_etl/formats/contract.py)")
        if fmt.name in found:
            raise RuntimeError(f"format {fmt.name} declared twice ({found[fmt.name].package}, {fmt.package})")
        found[fmt.name] = fmt
    return found


def names() -> list[str]:
    return sorted(formats())


def get(name: str) -> Format:
    """The declaration of ``name``, or a one-line error listing the known formats."""
    try:
        return formats()[name]
    except KeyError:
        raise ConfigError(f"unknown format {name!r}; known: {', '.join(names())}") from None
