"""Studio: the audit log, for admins."""

from flask import render_template, request
from sqlalchemy.orm import joinedload

from campaign.extensions import db
from campaign.models import AuditEvent
from campaign.web.studio.access import admin
from campaign.web.studio.audit_words import action_words, subject_words
from campaign.web.studio.views import bp


@bp.get("/audit")
@admin
def audit_log():
    action = (request.args.get("action") or "").strip()[:64]
    query = db.select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action.startswith(action, autoescape=True))
    page = db.paginate(query, page=request.args.get("page", 1, type=int), per_page=100, error_out=False)
    actions = (
        db.session.execute(db.select(AuditEvent.action).distinct().order_by(AuditEvent.action))
        .scalars()
        .all()
    )
    return render_template(
        "studio/audit_log.html",
        page=page,
        action=action,
        actions=[(code, action_words(code)) for code in actions],
        action_words=action_words,
        subjects=subject_words(page.items),
    )
