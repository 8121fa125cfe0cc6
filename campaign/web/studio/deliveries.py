"""Studio: how a petition's signatures reach its targets. Settings, the delivery log with retry,
a preview of each kind of email exactly as sent, a test send to oneself, and the hand-over button."""

import re
from email.utils import formataddr

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from campaign import audit
from campaign.delivery import queue_handover, retry_delivery, retry_failed
from campaign.delivery.preview import KINDS, example_target, failed_test_send, preview_message
from campaign.delivery.queue import pending_undo
from campaign.delivery.send import BLOCKED, GAVE_UP, WITHDRAWN
from campaign.delivery.settings import settings_for, update_settings
from campaign.extensions import db
from campaign.models import Delivery, Petition, TargetMailHealth
from campaign.models.base import utcnow
from campaign.oneoff_mail import RETRY as ONE_OFF_RETRY
from campaign.petitions.lifecycle import undo_window
from campaign.queueing import enqueue_after_commit
from campaign.web.studio.access import campaigner, viewer
from campaign.web.studio.confirmations import say_when_handover_leaves
from campaign.web.studio.views import bp

PER_PAGE = 50
MILESTONES = re.compile(r"^\s*\d{1,9}(\s*,\s*\d{1,9})*\s*$")
KIND_LABELS = {
    "letter": _l("Brief per ondertekenaar"),
    "digest": _l("Overzicht"),
    "milestone": _l("Mijlpaal"),
    "handover": _l("Overhandiging"),
}
STATUS_LABELS = {
    "queued": _l("In de wachtrij"),
    "sending": _l("Wordt verstuurd"),
    "sent": _l("Verstuurd"),
    "failed": _l("Mislukt"),
    "cancelled": _l("Geannuleerd"),
}
FIELD_LABELS = {
    "name": _l("Naam"),
    "place": _l("Woonplaats"),
    "country": _l("Land"),
    "date": _l("Datum"),
    "message": _l("Persoonlijk bericht"),
}


class DeliverySettingsForm(FlaskForm):
    letters = BooleanField(
        _l("Brief per ondertekenaar: elke bevestigde handtekening als e-mail naar elk doelwit")
    )
    letters_per_hour = IntegerField(
        _l("Hoogstens zoveel brieven per uur per doelwit"),
        default=60,
        validators=[
            InputRequired(_l("Vul een aantal in.")),
            NumberRange(1, 100000, _l("Kies een aantal van 1 tot 100.000.")),
        ],
    )
    daytime_only = BooleanField(_l("Brieven alleen overdag versturen, in de tijdzone van het doelwit"))
    day_starts = IntegerField(
        _l("Vanaf (uur)"),
        default=9,
        validators=[
            InputRequired(_l("Vul een uur in.")),
            NumberRange(0, 23, _l("Kies een uur van 0 tot 23.")),
        ],
    )
    day_ends = IntegerField(
        _l("Tot (uur)"),
        default=17,
        validators=[
            InputRequired(_l("Vul een uur in.")),
            NumberRange(1, 24, _l("Kies een uur van 1 tot 24.")),
        ],
    )
    digest = SelectField(
        _l("Overzicht met de nieuwe handtekeningen"),
        choices=[("", _l("Geen")), ("daily", _l("Dagelijks")), ("weekly", _l("Wekelijks"))],
    )
    csv_fields = SelectMultipleField(
        _l("Velden in de lijst (overzicht en overhandiging)"),
        choices=list(FIELD_LABELS.items()),
        default=["name", "place"],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    milestones = StringField(_l("Mijlpalen (aantallen, met komma's)"), validators=[Optional()])
    milestone_goal = BooleanField(_l("Ook het doel van de petitie is een mijlpaal"))
    handover = BooleanField(
        _l("Overhandiging: bij het sluiten krijgt elk doelwit het eindtotaal en de volledige lijst")
    )

    def validate_milestones(self, field):
        if field.data and not MILESTONES.match(field.data):
            raise ValidationError(
                _("Gebruik alleen aantallen, gescheiden door komma's, bijvoorbeeld 1000, 10000.")
            )

    def validate_day_ends(self, field):
        if self.day_starts.data is not None and field.data is not None and field.data <= self.day_starts.data:
            raise ValidationError(_("Het einde moet na het begin liggen."))


class ActionForm(FlaskForm):
    """CSRF only, for the buttons."""


class TestSendForm(FlaskForm):
    kind = SelectField(_l("Soort e-mail"), choices=list(KIND_LABELS.items()))


def _petition(petition_id: int) -> Petition:
    petition = db.session.get(Petition, petition_id)
    if petition is None:
        abort(404)
    return petition


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
    query = db.select(Delivery).where(Delivery.petition_id == petition.id)
    if shown in STATUS_LABELS:
        query = query.where(Delivery.status == shown)
    page = db.paginate(query.order_by(Delivery.id.desc()), per_page=PER_PAGE, error_out=False)
    totals = dict(
        db.session.execute(
            db.select(Delivery.status, func.count())
            .where(Delivery.petition_id == petition.id)
            .group_by(Delivery.status)
        ).all()
    )
    blocked = (
        db.session.execute(
            db.select(TargetMailHealth).where(
                TargetMailHealth.target_id.in_([t.id for t in petition.targets]),
                TargetMailHealth.blocked_email.is_not(None),
            )
        )
        .scalars()
        .all()
    )
    return render_template(
        "studio/deliveries/index.html",
        petition=petition,
        form=form,
        page=page,
        totals=totals,
        shown=shown,
        rows=[(d, error_text(d)) for d in page.items],
        blocked={h.target_id for h in blocked},
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
    petition = _petition(petition_id)
    return _page(petition, _settings_form(petition))


@bp.post("/petitions/<int:petition_id>/deliveries/settings")
@campaigner
def deliveries_settings(petition_id: int):
    petition = _petition(petition_id)
    form = _settings_form(petition)
    if not form.validate_on_submit():
        return _page(petition, form, 400)
    update_settings(
        petition,
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
    audit.record("delivery.settings", f"petition:{petition.id}")
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
    delivery = db.session.get(Delivery, delivery_id)
    if delivery is None:
        abort(404)
    if retry_delivery(delivery, utcnow()):
        audit.record("delivery.retry", f"delivery:{delivery.id}", details=f"petition:{delivery.petition_id}")
        flash(_("De bezorging staat weer in de wachtrij."), "success")
    else:
        flash(_("Alleen een mislukte bezorging kan opnieuw worden geprobeerd."), "error")
    db.session.commit()
    return redirect(url_for("studio.deliveries", petition_id=delivery.petition_id), 303)


@bp.post("/petitions/<int:petition_id>/deliveries/retry-failed")
@campaigner
def deliveries_retry_failed(petition_id: int):
    petition = _petition(petition_id)
    _checked_action()
    count = retry_failed(petition.id, utcnow())
    audit.record("delivery.retry_failed", f"petition:{petition.id}", details=f"count={count}")
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
    petition = _petition(petition_id)
    _checked_action()
    # Caused by a campaigner: it waits for the undo window, cancellable from the dashboard.
    queued = queue_handover(petition, utcnow(), force=True, hold=undo_window())
    audit.record("delivery.handover", f"petition:{petition.id}", details=f"targets={len(queued)}")
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
    petition = _petition(petition_id)
    form = TestSendForm()
    if not form.validate_on_submit():
        flash(_("Kies een soort e-mail om te testen."), "error")
        return _page(petition, _settings_form(petition), 400)
    enqueue_after_commit(
        "workers.deliveries.send_test", petition.id, form.kind.data, current_user.id, retry=ONE_OFF_RETRY
    )
    audit.record("delivery.test_send", f"petition:{petition.id}", details=f"kind={form.kind.data}")
    db.session.commit()
    flash(_("Een test wordt naar uw eigen adres gestuurd."), "success")
    return redirect(url_for("studio.deliveries", petition_id=petition.id), 303)


def _preview(petition_id: int, kind: str):
    if kind not in KINDS:
        abort(404)
    petition = _petition(petition_id)
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
