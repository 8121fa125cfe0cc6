"""Abuse controls a campaigner or admin can change: lists of domains and networks, pause and proof-of-work
switches, and the proof-of-work solutions already used (so none is accepted twice)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from campaign.extensions import db
from campaign.models.base import utcnow


class RuleKind(StrEnum):
    DOMAIN = "domain"  # an email domain, e.g. example.com (punycode, lower case)
    NETWORK = "network"  # an IP range in CIDR notation, e.g. 192.0.2.0/24


class RuleAction(StrEnum):
    ALLOW = "allow"  # never flagged by rate or disposable-domain checks
    BLOCK = "block"  # stored but flagged and not counted


class AbuseRule(db.Model):
    __tablename__ = "abuse_rules"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_abuse_rules_kind_value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(db.String(16))
    value: Mapped[str] = mapped_column(db.String(255))
    action: Mapped[str] = mapped_column(db.String(16))
    note: Mapped[str] = mapped_column(db.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


GLOBAL_SCOPE = "all"


class SigningSwitch(db.Model):
    """Per petition (scope "petition:<id>") or for every petition (scope "all")."""

    __tablename__ = "signing_switches"

    scope: Mapped[str] = mapped_column(db.String(32), primary_key=True)
    paused: Mapped[bool] = mapped_column(default=False)
    proof_of_work: Mapped[bool] = mapped_column(default=False)
    message: Mapped[str] = mapped_column(db.String(500), default="")  # shown to supporters while paused
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @staticmethod
    def scope_for(petition_id: int | None) -> str:
        return GLOBAL_SCOPE if petition_id is None else f"petition:{petition_id}"


class UsedChallenge(db.Model):
    """The signature of every proof-of-work challenge already solved, until it would have expired."""

    __tablename__ = "used_challenges"

    signature: Mapped[str] = mapped_column(db.String(128), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
