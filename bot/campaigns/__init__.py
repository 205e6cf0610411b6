"""News for subscribers: subscriptions, campaigns, the broadcast sender; ``participa campaign``."""
