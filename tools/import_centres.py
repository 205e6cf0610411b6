"""One-off import: ../shared/data/violence/*.csv -> content/centres.yml.

content/centres.yml is the source of truth once written: the STL edits it by hand. Run this again
only to start over from the shared data (it overwrites the file). Shelters are never imported.

Usage: .venv/bin/python tools/import_centres.py [--shared ../shared/data/violence] [--checked 2026-11-21]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.content.municipalities import load_index  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MAP_URL = (
    "https://github.com/DanielRG4/mapaunidas/blob/a6d2158dae12bef91435175d43c2cc5b599ccfc3/integrar.js"
)
MAP_TITLE = "Mapa «Directorio UNIDAS» (no oficial), julio de 2024"
OLD_TITLE = "Directorio de CJM anterior a agosto de 2019 (no oficial)"

NAMES = {
    "AMECAMECA CIUDAD MUJERES": "Ciudad Mujeres Amecameca",
    "AMECAMECA CJM": "Centro de Justicia para las Mujeres Amecameca",
    "ATIZAPAN SANTA CRUZ": "UNIDAS Santa Cruz Atizapán",
    "CHIMALHUACAN MERCADO": "UNIDAS Chimalhuacán (Mercado)",
    "CHIMALHUACAN UEPAVYG": "UNIDAS Chimalhuacán (UEPAVYG)",
    "CUAUTITLAN CJM 24X 48": "Centro de Justicia para las Mujeres Cuautitlán Izcalli",
    "ECATEPEC CAIM": "UNIDAS Ecatepec (CAIM)",
    "ECATEPEC CJM": "Centro de Justicia para las Mujeres Ecatepec",
    "ECATEPEC UNIDAD": "UNIDAS Ecatepec (Unidad)",
    "LA PAZ CIUDAD MUJERES": "Ciudad Mujeres La Paz",
    "NEZAHUALCOYOTL 24X48": "UNIDAS Nezahualcóyotl (turnos 24x48)",
    "PUERTA VIOLETA": "Puerta Violeta Nicolás Romero",
    "SAN MATEO ATENCO CIUDAD MUJERES": "Ciudad Mujeres San Mateo Atenco",
    "TLALNEPANTLA C4": "UNIDAS Tlalnepantla (C4)",
    "TLALNEPANTLA COMISARIA": "UNIDAS Tlalnepantla (Comisaría)",
    "TOLUCA CJM 24X48": "Centro de Justicia para las Mujeres Toluca",
    "TOLUCA HIDALGO": "UNIDAS Toluca (Hidalgo)",
    "ACAMBAY": "UNIDAS Acambay",
}
KINDS = {
    "UNIDAS": "unidas",
    "Centro de Justicia para las Mujeres (sede UNIDAS)": "cjm",
    "Ciudad Mujeres (sede UNIDAS)": "ciudad_mujeres",
    "Puerta Violeta (sede UNIDAS)": "puerta_violeta",
}
SERVES_FIX = {"atizapan santa cruz": "Atizapán", "toluca de lerdo": "Toluca"}


def hours(raw: str) -> str:
    match = re.match(r"^(\d\d):(\d\d) a (\d\d):(\d\d)", raw.strip())
    if match:
        h1, m1, h2, m2 = match.groups()
        return f"{int(h1)}:{m1} a {int(h2)}:{m2} h (la fuente no dice qué días)"
    if "24" in raw and "48" in raw:
        return "turnos de 24 x 48 horas, según la fuente (confirma el horario por teléfono)"
    return raw.strip()


def phones(raw: str) -> list[str]:
    """'01 (722) 283 2007 01 (55) …' -> ['722 283 2007', …] (the 01 prefix was dropped in 2019)."""
    out = []
    area = ""
    for match in re.finditer(r"(?:01 )?(?:\((\d{2,3})\) )?(\d{3,4} \d{4})", raw):
        area = match.group(1) or area
        digits = (area + match.group(2).replace(" ", ""))
        if len(digits) == 10:
            out.append(f"{digits[:-7]} {digits[-7:-4]} {digits[-4:]}" if len(area) == 3
                       else f"{digits[:2]} {digits[2:6]} {digits[6:]}")
    return out


def q(value: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data" / "violence")
    parser.add_argument("--checked", default="2026-11-21")
    args = parser.parse_args()
    index = load_index(ROOT / "content")
    by_name = {m.name: m for m in index.municipalities}
    with open(args.shared / "edomex_cjm.csv", encoding="utf-8") as handle:
        cjm = {r["unidas_id"]: r for r in csv.DictReader(handle)}
    with open(args.shared / "edomex_unidas_semujeres_2024.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    out: list[str] = []
    for row in rows:
        label = row["nombre_fuente"].strip()
        municipality = by_name[row["nom_mun_derivado"].replace(" (solo por el nombre)", "").strip()]
        name = NAMES.get(label, f"UNIDAS {municipality.name}")
        serves: list[str] = []
        for part in re.split(r"[,.]", row["municipios_atiende_fuente"]):
            part = re.sub(r"\((por cierre)\)|\bCJM\b", "", part).strip()
            if not part:
                continue
            part = SERVES_FIX.get(part.lower(), part)
            found = by_name.get(part) or index.match(part).best
            if found is None:
                print(f"{row['id']}: no reconozco {part!r}", file=sys.stderr)
                continue
            if found.code not in serves:
                serves.append(found.code)
        if municipality.code not in serves:
            serves.insert(0, municipality.code)
        extra = cjm.get(row["id"])
        lines = [
            f"- id: {row['id']}",
            f"  name: {q(name)}",
            f"  kind: {KINDS[row['tipo_derivado']]}",
            f"  municipality: \"{municipality.code}\"  # {municipality.name}",
            f"  serves: [{', '.join(q(c) for c in serves)}]",
            f"  address: {q(' '.join(row['direccion_fuente'].split()))}",
            f"  hours: {q(hours(row['horario_fuente']))}",
        ]
        numbers = phones(extra["telefono_pre2019"]) if extra and extra["telefono_pre2019"] else []
        if numbers:
            lines.append(f"  phones: [{', '.join(q(n) for n in numbers)}]")
            lines.append(
                "  phone_note: \"dato de un directorio anterior a 2019, sin el 01 que ya no se marca;"
                " puede haber cambiado\""
            )
        lines += [f"  lat: {float(row['lat']):.6f}", f"  lon: {float(row['lon']):.6f}"]
        if extra and extra["direccion_pre2019"] and "no resuelto" in extra["notas"]:
            old = " ".join(extra["direccion_pre2019"].split())
            lines.append(
                f"  note: {q(f'Una fuente más antigua da otra dirección: {old}. Confírmala antes de ir.')}"
            )
        lines += ["  sources:", f"    - title: {q(MAP_TITLE)}", f"      ref: {MAP_URL}"]
        if extra and extra["fuente_pre2019"]:
            lines += [f"    - title: {q(OLD_TITLE)}", f"      ref: {extra['fuente_pre2019']}"]
        lines += ["  source_date: 2024-07-08", f"  checked: {args.checked}"]
        out.append("\n".join(lines))
    target = ROOT / "content" / "centres.yml"
    header = target.read_text("utf-8").split("centres:\n", 1)[0] if target.exists() else "centres:\n"
    target.write_text(header + "centres:\n" + "\n\n".join(out) + "\n", encoding="utf-8")
    print(f"escrito {target} ({len(out)} centros)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
