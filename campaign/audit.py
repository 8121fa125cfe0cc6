"""The audit log: record who did what. Part of the caller's transaction (committed with the change)."""

from flask import has_request_context
from flask_login import current_user

from campaign.extensions import db
from campaign.models import AuditEvent


def record(action: str, subject: str = "", details: str = "", actor=None) -> AuditEvent:
    """Flushes nothing; the caller commits. Never put a supporter's personal data in `details`."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(action=action, subject=subject, details=details, actor_id=getattr(actor, "id", None))
    db.session.add(event)
    return event
