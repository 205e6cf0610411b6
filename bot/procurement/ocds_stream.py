"""Read OCDS releases out of a JSON file one at a time, whatever its shape, without loading it whole.

Publishers ship OCDS as release packages, record packages, bare releases, bare
records or plain arrays of them (the bundled Mexican data has all of these).
Big packages are streamed with ijson: only one release or record is in memory
at a time. Anything that is not OCDS raises :class:`OcdsFormatError` with a
message in Spanish that says where the problem is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import ijson

STREAMED_KEYS = ("releases", "records")
_START = ("start_map", "start_array")
_END = ("end_map", "end_array")


class OcdsFormatError(ValueError):
    """The file is not valid JSON, is cut short, or holds no OCDS releases."""


@dataclass
class FoundRelease:
    """A release read from the file; ``compiled`` when it is a record's compiledRelease."""

    data: dict[str, Any]
    compiled: bool = False


@dataclass
class PackageInfo:
    """Package-level metadata seen in the file (may come after its releases)."""

    publisher: str = ""
    uri: str = ""
    linked_releases: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _top_level_values(handle: IO[bytes]) -> Iterator[tuple[str, Any]]:
    """Yield (top-level key, value); each element of ``releases``/``records`` separately.

    A top-level array yields ("[]", element) for each element.
    """
    events = ijson.parse(handle, use_float=True)
    try:
        _, first, _ = next(events)
    except StopIteration:
        raise OcdsFormatError("el archivo está vacío") from None
    if first not in _START:
        raise OcdsFormatError("el archivo no contiene un objeto ni una lista JSON")
    root_is_array = first == "start_array"
    key = "[]" if root_is_array else ""
    streaming = root_is_array
    builder: ijson.ObjectBuilder | None = None
    depth = 0
    for _, event, value in events:
        if builder is not None:
            builder.event(event, value)
            depth += 1 if event in _START else -1 if event in _END else 0
            if depth == 0:
                yield key, builder.value
                builder = None
            continue
        if event == "map_key" and not streaming:
            key = value
            continue
        if event in _END:
            if streaming and not root_is_array:
                streaming = False
                continue
            return  # end of the root value
        if event == "start_array" and not streaming and key in STREAMED_KEYS:
            streaming = True
            continue
        builder = ijson.ObjectBuilder()
        builder.event(event, value)
        depth = 1 if event in _START else 0
        if depth == 0:
            yield key, builder.value
            builder = None


def _release_key(release: Any, where: str) -> dict[str, Any]:
    if not isinstance(release, dict):
        raise OcdsFormatError(f"{where}: se esperaba un objeto (release)")
    ocid, rid = release.get("ocid"), release.get("id")
    if not isinstance(ocid, str) or not ocid.strip():
        raise OcdsFormatError(f"{where}: al release le falta «ocid»")
    if rid is None or str(rid).strip() == "":
        raise OcdsFormatError(f"{where}: al release {ocid} le falta «id»")
    return release


def _is_linked(release: Any) -> bool:
    """A record may list releases only by URL ("linked releases"): nothing to load."""
    return isinstance(release, dict) and "ocid" not in release and "url" in release


def _record_releases(
    record: Any, where: str, info: PackageInfo
) -> Iterator[FoundRelease]:
    if not isinstance(record, dict):
        raise OcdsFormatError(f"{where}: se esperaba un objeto (record)")
    found = False
    for i, release in enumerate(record.get("releases") or []):
        if _is_linked(release):
            info.linked_releases += 1
            continue
        found = True
        yield FoundRelease(_release_key(release, f"{where}.releases[{i}]"))
    compiled = record.get("compiledRelease")
    if compiled is not None:
        found = True
        yield FoundRelease(_release_key(compiled, f"{where}.compiledRelease"), compiled=True)
    if not found:
        raise OcdsFormatError(f"{where}: el record no trae releases completos ni compiledRelease")


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or "")
    return ""


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0].strip()


def read_releases(handle: IO[bytes], info: PackageInfo) -> Iterator[FoundRelease]:
    """Every release in the file, in file order; ``info`` is filled in as metadata appears.

    Raises OcdsFormatError for bad JSON, a truncated file, or a file without releases.
    """
    meta: dict[str, Any] = {}
    count = 0
    try:
        for key, value in _top_level_values(handle):
            if key == "releases" or key == "[]":
                index = count
                if key == "[]" and isinstance(value, dict) and (
                    "compiledRelease" in value or "releases" in value
                ):
                    for found in _record_releases(value, f"elemento {index}", info):
                        count += 1
                        yield found
                    continue
                if _is_linked(value):
                    info.linked_releases += 1
                    continue
                count += 1
                yield FoundRelease(_release_key(value, f"releases[{index}]"))
            elif key == "records":
                for found in _record_releases(value, f"records[{count}]", info):
                    count += 1
                    yield found
            else:
                meta[key] = value
                if key == "publisher":
                    info.publisher = _name(value)
                elif key == "uri" and isinstance(value, str):
                    info.uri = value
    except ijson.IncompleteJSONError as exc:
        raise OcdsFormatError(f"el archivo está incompleto o cortado ({_first_line(exc)})") from exc
    except ijson.JSONError as exc:
        raise OcdsFormatError(f"el archivo no es JSON válido ({_first_line(exc)})") from exc
    if "compiledRelease" in meta or "versionedRelease" in meta:
        # A bare record: its releases came under "releases"; its compiled release is here.
        compiled = meta.get("compiledRelease")
        if compiled is not None:
            count += 1
            yield FoundRelease(_release_key(compiled, "compiledRelease"), compiled=True)
    elif count == 0 and "ocid" in meta:
        # A bare release: the whole file is the release.
        count += 1
        tags = meta.get("tag") or []
        yield FoundRelease(
            _release_key(meta, "release"), compiled=isinstance(tags, list) and "compiled" in tags
        )
    if count == 0:
        raise OcdsFormatError(
            "no encontré releases OCDS (se esperaba un paquete de releases o de records)"
        )
    info.extra = {k: v for k, v in meta.items() if k in ("publishedDate", "version", "license")}
