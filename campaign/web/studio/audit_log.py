"""Studio: the audit log, for admins."""

from flask import render_template, request

from campaign import audit
from campaign.web.studio.access import admin
from campaign.web.studio.audit_words import action_words, subject_words
from campaign.web.studio.blueprint import bp


@bp.get("/audit")
@admin
def audit_log():
    action = (request.args.get("action") or "").strip()[:64]
    page = audit.events(action, page=request.args.get("page", 1, type=int))
    return render_template(
        "studio/audit_log.html",
        page=page,
        action=action,
        actions=[(code, action_words(code)) for code in audit.actions()],
        action_words=action_words,
        subjects=subject_words(page.items),
    )
