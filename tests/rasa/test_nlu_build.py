"""Rasa's training data and responses are generated from content/, nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from bot.config import get_settings
from bot.content.faq import load_faq
from bot.content.render import render_answer
from bot.rasa.nlu_build import build
from bot.rasa.training import model_hash


def test_every_entry_becomes_a_retrieval_intent_and_a_response(tmp_path: Path) -> None:
    settings = get_settings()
    nlu = tmp_path / "nlu"
    build(settings.content_dir, nlu)
    data = yaml.safe_load((nlu / "data" / "generated" / "faq.yml").read_text("utf-8"))
    domain = yaml.safe_load((nlu / "domain" / "generated" / "responses.yml").read_text("utf-8"))
    catalog = load_faq(settings.content_dir)
    intents = {item["intent"] for item in data["nlu"]}
    assert intents == {f"faq/{e.id}" for e in catalog.entries}
    for entry in catalog.entries:
        assert domain["responses"][f"utter_faq/{entry.id}"][0]["text"] == render_answer(entry)
    assert domain["responses"]["utter_greet"][0]["buttons"], "the greeting shows the menu"


def test_model_hash_changes_when_training_data_changes(tmp_path: Path) -> None:
    settings = get_settings()
    nlu = tmp_path / "nlu"
    shutil.copytree(settings.nlu_dir, nlu, ignore=shutil.ignore_patterns("results"))
    before = model_hash(nlu)
    assert model_hash(nlu) == before
    with open(nlu / "data" / "chitchat.yml", "a", encoding="utf-8") as handle:
        handle.write("\n# a change\n")
    assert model_hash(nlu) != before
