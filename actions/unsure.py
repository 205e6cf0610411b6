"""What the bot says when the model is unsure: a real answer when one is clearly best.

The response selector ranks the FAQ answers by what it learnt; BM25 (:mod:`bot.content.retrieval`)
ranks them by the words of every answer and its examples. When both agree, or BM25's best is well
ahead of the rest, that answer is given. Otherwise a question about figures the bot does not hold
("¿cuánto gastó…?") gets the information-request reply (actions/data_request.py), and anything
else the three entries closest by both rankings, as buttons, so the menu differs every time.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.data_request import data_request_reply
from actions.faq_buttons import faq_button, menu_button
from bot.content.chat import chat_content
from bot.content.faq import faq_catalog
from bot.content.render import answer_buttons, render_answer
from bot.content.retrieval import Hit, faq_index, is_data_question

MAX_SUGGESTIONS = 3
# BM25 alone answers when its best score is at least MIN_SCORE and MARGIN times the second's.
MIN_SCORE = 6.0
MARGIN = 1.5
# With the selector's first choice agreeing, a lower BM25 score is enough.
MIN_AGREED_SCORE = 3.0
# Reciprocal-rank fusion constant for the suggestions.
RRF_K = 3


def selector_ranking(latest_message: dict[str, Any]) -> list[tuple[str, float]]:
    """FAQ ids ranked by the response selector, best first."""
    selector = (latest_message.get("response_selector") or {}).get("faq") or {}
    ranked: list[tuple[str, float]] = []
    for item in selector.get("ranking") or []:
        key = item.get("intent_response_key") or ""
        if key.startswith("faq/"):
            ranked.append((key.removeprefix("faq/"), float(item.get("confidence") or 0.0)))
    return ranked


def clear_choice(selector: list[tuple[str, float]], hits: list[Hit]) -> str | None:
    """The FAQ id to answer with, when one entry is clearly best; else None."""
    if not hits:
        return None
    best = hits[0]
    second = hits[1].score if len(hits) > 1 else 0.0
    if selector and selector[0][0] == best.faq_id and best.score >= MIN_AGREED_SCORE:
        return best.faq_id
    if best.score >= MIN_SCORE and best.score >= MARGIN * second:
        return best.faq_id
    return None


def closest(selector: list[tuple[str, float]], hits: list[Hit], limit: int = MAX_SUGGESTIONS) -> list[str]:
    """The entries nearest by both rankings (reciprocal-rank fusion), best first."""
    scores: dict[str, float] = {}
    for ranking in ([faq_id for faq_id, _c in selector], [h.faq_id for h in hits]):
        for rank, faq_id in enumerate(ranking[:10]):
            scores[faq_id] = scores.get(faq_id, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores, key=lambda k: scores[k], reverse=True)[:limit]


def reply_when_unsure(dispatcher: CollectingDispatcher, latest_message: dict[str, Any]) -> str:
    """Answer, send the data-request reply or offer the closest entries; say which ("answer:<id>",
    "data_request" or "suggest")."""
    text = str(latest_message.get("text") or "")
    selector = selector_ranking(latest_message)
    hits = faq_index().rank(text)
    entries = faq_catalog().by_id()
    choice = clear_choice(selector, hits)
    if choice is not None and choice in entries:
        dispatcher.utter_message(
            text=render_answer(entries[choice]), buttons=answer_buttons(entries[choice])
        )
        return f"answer:{choice}"
    if is_data_question(text):
        data_request_reply(dispatcher)
        return "data_request"
    buttons = [b for faq_id in closest(selector, hits) if (b := faq_button(faq_id))]
    buttons.append(menu_button())
    dispatcher.utter_message(text=chat_content().core_text("not_sure"), buttons=buttons)
    return "suggest"
