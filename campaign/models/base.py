"""Small shared helpers: 64-bit ids, the time we store (naive UTC), the organisation's time zone."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, Integer

# The Dutch section's local time: days in the figures, digest periods, what campaigners type and read.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# 64-bit ids on PostgreSQL; SQLite needs INTEGER PRIMARY KEY to alias its rowid.
BigId = BigInteger().with_variant(Integer, "sqlite")


def utcnow() -> datetime:
    """Naive UTC: what we store everywhere (SQLite keeps no time zone)."""
    return datetime.now(UTC).replace(tzinfo=None)


def amsterdam_day(moment: datetime) -> date:
    """The day in the Netherlands at `moment` (naive UTC): how figures and periods count days."""
    return moment.replace(tzinfo=UTC).astimezone(AMSTERDAM).date()


def amsterdam_midnight(day: date) -> datetime:
    """Midnight at the start of `day` in the Netherlands, as naive UTC (how times are stored)."""
    return datetime.combine(day, time.min, tzinfo=AMSTERDAM).astimezone(UTC).replace(tzinfo=None)
