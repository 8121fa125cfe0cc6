"""The audit log: record who did what. Part of the caller's transaction (committed with the change)."""

from sqlalchemy.orm import joinedload

from campaign.extensions import db
from campaign.models import AuditEvent


def record(action: str, subject: str = "", details: str = "", *, actor) -> AuditEvent:
    """Flushes nothing; the caller commits. `actor`: the account that did it, None for the system or
    the command line (always said, never guessed). Never put a supporter's personal data in `details`."""
    event = AuditEvent(action=action, subject=subject, details=details, actor_id=getattr(actor, "id", None))
    db.session.add(event)
    return event


def events(action_prefix: str = "", page: int = 1, per_page: int = 100):
    """The log, newest first, optionally only actions starting with `action_prefix` (a page of it)."""
    query = db.select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    if action_prefix:
        query = query.where(AuditEvent.action.startswith(action_prefix, autoescape=True))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def actions() -> list[str]:
    return (
        db.session.execute(db.select(AuditEvent.action).distinct().order_by(AuditEvent.action))
        .scalars()
        .all()
    )


def names_of(model, column: str, ids) -> list[tuple[int, str]]:
    """(id, name) of the rows an event's subject names, for the log in words (one query per kind)."""
    return db.session.execute(db.select(model.id, getattr(model, column)).where(model.id.in_(ids))).all()
