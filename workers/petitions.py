"""Cron job: close petitions whose closing date has passed. Safe to run twice (closed ones are skipped)."""

from campaign.extensions import db
from campaign.models.base import utcnow
from campaign.petitions import close_due_petitions


def close_due() -> int:
    closed = close_due_petitions(utcnow())
    db.session.commit()
    return len(closed)
