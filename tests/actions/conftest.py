"""Actions run against JSON trackers (fixtures/*.json), as RasaHQ/financial-demo tests them.

Each fixture is the tracker Rasa would send the action server for one moment of a
conversation; the tests assert what the action dispatches and the events it returns.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

FIXTURES = Path(__file__).parent / "fixtures"


def load_tracker(name: str) -> Tracker:
    return Tracker.from_dict(json.loads((FIXTURES / f"{name}.json").read_text("utf-8")))


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def domain() -> dict[str, Any]:
    return {}
