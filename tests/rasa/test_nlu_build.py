"""Rasa's training data and responses are generated from content/, nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from bot.config import get_settings
from bot.content.faq import load_faq
from bot.rasa.nlu_build import build, faq_response_stub
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
        # Key only: the answer text is rendered from content/ by actions/faq.py at reply time.
        assert domain["responses"][f"utter_faq/{entry.id}"][0]["text"] == faq_response_stub(entry.id)
        assert entry.answer[:30] not in domain["responses"][f"utter_faq/{entry.id}"][0]["text"]
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


def _copy_project(tmp_path: Path) -> tuple[Path, Path]:
    settings = get_settings()
    content, nlu = tmp_path / "content", tmp_path / "nlu"
    shutil.copytree(settings.content_dir, content)
    shutil.copytree(settings.nlu_dir, nlu, ignore=shutil.ignore_patterns("results", "generated"))
    build(content, nlu)
    return content, nlu


def test_editing_an_answer_text_keeps_the_model_hash(tmp_path: Path) -> None:
    """Fixing a phone number or a date in an answer must not force a 7-minute retrain."""
    content, nlu = _copy_project(tmp_path)
    before = model_hash(nlu)
    faq_file = content / "faq" / "gobierno_abierto.yml"
    text = faq_file.read_text("utf-8")
    edited = text.replace(
        "El gobierno abierto es una forma de gobernar", "El gobierno abierto es un modo de gobernar", 1
    )
    assert edited != text
    faq_file.write_text(edited, "utf-8")
    build(content, nlu)
    assert "un modo de gobernar" in load_faq(content).by_id()["que_es_gobierno_abierto"].answer
    assert model_hash(nlu) == before


def test_editing_an_example_changes_the_model_hash(tmp_path: Path) -> None:
    content, nlu = _copy_project(tmp_path)
    before = model_hash(nlu)
    examples = content / "faq" / "examples" / "gobierno_abierto.yml"
    text = examples.read_text("utf-8")
    edited = text.replace(
        "  - definicion de gobierno abierto\n", "  - definicion del gobierno abierto por favor\n", 1
    )
    assert edited != text
    examples.write_text(edited, "utf-8")
    build(content, nlu)
    assert model_hash(nlu) != before
