"""Public procurement (OCDS / EDCA-MX): loading, search, flags; ``participa procurement``."""
