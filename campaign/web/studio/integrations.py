"""Studio (admins): API keys and webhook endpoints, the delivery log with redeliver, and the notice
about endpoints paused after repeated failure (shown on every studio page to admins)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.api.keys import ApiKeyError, active_keys, create_key, revoke_key
from campaign.extensions import db
from campaign.models import ApiKey, WebhookEndpoint
from campaign.models.base import utcnow
from campaign.web.lookups import row_or_404
from campaign.web.studio.access import admin
from campaign.web.studio.blueprint import bp
from campaign.web.studio.forms import ApiKeyForm, ConfirmForm, WebhookForm
from campaign.webhooks import WebhookError, add_endpoint, redeliver, remove_endpoint, resume_endpoint
from campaign.webhooks.listing import all_endpoints, endpoint_message, message_log, paused_endpoint_count


@bp.context_processor
def paused_webhooks():
    if not (current_user.is_authenticated and current_user.has_role("admin")):
        return {}
    return {"paused_webhooks": paused_endpoint_count()}


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
    row = row_or_404(ApiKey, key_id)
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
    endpoints = all_endpoints()
    return render_template(
        "studio/integrations/webhooks.html", form=form, endpoints=endpoints, created=created
    ), status


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    return row_or_404(WebhookEndpoint, endpoint_id)


@bp.get("/webhooks/<int:endpoint_id>")
@admin
def webhook_log(endpoint_id: int):
    endpoint = _endpoint(endpoint_id)
    page = message_log(endpoint.id, request.args.get("page", 1, type=int))
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
    message = endpoint_message(endpoint.id, message_id)
    if message is None:
        abort(404)
    redeliver(message, utcnow())
    db.session.commit()
    flash(_("Het bericht wordt opnieuw verstuurd."), "success")
    return redirect(url_for("studio.webhook_log", endpoint_id=endpoint.id), 303)
