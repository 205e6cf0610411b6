"""Declarative base shared by every model module, and the stored form of "now"."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


def utcnow() -> dt.datetime:
    """Now in UTC, naive: how every model stores a moment."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
