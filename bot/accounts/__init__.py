"""Web accounts of the STL: roles, passwords, sessions, the audit log; ``participa reviewer``."""
