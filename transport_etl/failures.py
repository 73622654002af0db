"""Every failure is one line ``transport-etl: <source>: <reason>`` with a non-zero exit status.

The traceback goes to a log file (and to stderr only with ``--debug``), never to the user by default.
So do the warnings libraries raise while reading hostile values (shapely's "invalid value encountered" for
a NaN coordinate, GDAL's through pyogrio): what the input holds is said by notices and rejected records;
stderr holds only our own lines.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path

import psycopg

from transport_etl.boundaries import excerpt
from transport_etl.errors import ConfigError, InputRejected

LOG_DIR_ENV = "TRANSPORT_ETL_LOG_DIR"
CONNECTION_LOST = "database connection lost during the load; nothing was published"


def _log_folder() -> Path:
    return Path(os.environ.get(LOG_DIR_ENV) or Path(tempfile.gettempdir()) / "transport-etl")


def _warning_to_log(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                    file: object = None, line: str | None = None) -> None:
    """warnings.showwarning for a guarded command: the warning is appended to the day's warnings log."""
    folder = _log_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / f"transport-etl-warnings-{dt.date.today():%Y%m%d}.log").open("a", encoding="utf-8") as f:
            f.write(f"{dt.datetime.now():%H:%M:%S} pid {os.getpid()}: "
                    + warnings.formatwarning(message, category, filename, lineno, line))
    except OSError:
        pass


def _log_traceback(exc: BaseException) -> Path | None:
    folder = _log_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"transport-etl-{dt.datetime.now():%Y%m%dT%H%M%S}-{os.getpid()}.log"
        path.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
        return path
    except OSError:
        return None


def describe(exc: BaseException) -> tuple[str, int]:
    """(reason, exit status) for an exception that ended a command."""
    if isinstance(exc, InputRejected):
        return f"input rejected: {exc}", 1
    if isinstance(exc, ConfigError):
        return str(exc), 2
    if isinstance(exc, psycopg.OperationalError | psycopg.errors.AdminShutdown | psycopg.errors.CrashShutdown
                  | psycopg.InterfaceError):
        return CONNECTION_LOST, 3
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted; nothing of an unfinished load was published", 130
    if isinstance(exc, MemoryError):
        return "out of memory; nothing of an unfinished load was published", 4
    return f"internal error ({type(exc).__name__}: {excerpt(str(exc), 120)}); nothing was published", 4


def run_guarded(command: Callable[[], int], source: str | None, debug: bool = False) -> int:
    """Run a CLI command; any exception becomes one line on stderr and a non-zero status. Library warnings
    go to the log folder (to stderr only with ``debug``)."""
    try:
        with warnings.catch_warnings():
            if not debug:
                warnings.showwarning = _warning_to_log
            return command()
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - the CLI's last line of defence
        reason, status = describe(exc)
        if debug:
            traceback.print_exception(exc, file=sys.stderr)
        elif not isinstance(exc, InputRejected | ConfigError):
            log = _log_traceback(exc)
            if log is not None:
                reason += f" (details: {log})"
        print(f"transport-etl: {source + ': ' if source else ''}{reason}", file=sys.stderr)
        return status
