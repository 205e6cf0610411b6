"""``participa content check`` for the information-request files (registered when imported)."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.content import checks
from bot.content.files import ContentError, content_dir
from bot.inforequests import bodies, deadlines, draft

# Every message the flow formats, with the values it passes: a typo in a {llave} fails here.
MESSAGE_VALUES: dict[str, dict[str, object]] = {
    "intro": {"body": "x"}, "request": {"body": "x", "subject": "x", "period": "x"},
    "request_no_body": {"subject": "x", "period": "x"}, "where_title": {}, "no_url": {},
    "unverified": {"text": "x"}, "no_reason": {}, "deadline": {}, "check_public": {},
    "no_contact": {"body": "x"}, "sources": {"sources": "x"}, "ask_body": {}, "not_held": {},
    "which_body": {},
    "body_unknown": {"text": "x"}, "ask_subject": {"body": "x"}, "ask_subject_any": {},
    "subject_help": {}, "subject_too_long": {"limit": 1}, "cancelled": {},
    "period_default": {"year": 1}, "period_year": {"year": 1}, "period_years": {"first": 1, "last": 2},
    "subject_generic": {"text": "x"}, "subject_salary": {"who": "x"}, "subject_spending": {"question": "x"},
    "subject_count": {"question": "x"}, "unknown_body": {},
    "after_draft": {}, "ask_folio": {}, "ask_date": {}, "bad_date": {}, "ask_filing_body": {},
    "deadline_reply": {"folio": "x", "body": "x", "filed": "x", "due": "x", "days": 1, "extended": "x"},
    "no_published_days": {}, "deadline_source": {"source": "x"}, "notice": {}, "notice_terminal": {},
    "save_yes": {},
    "save_no": {}, "saved": {}, "not_saved": {"due": "x"}, "save_failed": {"due": "x"},
    "mine_none": {}, "mine_title": {}, "list_failed": {},
    "mine_item": {"folio": "x", "body": "x", "filed": "x", "due": "x", "extended": "x"},
    "mine_late": {}, "reminder": {"folio": "x", "body": "x", "due": "x"}, "answer_yes": {}, "answer_no": {},
    "ask_complete": {}, "complete_yes": {}, "complete_no": {}, "answered_ok": {}, "recurso_intro": {},
    "recurso": {"folio": "x", "filed": "x", "body": "x", "cause": "x"}, "cause_none": {"due": "x"},
    "cause_incomplete": {}, "recurso_notes": {}, "recurso_sources": {"sources": "x"},
}


@checks.register(bodies.FILE)
def check_bodies(directory: Path | None = None) -> list[str]:
    return checks.problems_loading(bodies.load_bodies, directory)


@checks.register(deadlines.FILE)
def check_non_working_days(directory: Path | None = None) -> list[str]:
    return checks.problems_loading(deadlines.load_non_working, directory)


@checks.register(draft.FILE)
def check_messages(directory: Path | None = None) -> list[str]:
    path = (directory or content_dir()) / draft.FILE
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
        found = draft.Messages.model_validate(data).messages
    except (OSError, yaml.YAMLError, ValueError, ContentError) as exc:
        return [f"{draft.FILE}: {exc}"]
    problems = [f"{draft.FILE}: falta el mensaje {key}" for key in MESSAGE_VALUES if key not in found]
    for key, values in MESSAGE_VALUES.items():
        if key in found:
            try:
                found[key].format(**values)
            except (KeyError, IndexError, ValueError) as exc:
                problems.append(f"{draft.FILE}: el mensaje {key} usa una llave desconocida: {exc}")
    return problems
