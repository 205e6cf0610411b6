"""Custom Rasa actions (rasa-sdk on Python 3.11): thin adapters over ``bot.services``."""

from actions.faq import ActionAnswerFaq, ActionFallbackTopics, ActionShowTopics

__all__ = ["ActionAnswerFaq", "ActionFallbackTopics", "ActionShowTopics"]
