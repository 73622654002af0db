"""Each trip's stop_times.txt lines, seen while the file streams into COPY (fastcopy.py): where they start,
how many there are and a digest of their bytes. A trip whose lines are the same as in the previous version
(``carry``: trip_id → that version's digest; delta.py decides which trips may be carried) is not sent to the
server: its staged rows, notices and unified rows are the previous version's (validate.sql, publish.sql).

Only a trip whose lines are one run (not split by other trips' lines) has a digest and can be carried; a
carried trip whose lines turn out to go on later is staged after all (``late``: the start line of its run).
Facts are kept only when every block took the regular path; otherwise the next version is loaded whole."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from itertools import groupby

# Renders lines (a slice of a block) as COPY data, given the physical line number of the first.
Render = Callable[[list[bytes], int], bytes]


class NotCarryable(Exception):
    """A block needs the record-by-record path while trips were being carried: stage the file again, whole."""


class TripLines:
    """Trip runs of the stop_times lines, block by block. ``key`` is the trip_id field's index. With ``only``
    (start lines of runs), just those runs are sent and nothing is recorded (staging runs after all)."""

    def __init__(self, key: int, carry: Mapping[str, str] | None = None, only: set[int] | None = None) -> None:
        self.key = key
        self.carry = {k.encode("utf-8"): v for k, v in (carry or {}).items()}
        self.only = only
        self._facts: dict[bytes, list] = {}  # trip → [trip_id, first_line, n_lines, digest | None, carried]
        self.usable = True
        self.carried_lines = 0
        self.late: list[int] = []  # start lines of carried runs whose trip went on later
        self.late_lines = 0
        self._trip: bytes | None = None
        self._md5 = hashlib.md5()
        self._first = self._n = 0
        self._out: list[tuple[Render, list[bytes], int]] = []  # the current run, rendered only when sent

    @property
    def facts(self) -> list[tuple[str, int, int, str | None, bool]]:
        """trip_id, first_line, n_lines, digest (None for a split trip), carried."""
        return [tuple(f) for f in self._facts.values()]

    def irregular(self) -> bytes:
        """A block goes record by record: trips are no longer tracked, so no facts for this version. Returns
        the COPY data still held (the last trip of the regular blocks before), to send first."""
        if self.carry or self.only is not None:
            raise NotCarryable("stop_times.txt has records that need the record-by-record path")
        self.usable = False
        return self._held()

    def _held(self) -> bytes:
        held = _render(self._out)
        self._out, self._trip = [], None
        return held

    def block(self, lines: list[bytes], first_line: int, render: Render) -> bytes:
        """COPY data to send for a regular block (``render`` makes it of lines; the first is physical line
        ``first_line``). A trip's run is sent once it ends (it may go on in the next block); a carried run is
        never rendered."""
        if not self.usable:
            return self._held() + render(lines, first_line)
        if not lines:
            return b""
        send: list[bytes] = []
        eager = not self.carry and self.only is None
        k = self.key
        keys = [ln.split(b",", k + 1)[k] for ln in lines]
        e = 0
        for trip, run in groupby(keys):
            s = e
            e += len(list(run))
            if s == 0 and trip == self._trip:  # the run of the previous block goes on
                self._md5.update(b"\n" + b"\n".join(lines[s:e]))
            else:
                self._close(send)
                self._trip, self._first, self._n = trip, first_line + s, 0
                self._md5 = hashlib.md5(b"\n".join(lines[s:e]))
            self._n += e - s
            if not eager:
                self._out.append((render, lines[s:e], first_line + s))
        if eager:  # nothing is carried: every line is sent, rendered by the block (per run costs ~0.2 s on HART)
            return render(lines, first_line)
        return b"".join(send)

    def finish(self) -> bytes:
        """COPY data of the last run."""
        if not self.usable:
            return self._held()
        send: list[bytes] = []
        self._close(send)
        return b"".join(send)

    def _close(self, send: list[bytes]) -> None:
        trip, out = self._trip, self._out
        if trip is None:
            return
        self._trip, self._out = None, []
        if self.only is not None:
            if self._first in self.only:
                send.append(_render(out))
            return
        fact = self._facts.get(trip)
        if fact is not None:  # the trip goes on after other trips' lines: it cannot be compared as one
            if fact[4]:  # its first run was carried: staged after all
                self.late.append(fact[1])
                self.late_lines += fact[2]
                self.carried_lines -= fact[2]
                fact[4] = False
            fact[2] += self._n
            fact[3] = None
            send.append(_render(out))
            return
        digest = self._md5.hexdigest()
        carried = self.carry.get(trip) == digest
        self._facts[trip] = [trip.decode("utf-8"), self._first, self._n, digest, carried]
        if carried:
            self.carried_lines += self._n
        else:
            send.append(_render(out))


def _render(pieces: list[tuple[Render, list[bytes], int]]) -> bytes:
    return b"".join([render(lines, first) for render, lines, first in pieces])
