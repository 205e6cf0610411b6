"""tools/audit_dependencies.py: honest about what pip-audit could and could not audit."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def load() -> ModuleType:
    path = ROOT / "tools" / "audit_dependencies.py"
    spec = importlib.util.spec_from_file_location("audit_dependencies", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Shaped like `pip-audit --format json` (pip-audit 2.x).
CLEAN = {"dependencies": [{"name": "httpx", "version": "0.28.1", "vulns": []}], "fixes": []}
VULNERABLE = {"dependencies": [
    {"name": "httpx", "version": "0.28.1", "vulns": []},
    {"name": "jinja2", "version": "2.4.1", "vulns": [
        {"id": "PYSEC-2019-217", "fix_versions": ["2.10.1"], "aliases": [], "description": ""}]},
], "fixes": []}
NOTHING_AUDITED = {"dependencies": [
    {"name": "httpx", "skip_reason": "Dependency not found on PyPI and could not be audited: httpx (0.28.1)"},
], "fixes": []}


def test_a_vulnerability_fails_the_lint_unless_report_only() -> None:
    audit = load()
    lines, code = audit.summarise(VULNERABLE, ".venv", {}, report_only=False, strict=False)
    assert code == 1 and "jinja2 2.4.1: PYSEC-2019-217 (corregida en: 2.10.1)" in "\n".join(lines)
    assert audit.summarise(VULNERABLE, ".venv-rasa", {}, report_only=True, strict=False)[1] == 0


def test_clean_passes_and_says_how_many_were_audited() -> None:
    lines, code = load().summarise(CLEAN, ".venv", {}, report_only=False, strict=False)
    assert code == 0 and lines[0].startswith(".venv: 1 de 1 paquetes auditados")


def test_nothing_audited_is_never_reported_as_clean() -> None:
    audit = load()
    lines, code = audit.summarise(NOTHING_AUDITED, ".venv", {}, report_only=False, strict=False)
    assert code == 0 and "No se pudo auditar ningún paquete" in "\n".join(lines)
    assert audit.summarise(NOTHING_AUDITED, ".venv", {}, report_only=False, strict=True)[1] == 2


def test_accepted_vulnerabilities_need_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "ignore.txt"
    path.write_text("# comment\n\nPYSEC-2019-217 jinja2 only in Rasa's venv; revisit 2027-01\n",
                    encoding="utf-8")
    assert load().ignored(path) == {"PYSEC-2019-217": "jinja2 only in Rasa's venv; revisit 2027-01"}
    assert load().ignored() == {}, "the shipped list starts empty"
