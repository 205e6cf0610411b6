"""Custom Rasa actions (rasa-sdk on Python 3.11): thin adapters over the bot's domains."""

from actions import data_request, faq, procurement, proposal_form, proposals, violence

__all__ = ["data_request", "faq", "procurement", "proposal_form", "proposals", "violence"]
