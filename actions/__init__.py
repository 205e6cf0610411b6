"""Custom Rasa actions (rasa-sdk on Python 3.11): thin adapters over ``bot.services``."""

from actions.faq import ActionAnswerFaq, ActionFallbackTopics, ActionShowTopics
from actions.procurement import (
    ActionDownloadContracts,
    ActionEmergencyContracts,
    ActionMoreContracts,
    ActionProcurementMenu,
    ActionSearchContracts,
)

__all__ = [
    "ActionAnswerFaq",
    "ActionDownloadContracts",
    "ActionEmergencyContracts",
    "ActionFallbackTopics",
    "ActionMoreContracts",
    "ActionProcurementMenu",
    "ActionSearchContracts",
    "ActionShowTopics",
]
