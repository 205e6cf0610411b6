"""The Rasa speed-up patch (nlu/channels/rasa_speedups.py) still applies to the pinned Rasa.

If a Rasa upgrade moves what it patches, the server only logs a warning and runs slower; this
test is what fails instead.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from bot.config import PROJECT_ROOT, get_settings

SCRIPT = """
import json, sys
sys.path.insert(0, "nlu")
from channels import rasa_speedups
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
applied = rasa_speedups.apply()
action = RemoteAction("action_x", None)
good = action._validate_action_result({"events": [], "responses": []})
try:
    action._validate_action_result({"events": "no es una lista"})
    refused = False
except ValidationError as exc:
    refused = "Failed to validate Action server response" in exc.message
print(json.dumps({"applied": applied, "patched": RemoteAction._validate_action_result.__module__,
                  "good": good, "refused": refused}))
"""


def test_the_speedup_patch_applies_and_validates_like_rasa() -> None:
    python = get_settings().rasa_venv / "bin" / "python"
    if not python.exists():
        pytest.skip(".venv-rasa no existe (make setup)")
    done = subprocess.run([str(python), "-W", "ignore", "-c", SCRIPT], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"applied": True, "patched": "channels.rasa_speedups", "good": True, "refused": True}
