"""Generate Rasa training data and responses from ``content/``.

``content/`` is the single source of truth; the generated files under
``nlu/data/generated`` and ``nlu/domain/generated`` are never edited by hand.

FAQ answers enter the domain by key only (a stub text): the actions render the answer from
``content/`` at reply time, so editing an answer's wording does not change the model hash and
does not force a retrain. Examples, keys and config still do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.content.chat import ChatContent, load_chat
from bot.content.faq import FaqCatalog, load_faq

HEADER = "# Generado por `participa nlu build` desde content/. No lo edites: edita content/.\n"


class _Literal(str):
    """A string dumped in YAML block style, so generated files stay readable."""


def _literal_representer(dumper: yaml.SafeDumper, data: _Literal) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style="|")


yaml.SafeDumper.add_representer(_Literal, _literal_representer)


def _dump(data: Any) -> str:
    return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def faq_training_data(catalog: FaqCatalog) -> dict[str, Any]:
    return {
        "version": "3.1",
        "nlu": [
            {
                "intent": f"faq/{entry.id}",
                "examples": _Literal("".join(f"- {q.strip()}\n" for q in entry.examples)),
            }
            for entry in catalog.entries
        ],
    }


def _menu_buttons(chat: ChatContent) -> list[dict[str, str]]:
    return [{"title": b.title, "payload": b.payload} for b in chat.menu.buttons]


def faq_response_stub(faq_id: str) -> str:
    """The domain's text for one FAQ answer: its key only (actions/faq.py renders the answer)."""
    return f"faq/{faq_id}"


def domain_responses(catalog: FaqCatalog, chat: ChatContent) -> dict[str, Any]:
    responses: dict[str, list[dict[str, Any]]] = {}
    for entry in catalog.entries:
        responses[f"utter_faq/{entry.id}"] = [{"text": faq_response_stub(entry.id)}]
    for name, variants in chat.responses.items():
        rendered = []
        for variant in variants:
            item: dict[str, Any] = {"text": variant.text.replace("{menu}", chat.menu.text).strip()}
            if variant.menu:
                item["buttons"] = _menu_buttons(chat)
            if variant.custom:
                item["custom"] = variant.custom
            rendered.append(item)
        responses[name] = rendered
    return {"version": "3.1", "responses": responses}


def build(content: Path, nlu: Path) -> list[Path]:
    """Write the generated files; return their paths."""
    catalog = load_faq(content)
    chat = load_chat(content)
    outputs = {
        nlu / "data" / "generated" / "faq.yml": _dump(faq_training_data(catalog)),
        nlu / "domain" / "generated" / "responses.yml": _dump(domain_responses(catalog, chat)),
    }
    for path, text in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return list(outputs)
