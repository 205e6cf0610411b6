"""SQLAlchemy 2 models, one module per domain; Alembic migrations in ``../migrations`` create them.

Import every model module here so ``Base.metadata`` knows all tables.
"""

from bot.storage.models.accounts import (
    AuditEvent,
    LoginAttempt,
    WebAccount,
    WebSession,
)
from bot.storage.models.attention import AttentionMessage, AttentionRequest
from bot.storage.models.base import Base
from bot.storage.models.campaigns import (
    BroadcastSender,
    Campaign,
    Delivery,
    Subscriber,
    SubscriptionTopic,
)
from bot.storage.models.conversation import OfferedChoice
from bot.storage.models.inforequests import InfoRequest, InfoRequestPending
from bot.storage.models.privacy import Consent
from bot.storage.models.procurement import (
    ProcurementContract,
    ProcurementFollow,
    ProcurementFollowAlert,
    ProcurementParty,
    ProcurementProcess,
    ProcurementQuery,
    ProcurementRelease,
)
from bot.storage.models.proposals import (
    Adhesion,
    ClusterSuggestion,
    ClusterSuggestionMember,
    Commitment,
    CommitmentProposal,
    Notification,
    Proposal,
    ProposalContact,
    ProposalFollower,
    ProposalGroup,
    ProposalGroupMember,
    ProposalNote,
    StatusChange,
)
from bot.storage.models.telegram import TelegramBlockedChat, TelegramDeepLink
from bot.storage.models.usage import UsageDaily

__all__ = [
    "Adhesion",
    "AttentionMessage",
    "AttentionRequest",
    "AuditEvent",
    "Base",
    "BroadcastSender",
    "Campaign",
    "ClusterSuggestion",
    "ClusterSuggestionMember",
    "Commitment",
    "CommitmentProposal",
    "Consent",
    "Delivery",
    "InfoRequest",
    "InfoRequestPending",
    "LoginAttempt",
    "Notification",
    "OfferedChoice",
    "ProcurementContract",
    "ProcurementFollow",
    "ProcurementFollowAlert",
    "ProcurementParty",
    "ProcurementProcess",
    "ProcurementQuery",
    "ProcurementRelease",
    "Proposal",
    "ProposalContact",
    "ProposalFollower",
    "ProposalGroup",
    "ProposalGroupMember",
    "ProposalNote",
    "StatusChange",
    "Subscriber",
    "SubscriptionTopic",
    "TelegramBlockedChat",
    "TelegramDeepLink",
    "UsageDaily",
    "WebAccount",
    "WebSession",
]
