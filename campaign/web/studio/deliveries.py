"""Studio: how a petition's signatures reach its targets. Settings, the delivery log with retry,
a preview of each kind of email exactly as sent, a test send to oneself, and the hand-over button."""

from email.utils import formataddr

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from campaign.delivery import studio as delivery_studio
from campaign.delivery.log import delivery_log
from campaign.delivery.outcome import BLOCKED, GAVE_UP, WITHDRAWN
from campaign.delivery.preview import KINDS, example_target, failed_test_send, preview_message
from campaign.delivery.queue import pending_undo
from campaign.delivery.settings import settings_for
from campaign.extensions import db
from campaign.models import Delivery, Petition
from campaign.models.base import utcnow
from campaign.web.lookups import row_or_404
from campaign.web.studio.access import campaigner, viewer
from campaign.web.studio.blueprint import bp
from campaign.web.studio.confirmations import say_when_handover_leaves
from campaign.web.studio.forms import KIND_LABELS, ActionForm, DeliverySettingsForm, TestSendForm

PER_PAGE = 50
STATUS_LABELS = {
    "queued": _l("In de wachtrij"),
    "sending": _l("Wordt verstuurd"),
    "sent": _l("Verstuurd"),
    "failed": _l("Mislukt"),
    "cancelled": _l("Geannuleerd"),
}


def error_text(delivery: Delivery) -> str:
    if delivery.last_error == BLOCKED:
        return _(
            "Overgeslagen: het adres van dit doelwit faalde herhaaldelijk. "
            "Verbeter het adres en probeer opnieuw."
        )
    if delivery.last_error == WITHDRAWN:
        return _("Niet verstuurd: de handtekening is ingetrokken of verwijderd.")
    if delivery.last_error == GAVE_UP:
        return _("Opgegeven: het versturen werd te vaak afgebroken.")
    return delivery.last_error or ""


def _settings_form(petition: Petition) -> DeliverySettingsForm:
    settings = settings_for(petition.id)
    form = DeliverySettingsForm(obj=settings)
    if settings is not None and not form.is_submitted():
        form.csv_fields.data = settings.fields
    return form


def _page(petition: Petition, form: DeliverySettingsForm, status: int = 200):
    shown = request.args.get("status", "")
    log = delivery_log(petition, shown if shown in STATUS_LABELS else "", per_page=PER_PAGE)
    return render_template(
        "studio/deliveries/index.html",
        petition=petition,
        form=form,
        page=log.page,
        totals=log.totals,
        shown=shown,
        rows=[(d, error_text(d)) for d in log.page.items],
        blocked=log.blocked_target_ids,
        kinds=KIND_LABELS,
        statuses=STATUS_LABELS,
        action_form=ActionForm(),
        test_form=TestSendForm(),
        pending_undo=pending_undo(petition.id, utcnow()),
        test_failure=failed_test_send(petition.id),
    ), status


@bp.get("/petitions/<int:petition_id>/deliveries")
@viewer
def deliveries(petition_id: int):
    petition = row_or_404(Petition, petition_id)
    return _page(petition, _settings_form(petition))


@bp.post("/petitions/<int:petition_id>/deliveries/settings")
@campaigner
def deliveries_settings(petition_id: int):
    petition = row_or_404(Petition, petition_id)
    form = _settings_form(petition)
    if not form.validate_on_submit():
        return _page(petition, form, 400)
    delivery_studio.change_settings(
        petition,
        actor=current_user,
        letters=form.letters.data,
        letters_per_hour=form.letters_per_hour.data,
        daytime_only=form.daytime_only.data,
        day_starts=form.day_starts.data,
        day_ends=form.day_ends.data,
        digest=form.digest.data,
        csv_fields=",".join(form.csv_fields.data or []) or "name,place",
        milestones=",".join(part.strip() for part in (form.milestones.data or "").split(",") if part.strip()),
        milestone_goal=form.milestone_goal.data,
        handover=form.handover.data,
    )
    db.session.commit()
    flash(_("De bezorginstellingen zijn opgeslagen."), "success")
    return redirect(url_for("studio.deliveries", petition_id=petition.id), 303)


def _checked_action() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


@bp.post("/deliveries/<int:delivery_id>/retry")
@campaigner
def delivery_retry(delivery_id: int):
    _checked_action()
    delivery = row_or_404(Delivery, delivery_id)
    if delivery_studio.retry(delivery, utcnow(), actor=current_user):
        flash(_("De bezorging staat weer in de wachtrij."), "success")
    else:
        flash(_("Alleen een mislukte bezorging kan opnieuw worden geprobeerd."), "error")
    db.session.commit()
    return redirect(url_for("studio.deliveries", petition_id=delivery.petition_id), 303)


@bp.post("/petitions/<int:petition_id>/deliveries/retry-failed")
@campaigner
def deliveries_retry_failed(petition_id: int):
    petition = row_or_404(Petition, petition_id)
    _checked_action()
    count = delivery_studio.retry_all_failed(petition, utcnow(), actor=current_user)
    db.session.commit()
    flash(
        ngettext(
            "%(num)s mislukte bezorging staat weer in de wachtrij.",
            "%(num)s mislukte bezorgingen staan weer in de wachtrij.",
            count,
        ),
        "success",
    )
    return redirect(url_for("studio.deliveries", petition_id=petition.id), 303)


@bp.post("/petitions/<int:petition_id>/deliveries/handover")
@campaigner
def deliveries_handover(petition_id: int):
    petition = row_or_404(Petition, petition_id)
    _checked_action()
    queued = delivery_studio.hand_over_now(petition, utcnow(), actor=current_user)
    db.session.commit()
    if queued and not say_when_handover_leaves(petition.id):  # no undo window: it leaves now
        flash(
            ngettext(
                "De overhandiging gaat naar %(num)s doelwit.",
                "De overhandiging gaat naar %(num)s doelwitten.",
                len(queued),
            ),
            "success",
        )
    elif not queued:
        flash(
            _(
                "Er is niets te overhandigen: elk doelwit heeft de overhandiging al, "
                "of er zijn geen doelwitten."
            ),
            "error",
        )
    return redirect(url_for("studio.deliveries", petition_id=petition.id), 303)


@bp.post("/petitions/<int:petition_id>/deliveries/test")
@campaigner
def deliveries_test(petition_id: int):
    petition = row_or_404(Petition, petition_id)
    form = TestSendForm()
    if not form.validate_on_submit():
        flash(_("Kies een soort e-mail om te testen."), "error")
        return _page(petition, _settings_form(petition), 400)
    delivery_studio.send_test(petition, form.kind.data, actor=current_user)
    db.session.commit()
    flash(_("Een test wordt naar uw eigen adres gestuurd."), "success")
    return redirect(url_for("studio.deliveries", petition_id=petition.id), 303)


def _preview(petition_id: int, kind: str):
    if kind not in KINDS:
        abort(404)
    petition = row_or_404(Petition, petition_id)
    return petition, preview_message(petition, kind, example_target(petition))


@bp.get("/petitions/<int:petition_id>/deliveries/preview/<kind>")
@campaigner
def deliveries_preview(petition_id: int, kind: str):
    petition, message = _preview(petition_id, kind)
    return render_template(
        "studio/deliveries/preview.html",
        petition=petition,
        message=message,
        kind=kind,
        kinds=KIND_LABELS,
        attachments=[(a.filename, len(a.data)) for a in message.attachments],
        sender=_address(message.sender),
        recipients=", ".join(map(_address, message.recipients)),
    )


def _address(value) -> str:
    return formataddr(value) if isinstance(value, tuple) else value


@bp.get("/petitions/<int:petition_id>/deliveries/preview/<kind>/html")
@campaigner
def deliveries_preview_html(petition_id: int, kind: str):
    """The HTML part on its own, for the preview's frame: sandboxed, no scripts, the email's own styles."""
    _petition_row, message = _preview(petition_id, kind)
    response = make_response(message.html)
    response.headers["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    return response
