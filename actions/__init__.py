"""Custom Rasa actions (rasa-sdk on Python 3.11): thin adapters over the bot's domains."""

from actions import faq, procurement, proposal_form, proposals, violence

__all__ = ["faq", "procurement", "proposal_form", "proposals", "violence"]
