"""No state's name lives in the code: it comes from content/place.yml or the settings.

Deploying for another state must change content/ and .env only (README, «Desplegar para otro
estado»). This greps the code and the web templates for words of Estado de México.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.config import PROJECT_ROOT

WORDS = re.compile(
    r"estado de m[eé]xico|edomex|mexiquense|infoem|toluca|ecatepec|nezahualc|saimex|ipomex"
    r"|mexico_city|centro de m[eé]xico|\b125 municipios",
    re.IGNORECASE,
)
# (file, word) pairs that may stay, and why.
ALLOWED = {
    ("bot/config.py", "mexico_city"),  # PARTICIPA_TIMEZONE's default: a setting, changed in .env
}
SCANNED = ["bot/**/*.py", "bot/web/templates/**/*.html", "bot/web/static/**/*.css",
           "actions/**/*.py", "nlu/components/**/*.py", "nlu/channels/**/*.py",
           "nlu/tracker_stores/**/*.py", "pyproject.toml", "Makefile", "Dockerfile"]


def found_words(root: Path) -> list[str]:
    hits = []
    for pattern in SCANNED:
        for path in sorted(root.glob(pattern)):
            relative = path.relative_to(root).as_posix()
            for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
                for match in WORDS.finditer(line):
                    if (relative, match.group(0).lower()) not in ALLOWED:
                        hits.append(f"{relative}:{number}: {match.group(0)}")
    return hits


def test_no_state_words_in_code_or_templates() -> None:
    assert found_words(PROJECT_ROOT) == [], "muévelo a content/place.yml o a un ajuste"


def test_the_scan_would_catch_one(tmp_path: Path) -> None:
    (tmp_path / "bot" / "web" / "templates").mkdir(parents=True)
    (tmp_path / "bot" / "x.py").write_text('HELP = "bot del Estado de Mexico"\n', "utf-8")
    (tmp_path / "bot" / "web" / "templates" / "a.html").write_text("<p>INFOEM, Toluca</p>\n", "utf-8")
    (tmp_path / "bot" / "config.py").write_text('TZ = "America/Mexico_City"\n', "utf-8")
    assert found_words(tmp_path) == ["bot/x.py:1: Estado de Mexico",
                                     "bot/web/templates/a.html:1: INFOEM",
                                     "bot/web/templates/a.html:1: Toluca"]
