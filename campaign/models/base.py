"""Small shared helpers: 64-bit ids, the time we store (naive UTC), the organisation's time zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, Integer

# The Dutch section's local time: days in the figures, digest periods, what campaigners type and read.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# 64-bit ids on PostgreSQL; SQLite needs INTEGER PRIMARY KEY to alias its rowid.
BigId = BigInteger().with_variant(Integer, "sqlite")


def utcnow() -> datetime:
    """Naive UTC: what we store everywhere (SQLite keeps no time zone)."""
    return datetime.now(UTC).replace(tzinfo=None)
