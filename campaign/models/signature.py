from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, UniqueConstraint, and_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.extensions import db
from campaign.models.base import BigId, utcnow


class SignatureStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    INVALIDATED = "invalidated"
    WITHDRAWN = "withdrawn"


class SupporterMail(StrEnum):
    """The mail a supporter is owed; the signature row is its outbox."""

    CONFIRM = "confirm"  # please confirm your signature
    ALREADY_SIGNED = "already_signed"  # someone (you?) signed again with this address


class Signature(db.Model):
    __tablename__ = "signatures"
    __table_args__ = (
        # One signature per petition and normalised address: the database decides, not a look-up.
        UniqueConstraint("petition_id", "email_normalised", name="uq_signatures_petition_email"),
        # The count fold looks for rows whose counted state differs from what it should be.
        Index("ix_signatures_counted_status", "counted", "status"),
        Index("ix_signatures_petition_status", "petition_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id"))
    name: Mapped[str] = mapped_column(db.String(200))
    email: Mapped[str] = mapped_column(db.String(320))  # as typed
    email_normalised: Mapped[str] = mapped_column(db.String(320))
    postcode: Mapped[str] = mapped_column(db.String(16), default="")
    country: Mapped[str] = mapped_column(db.String(2), default="NL")
    # Derived once from postcode and country: an NL province code (NL-UT) or the country code.
    # Kept after anonymisation so the rollups can still be reconciled.
    region: Mapped[str] = mapped_column(db.String(8), default="")
    consent_version: Mapped[str] = mapped_column(db.String(32))
    consent_at: Mapped[datetime] = mapped_column(default=utcnow)
    newsletter: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str] = mapped_column(db.String(8), default="nl")
    # Where the supporter came from (?bron= or utm_source on the petition link), as typed, cut short.
    source: Mapped[str] = mapped_column(db.String(64), default="", server_default="")
    # For the letter to the targets: an optional personal message, and whether they may reply directly.
    message: Mapped[str] = mapped_column(db.Text, default="")
    reply_to_me: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(db.String(16), default=SignatureStatus.PENDING)
    token: Mapped[str] = mapped_column(db.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    confirmed_on: Mapped[date | None]  # the day in Europe/Amsterdam, for the daily rollup
    # Whether this row is included in the tallies; the fold flips it (see campaign.metrics.tally).
    counted: Mapped[bool] = mapped_column(default=False)
    # Outbox for mail to the supporter: what is owed, since when, and how many were sent.
    mail_due: Mapped[str | None] = mapped_column(db.String(16))
    mail_due_at: Mapped[datetime | None] = mapped_column(index=True)
    mails_sent: Mapped[int] = mapped_column(default=0)
    # Tries of the mail owed now (a claim counts one), and why the last one failed. A permanent
    # failure, or the last allowed try, clears mail_due and sets mail_failed_at (shown in the studio).
    mail_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    mail_error: Mapped[str | None] = mapped_column(db.String(500))
    mail_failed_at: Mapped[datetime | None]
    # Abuse: why the signature is held back from the counts (None: not flagged), and a keyed hash of
    # the IP it came from (never the IP itself). See campaign.abuse.
    flag: Mapped[str | None] = mapped_column(db.String(32))
    ip_hash: Mapped[str | None] = mapped_column(db.String(64))
    # When the personal data was wiped (withdrawal, erasure or retention); region and day stay.
    anonymised_at: Mapped[datetime | None]
    # Any change to the row (also by Core UPDATEs): the API's modified_date filter for incremental sync.
    modified_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    petition = relationship("Petition")

    @hybrid_property
    def counts(self) -> bool:
        """Only confirmed, valid signatures count and reach officials; flagged ones wait for review."""
        return self.status == SignatureStatus.CONFIRMED and self.flag is None

    @counts.inplace.expression
    @classmethod
    def _counts_expression(cls):
        return and_(cls.status == SignatureStatus.CONFIRMED, cls.flag.is_(None))
