"""Studio (admins): API keys and webhook endpoints, the delivery log with redeliver, and the notice
about endpoints paused after repeated failure (shown on every studio page to admins)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.api.keys import ApiKeyError, active_keys, create_key, revoke_key
from campaign.extensions import db
from campaign.models import ApiKey, WebhookEndpoint, WebhookMessage
from campaign.models.base import utcnow
from campaign.web.studio.access import admin
from campaign.web.studio.forms import ApiKeyForm, ConfirmForm, WebhookForm
from campaign.web.studio.views import bp
from campaign.webhooks import WebhookError, add_endpoint, redeliver, remove_endpoint, resume_endpoint


@bp.context_processor
def paused_webhooks():
    if not (current_user.is_authenticated and current_user.has_role("admin")):
        return {}
    paused = db.session.execute(
        db.select(db.func.count())
        .select_from(WebhookEndpoint)
        .where(WebhookEndpoint.active.is_(True), WebhookEndpoint.paused_at.is_not(None))
    ).scalar()
    return {"paused_webhooks": paused}


@bp.route("/api-keys", methods=["GET", "POST"])
@admin
def api_keys():
    form = ApiKeyForm()
    new_key = None
    status = 200
    if form.validate_on_submit():
        try:
            row, new_key = create_key(form.name.data, form.scope.data, current_user, utcnow())
            db.session.commit()
            form = ApiKeyForm(formdata=None)
        except ApiKeyError as error:
            db.session.rollback()
            form.name.errors.append(str(error))
            status = 400
    elif form.is_submitted():
        status = 400
    # The new key is shown on this answer only (no redirect: it must not sit in a session or a URL).
    return render_template(
        "studio/integrations/api_keys.html",
        form=form,
        keys=active_keys(),
        new_key=new_key,
        action_form=ConfirmForm(),
    ), status


@bp.post("/api-keys/<int:key_id>/revoke")
@admin
def api_key_revoke(key_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    row = db.session.get(ApiKey, key_id) or abort(404)
    revoke_key(row, current_user, utcnow())
    db.session.commit()
    flash(_("De sleutel is ingetrokken; hij werkt niet meer."), "success")
    return redirect(url_for("studio.api_keys"), 303)


@bp.route("/webhooks", methods=["GET", "POST"])
@admin
def webhooks():
    form = WebhookForm()
    created = None
    status = 200
    if form.validate_on_submit():
        try:
            created = add_endpoint(
                form.url.data, form.events.data, current_user, utcnow(), form.description.data
            )
            db.session.commit()
            form = WebhookForm(formdata=None)
        except WebhookError as error:
            db.session.rollback()
            form.url.errors.append(str(error))
            status = 400
    elif form.is_submitted():
        status = 400
    endpoints = (
        db.session.execute(
            db.select(WebhookEndpoint).order_by(WebhookEndpoint.active.desc(), WebhookEndpoint.id)
        )
        .scalars()
        .all()
    )
    return render_template(
        "studio/integrations/webhooks.html", form=form, endpoints=endpoints, created=created
    ), status


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    return db.session.get(WebhookEndpoint, endpoint_id) or abort(404)


@bp.get("/webhooks/<int:endpoint_id>")
@admin
def webhook_log(endpoint_id: int):
    endpoint = _endpoint(endpoint_id)
    page = db.paginate(
        db.select(WebhookMessage)
        .where(WebhookMessage.endpoint_id == endpoint.id)
        .order_by(WebhookMessage.id.desc()),
        page=request.args.get("page", 1, type=int),
        per_page=50,
        error_out=False,
    )
    return render_template(
        "studio/integrations/webhook_log.html", endpoint=endpoint, page=page, action_form=ConfirmForm()
    )


def _confirmed_action(endpoint_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _endpoint(endpoint_id)


@bp.post("/webhooks/<int:endpoint_id>/resume")
@admin
def webhook_resume(endpoint_id: int):
    resume_endpoint(_confirmed_action(endpoint_id), current_user, utcnow())
    db.session.commit()
    flash(_("Het eindpunt is hervat; wachtende berichten worden nu verstuurd."), "success")
    return redirect(url_for("studio.webhook_log", endpoint_id=endpoint_id), 303)


@bp.post("/webhooks/<int:endpoint_id>/remove")
@admin
def webhook_remove(endpoint_id: int):
    remove_endpoint(_confirmed_action(endpoint_id), current_user)
    db.session.commit()
    flash(_("Het eindpunt is verwijderd; er gaat niets meer heen."), "success")
    return redirect(url_for("studio.webhooks"), 303)


@bp.post("/webhooks/<int:endpoint_id>/messages/<int:message_id>/redeliver")
@admin
def webhook_redeliver(endpoint_id: int, message_id: int):
    endpoint = _confirmed_action(endpoint_id)
    message = db.session.get(WebhookMessage, message_id)
    if message is None or message.endpoint_id != endpoint.id:
        abort(404)
    redeliver(message, utcnow())
    db.session.commit()
    flash(_("Het bericht wordt opnieuw verstuurd."), "success")
    return redirect(url_for("studio.webhook_log", endpoint_id=endpoint.id), 303)
