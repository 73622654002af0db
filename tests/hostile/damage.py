"""Damaged and hostile inputs, built by the project's own demo generators (demo/) and then broken on
purpose: one builder per case, each a class of defect from issue 13 (boundary, xml, position, encoding,
domain, failure). Nothing here is hand-written data: the good input is always the demo's."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SECRET_TOKEN = "HOSTILE-SECRET-7f3a9c1e"  # planted in a file outside every input; must never reach the DB


@dataclass(frozen=True)
class Demo:
    """The generated demo data and the planted secret."""

    root: Path
    sources: dict[str, dict[str, Any]]
    secret: Path

    def path(self, source_id: str) -> Path:
        return Path(self.sources[source_id]["location"])


Builder = Callable[[Demo, Path], str]


@dataclass(frozen=True)
class Case:
    """One hostile input and what must happen to it."""

    id: str
    kind: str                      # boundary | xml | position | encoding | domain | failure
    source: str                    # demo source id the input poses as
    build: Builder
    outcome: str                   # rejected | loaded
    reason: str | None = None      # regex the one-line reason must match (rejected)
    reject: tuple[str, int | None, str] | None = None   # (file, line, code) quarantined
    notice: tuple[str, str | None, int | None] | None = None  # (code, file, line)
    options: dict[str, Any] = field(default_factory=dict)
    cli: bool = False              # run through the CLI subprocess (one-line message on stderr)
    more_notices: tuple[tuple[str, str | None, int | None], ...] = ()


# -- helpers -----------------------------------------------------------------------------------------------

def rezip(src: Path, out: Path, edits: dict[str, bytes | None] | None = None,
          extra: list[tuple[zipfile.ZipInfo | str, bytes]] | None = None, method: int = zipfile.ZIP_DEFLATED) -> str:
    """Copy a zip with members replaced (bytes), removed (None) or added (extra, duplicates allowed)."""
    edits = edits or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", method) as zout:
        for info in zin.infolist():
            if info.filename in edits:
                if edits[info.filename] is not None:
                    zout.writestr(info.filename, edits[info.filename])
                continue
            zout.writestr(info.filename, zin.read(info))
        for info, data in extra or []:
            with _quiet():
                zout.writestr(info, data)
    return str(out)


class _quiet:
    def __enter__(self):
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        self._w.__exit__(*exc)


def member(zip_path: Path, name: str) -> bytes:
    with zipfile.ZipFile(zip_path) as z:
        return z.read(name)


def gtfs_edit(name: str, fn: Callable[[str], str | bytes], **kw: Any) -> Builder:
    """A GTFS builder: the demo feed with ``name`` transformed by ``fn`` (text in, text or bytes out)."""
    def build(demo: Demo, tmp: Path) -> str:
        src = demo.path("municipal-dpmul-gtfs")
        out = fn(member(src, name).decode("utf-8"))
        return rezip(src, tmp / "feed.zip", {name: out.encode("utf-8") if isinstance(out, str) else out}, **kw)
    return build


def line_edit(lines: list[str], n: int, fn: Callable[[list[str]], list[str]], sep: str = ",") -> list[str]:
    """Replace physical line ``n`` (1-based) by its fields transformed by ``fn``."""
    lines = list(lines)
    lines[n - 1] = sep.join(fn(lines[n - 1].split(sep)))
    return lines


def set_field(text: str, n: int, col: str, value: str, sep: str = ",") -> str:
    lines = text.split("\n")
    idx = lines[0].rstrip("\r").split(sep).index(col)

    def fn(f: list[str]) -> list[str]:
        f[idx] = value
        return f
    return "\n".join(line_edit(lines, n, fn, sep))


def folder_copy_of_zip(src: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(src) as z:
        z.extractall(folder)
    return folder


def symlink_member(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def file_copy(source: str, edit: Callable[[bytes, Demo], bytes], suffix: str | None = None) -> Builder:
    """A builder for single-file formats: the demo file's bytes transformed."""
    def build(demo: Demo, tmp: Path) -> str:
        src = demo.path(source)
        out = tmp / (src.stem + (suffix or src.suffix))
        out.write_bytes(edit(src.read_bytes(), demo))
        return str(out)
    return build


def folder_copy(source: str, edit: Callable[[Path, Demo], None]) -> Builder:
    """A builder for folder formats: the demo folder copied, then ``edit`` applied to the copy."""
    def build(demo: Demo, tmp: Path) -> str:
        import shutil

        src = demo.path(source)
        src_dir = src if src.is_dir() else src.parent
        out = tmp / src_dir.name
        shutil.copytree(src_dir, out)
        edit(out, demo)
        return str(out if src.is_dir() else out / src.name)
    return build


def parking_row(field_name: str, value: str, row: int = 3) -> Builder:
    def edit(data: bytes, _demo: Demo) -> bytes:
        return set_field(data.decode("utf-8"), row, field_name, value, ";").encode("utf-8")
    return file_copy("municipal-usti-parking", edit)


def parking_latlon(lat: str, lon: str, row: int = 3) -> Builder:
    def edit(data: bytes, _demo: Demo) -> bytes:
        text = set_field(data.decode("utf-8"), row, "ZEM_SIRKA", lat, ";")
        return set_field(text, row, "ZEM_DELKA", lon, ";").encode("utf-8")
    return file_copy("municipal-usti-parking", edit)


def gbfs_station(edit_station: Callable[[list[dict]], None], feed: str = "station_information") -> Builder:
    def edit(folder: Path, _demo: Demo) -> None:
        p = folder / f"{feed}.json"
        doc = json.loads(p.read_text(encoding="utf-8"))
        edit_station(doc["data"]["stations"])
        p.write_text(json.dumps(doc, indent=1, allow_nan=True), encoding="utf-8")
    return as_folder(folder_copy("municipal-nextbike-most-gbfs", edit))


def gbfs_feed_url(url: Callable[[Demo], str]) -> Builder:
    def edit(folder: Path, demo: Demo) -> None:
        p = folder / "gbfs.json"
        doc = json.loads(p.read_text(encoding="utf-8"))
        for lang in doc["data"].values():
            for f in lang["feeds"]:
                if f["name"] == "station_information":
                    f["url"] = url(demo)
        p.write_text(json.dumps(doc), encoding="utf-8")
        (folder / "station_information.json").unlink()
    return as_folder(folder_copy("municipal-nextbike-most-gbfs", edit))


def census_row(col: str, value: str, row: int = 3) -> Builder:
    def edit(data: bytes, _demo: Demo) -> bytes:
        return set_field(data.decode("cp1250"), row, col, value, ";").encode("cp1250")
    return file_copy("road-rsd-census", edit)


def datex_edit(fn: Callable[[str], str]) -> Builder:
    return file_copy("road-ndic-datex2", lambda data, _d: fn(data.decode("utf-8")).encode("utf-8"))


def datex_points(fn: Callable[[str, str], tuple[str, str]]) -> Builder:
    """Every WGS84 point of the demo publication transformed by ``fn(lat, lon)``; S-JTSK twins emptied so
    the WGS84 values are what is read."""
    def edit(text: str) -> str:
        lats = re.findall(r"<latitude>([^<]*)</latitude>", text)
        lons = re.findall(r"<longitude>([^<]*)</longitude>", text)
        pairs = [fn(a, b) for a, b in zip(lats, lons, strict=True)]
        it_lat, it_lon = iter(p[0] for p in pairs), iter(p[1] for p in pairs)
        text = re.sub(r"<latitude>[^<]*</latitude>", lambda _m: f"<latitude>{next(it_lat)}</latitude>", text)
        text = re.sub(r"<longitude>[^<]*</longitude>", lambda _m: f"<longitude>{next(it_lon)}</longitude>", text)
        return re.sub(r"<sjtsk([XY])>[^<]*</sjtsk[XY]>", r"<sjtsk\1></sjtsk\1>", text)
    return datex_edit(edit)


def jdf_batch_edit(stem: str, fn: Callable[[bytes], bytes]) -> Builder:
    """The demo's first batch zip (551401.zip) with one file transformed."""
    def build(demo: Demo, tmp: Path) -> str:
        src = demo.path("regional-jdf-duk").parent / "551401.zip"
        return rezip(src, tmp / "551401.zip", {stem: fn(member(src, stem))})
    return build


def road_network_with(geom_wkt: str) -> Builder:
    """The demo network with its first section's geometry replaced."""
    def build(demo: Demo, tmp: Path) -> str:
        import shapely

        from demo import road

        sections = road.network_sections()
        sections[0]["geometry"] = shapely.from_wkt(geom_wkt)
        road._write_network(tmp, sections)
        return str(tmp / road.NETWORK_FILE)
    return build


def czptt_first_message(fn: Callable[[str], str]) -> Builder:
    """A folder holding one CZPTT message of the demo, transformed."""
    def build(demo: Demo, tmp: Path) -> str:
        import gzip

        src = demo.path("sz-czptt")
        first = sorted(p for p in src.rglob("*.xml.zip"))[0]
        raw = first.read_bytes()
        xml = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else member(first, zipfile.ZipFile(first).namelist()[0])
        out = tmp / "czptt"
        out.mkdir()
        (out / "message.xml").write_bytes(fn(xml.decode("utf-8")).encode("utf-8"))
        return str(out)
    return build


def fifo(_demo: Demo, tmp: Path) -> str:
    p = tmp / "feed.csv"
    os.mkfifo(p)
    return str(p)


def long_line(nbytes: int) -> Callable[[str], str]:
    def fn(text: str) -> str:
        lines = text.split("\n")
        lines.insert(2, "9" * nbytes)
        return "\n".join(lines)
    return fn


def stored_long_line(nbytes: int) -> Builder:
    """stop_times.txt = header + one line of ``nbytes`` (stored, so the archive ratio does not refuse it)."""
    def build(demo: Demo, tmp: Path) -> str:
        src = demo.path("municipal-dpmul-gtfs")
        header = member(src, "stop_times.txt").split(b"\n", 1)[0]
        body = (os.urandom(nbytes).translate(bytes(b"0123456789,"[i % 11] for i in range(256))))
        return rezip(src, tmp / "feed.zip", {"stop_times.txt": header + b"\n" + body + b"\n"},
                     method=zipfile.ZIP_STORED)
    return build


def zip_bomb(demo: Demo, tmp: Path) -> str:
    src = demo.path("municipal-dpmul-gtfs")
    return rezip(src, tmp / "feed.zip", {"shapes.txt": b"shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\n"
                                                       + b"0" * (20 << 20)})


def many_members(demo: Demo, tmp: Path) -> str:
    src = demo.path("municipal-dpmul-gtfs")
    return rezip(src, tmp / "feed.zip", extra=[(f"extra/{i}.txt", b"x") for i in range(60)])


def gtfs_folder_with_link(name: str) -> Builder:
    def build(demo: Demo, tmp: Path) -> str:
        folder = folder_copy_of_zip(demo.path("municipal-dpmul-gtfs"), tmp / "feed")
        (folder / name).unlink(missing_ok=True)
        (folder / name).symlink_to(demo.secret)
        return str(folder)
    return build


def as_folder(build: Builder) -> Builder:
    """The folder holding what ``build`` made (the input is then the whole folder)."""
    def folder(demo: Demo, tmp: Path) -> str:
        path = Path(build(demo, tmp))
        return str(path if path.is_dir() else path.parent)
    return folder


def link_into(source: str, name: str) -> Builder:
    """The source's demo folder (the input is the folder) with ``name`` a symlink to the planted secret."""
    def build(demo: Demo, tmp: Path) -> str:
        return as_folder(folder_copy(source, lambda folder, d: (folder / name).symlink_to(d.secret)))(demo, tmp)
    return build


def utf16(text: str) -> bytes:
    return text.encode("utf-16")


def cp1250_with_undefined(text: str) -> bytes:
    """CP1250 bytes where line 3 carries 0x81, a byte CP1250 does not define."""
    lines = text.split("\n")
    data = [ln.encode("cp1250") for ln in lines]
    data[2] = data[2].replace(b",", b"\x81,", 1)
    return b"\n".join(data)


def not_utf8_in_cp1250(text: str) -> bytes:
    return text.encode("cp1250")


def bom(text: str) -> bytes:
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def with_replacement_char(text: str) -> str:
    return set_field(text, 4, "stop_name", "Zast\ufffdvka")


def xml_io(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode())
