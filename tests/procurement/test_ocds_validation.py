"""The bundled procurement data checked by the OCDS validator (lib-cove-ocds, from PyPI).

The validator runs offline against the OCDS 1.1.5 schema shipped in
content/procurement/ocds_schema_1_1_5 (its web look-ups are answered from those
files). Real publications deviate from the schema in small ways; the test pins
exactly which ones, and checks that none touches a field the bot relies on.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import jsonref
import pytest
from libcoveocds.api import ocds_json_output
from libcoveocds.config import LibCoveOCDSConfig

from bot.procurement.service import bundled_files

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "content" / "procurement" / "ocds_schema_1_1_5"
SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/"

# Fields search, totals and flags read. No bundled file may be invalid there.
RELIED_ON = {
    "ocid", "id", "date", "tag", "buyer", "buyer/name", "tender/procurementMethod",
    "tender/procurementMethodDetails", "tender/tenderPeriod", "awards/suppliers",
    "awards/value", "contracts/value", "contracts/dateSigned", "contracts/awardID",
}

# What the validator reports about the real data, per folder: (error type, field).
KNOWN_DEVIATIONS = {
    "apf_records": set(),
    "cdmx_releases": set(),
    "jalisco_records": set(),
    "cdmx_records": {
        ("required", "records"),  # the records carry no top-level ocid (their releases do)
        ("object", "records/versionedRelease/parties/roles"),
        ("object", "records/versionedRelease/tender/submissionMethod"),
        ("required", "records/versionedRelease/awards/documents"),
        ("required", "records/versionedRelease/contracts/implementation/documents"),
    },
    "inai_releases": {
        ("array", "releases/parties/additionalIdentifiers"),
        ("array", "releases/tender/additionalProcurementCategories"),
        ("array", "releases/tender/submissionMethod"),
        ("required", "releases/awards/items"),  # items without id
        ("required", "releases/contracts"),  # one contract without id
        ("required", "releases/contracts/implementation/transactions"),
        ("required", "releases/contracts/items"),
        ("required", "releases/tender"),  # one tender without id
        ("required", "releases/tender/items"),
        ("string", "releases/parties/address/postalCode"),  # postal codes as numbers
        ("string", "releases/parties/contactPoint/telephone"),
        ("uniqueItems", "releases/parties"),
        ("uri", "releases/contracts/implementation/transactions/source"),
        ("uri", "releases/parties/contactPoint/url"),
        ("uri", "releases/planning/documents/url"),
        ("uri", "releases/tender/documents/url"),
    },
}


class _Response:
    def __init__(self, text: str) -> None:
        self.text = text

    def raise_for_status(self) -> None:
        return None

    def json(self, **kwargs: Any) -> Any:
        return json.loads(self.text, **kwargs)


class _OfflineSchemas:
    """Stands in for ``requests`` inside jsonref: schema URLs are read from the shipped copy."""

    @staticmethod
    def get(uri: str) -> _Response:
        if not uri.startswith(SCHEMA_URL):
            raise AssertionError(f"the validator tried to fetch {uri}")
        return _Response((SCHEMA_DIR / uri.removeprefix(SCHEMA_URL)).read_text("utf-8"))


def _config() -> LibCoveOCDSConfig:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("standard/", "")
        for path in sorted(SCHEMA_DIR.rglob("*")):
            if path.is_file():
                archive.write(path, f"standard/schema/{path.relative_to(SCHEMA_DIR)}")
    return LibCoveOCDSConfig({"standard_zip": buffer.getvalue(), "context": "api"})


def _package(key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "uri": "https://example.org/participa/paquete.json",
        "publisher": {"name": "Participa (empaquetado para validar)"},
        "publishedDate": "2026-11-21T00:00:00Z",
        "version": "1.1",
        key: items,
    }


def _combined() -> tuple[dict[str, Any], dict[str, Any], list[str], list[str]]:
    """All bundled releases in one release package, all records in one record package.

    Validating two packages instead of 54 files keeps the test fast; the lists map each
    release or record back to the file it came from.
    """
    releases: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    release_files: list[str] = []
    record_files: list[str] = []
    for path in bundled_files(compranet=False):
        name = f"{path.parent.name}/{path.name}"
        data = json.loads(path.read_text("utf-8"))
        if "records" in data:
            records.extend(data["records"])
            record_files.extend([name] * len(data["records"]))
        elif "compiledRelease" in data:
            records.append(data)
            record_files.append(name)
        elif "releases" in data:
            releases.extend(data["releases"])
            release_files.extend([name] * len(data["releases"]))
        else:
            releases.append(data)
            release_files.append(name)
    return _package("releases", releases), _package("records", records), release_files, record_files


@pytest.fixture(scope="module")
def reports() -> dict[str, list[dict[str, Any]]]:
    config = _config()
    release_package, record_package, release_files, record_files = _combined()
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in release_files + record_files}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsonref, "requests", _OfflineSchemas)
        for package, files in ((release_package, release_files), (record_package, record_files)):
            result = ocds_json_output(
                "", json_data=package, schema_version="1.1", lib_cove_ocds_config=config
            )
            assert result["version_used"] == "1.1"
            for error in result.get("validation_errors", []):
                index = int(error["path"].split("/")[1])
                out[files[index]].append(error)
    return out


def test_all_54_bundled_files_were_validated(reports: dict[str, list[dict[str, Any]]]) -> None:
    assert len(reports) == 54


def test_no_schema_error_touches_a_field_the_bot_relies_on(
    reports: dict[str, list[dict[str, Any]]],
) -> None:
    bad = []
    for name, errors in reports.items():
        for error in errors:
            field = error["field"].split("/", 1)[-1] if "/" in error["field"] else ""
            field = field.removeprefix("compiledRelease/").removeprefix("releases/")
            if field in RELIED_ON:
                bad.append((name, error["field"], error["description"]))
    assert bad == []


def test_deviations_of_the_real_data_are_exactly_the_known_ones(
    reports: dict[str, list[dict[str, Any]]],
) -> None:
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for name, errors in reports.items():
        folder = name.split("/")[0]
        found.setdefault(folder, set())
        for error in errors:
            found[folder].add((error["type"], error["field"]))
    assert dict(found) == KNOWN_DEVIATIONS


def test_validator_reports_a_broken_release() -> None:
    """The check is live: a release without ocid and with a text amount is rejected."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsonref, "requests", _OfflineSchemas)
        release = {
            "id": "1",
            "date": "2020-04-01T00:00:00Z",
            "tag": ["award"],
            "initiationType": "tender",
            "awards": [{"id": "a", "value": {"amount": "mucho", "currency": "MXN"}}],
        }
        result = ocds_json_output(
            "", json_data=_package("releases", [release]), schema_version="1.1",
            lib_cove_ocds_config=_config(),
        )
    problems = {(e["type"], e["field"]) for e in result["validation_errors"]}
    assert ("required", "releases") in problems
    assert ("number", "releases/awards/value/amount") in problems
