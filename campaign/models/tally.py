"""Counts of confirmed signatures, kept by the fold (campaign.metrics.tally), never by the sign request.

Only the fold writes here, in batches, so signing never contends on a shared row; reading a count
is a primary-key look-up.
"""

from datetime import date, datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from campaign.extensions import db
from campaign.models.base import utcnow


class PetitionTally(db.Model):
    __tablename__ = "petition_tallies"

    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), primary_key=True)
    confirmed: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DailyTally(db.Model):
    __tablename__ = "daily_tallies"

    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    confirmed: Mapped[int] = mapped_column(default=0)


class RecentTally(db.Model):
    """Confirmed signatures per petition and minute of confirmation, for the last two hours only:
    "312 mensen tekenden het afgelopen uur" without counting signature rows on a request. The fold
    adds to it and drops rows older than RECENT_KEEP (campaign.metrics.recent)."""

    __tablename__ = "recent_tallies"

    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), primary_key=True)
    minute: Mapped[datetime] = mapped_column(primary_key=True)  # UTC, seconds cut off
    confirmed: Mapped[int] = mapped_column(default=0)


class RegionTally(db.Model):
    __tablename__ = "region_tallies"

    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), primary_key=True)
    region: Mapped[str] = mapped_column(db.String(8), primary_key=True)  # NL-UT, or a country code
    confirmed: Mapped[int] = mapped_column(default=0)


class MetricTotal(db.Model):
    """Figures that need a scan of the signatures (distinct supporters), computed by the
    reconciliation job off the request path and read here by key."""

    __tablename__ = "metric_totals"

    key: Mapped[str] = mapped_column(db.String(32), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
