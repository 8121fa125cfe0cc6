"""Small shared column helpers."""

from datetime import UTC, datetime

from sqlalchemy import BigInteger, Integer

# 64-bit ids on PostgreSQL; SQLite needs INTEGER PRIMARY KEY to alias its rowid.
BigId = BigInteger().with_variant(Integer, "sqlite")


def utcnow() -> datetime:
    """Naive UTC: what we store everywhere (SQLite keeps no time zone)."""
    return datetime.now(UTC).replace(tzinfo=None)
