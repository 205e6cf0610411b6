"""Known vulnerabilities in the installed dependencies (pip-audit), for `make lint` and CI.

    python tools/audit_dependencies.py                       # .venv: fails on a vulnerability
    python tools/audit_dependencies.py --venv .venv-rasa --report-only

pip-audit asks PyPI's vulnerability API about each installed version. Its own exit code
says "no vulnerabilities" even when it could audit nothing (say the API did not answer), so
this wrapper counts what was really audited and says so. A vulnerability that cannot be fixed
yet goes in tools/pip-audit-ignore.txt with its reason (one ``ID reason`` a line).

Exit codes: 0 clean (or report only), 1 vulnerabilities found, 2 nothing could be audited
and ``--strict`` was given.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORE_FILE = ROOT / "tools" / "pip-audit-ignore.txt"


def ignored(path: Path = IGNORE_FILE) -> dict[str, str]:
    """Vulnerability id → why it is accepted for now."""
    result: dict[str, str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                vuln_id, _, reason = line.partition(" ")
                result[vuln_id] = reason.strip()
    return result


def site_packages(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python*/site-packages"))
    if not found:
        raise SystemExit(f"No encontré site-packages en {venv}")
    return found[0]


def audit(venv: Path | None, accepted: dict[str, str]) -> dict[str, object]:
    command = [sys.executable, "-m", "pip_audit", "--format", "json", "--progress-spinner", "off",
               "--skip-editable"]
    if venv is not None:
        command += ["--path", str(site_packages(venv))]
    for vuln_id in accepted:
        command += ["--ignore-vuln", vuln_id]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        report: dict[str, object] = json.loads(done.stdout)
    except json.JSONDecodeError:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"pip-audit falló (código {done.returncode})") from None
    return report


def summarise(report: dict[str, object], where: str, accepted: dict[str, str], report_only: bool,
              strict: bool) -> tuple[list[str], int]:
    """Lines to print and the exit code for a pip-audit JSON report."""
    dependencies = [d for d in report.get("dependencies", []) if isinstance(d, dict)]  # type: ignore[union-attr]
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    lines = [f"{where}: {len(audited)} de {len(dependencies)} paquetes auditados; "
             f"{len(vulnerable)} con vulnerabilidades conocidas; {len(accepted)} aceptadas con razón."]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "sin versión corregida"
            lines.append(f"  ✗ {dep['name']} {dep['version']}: {vuln['id']} (corregida en: {fixes})")
    if dependencies and not audited:
        lines.append("  ⚠ No se pudo auditar ningún paquete: el servicio de vulnerabilidades de PyPI no "
                     "respondió por versión (¿sin acceso a https://pypi.org/pypi/<paquete>/<versión>/json?).")
        return lines, 2 if strict else 0
    return lines, 1 if vulnerable and not report_only else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, help="otro entorno (p. ej. .venv-rasa); por omisión, este")
    parser.add_argument("--report-only", action="store_true", help="informar sin fallar")
    parser.add_argument("--strict", action="store_true", help="fallar si no se pudo auditar nada")
    args = parser.parse_args(argv)
    accepted = ignored()
    report = audit(args.venv, accepted)
    lines, code = summarise(report, str(args.venv or Path(sys.prefix).name), accepted,
                            args.report_only, args.strict)
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    raise SystemExit(main())
