"""Studio: updates to a petition's supporters. Write (with a live preview), look at it as a supporter
will, send a test to oneself, confirm the number of recipients, send, and follow the progress."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from campaign.extensions import db
from campaign.mail import public_url
from campaign.models import Petition, SupporterUpdate, UpdateStatus
from campaign.models.base import utcnow
from campaign.outreach import (
    UpdateError,
    progress_of,
    recipient_count,
    save_update,
    send_test,
    send_update,
    updates_of,
)
from campaign.petitions.markup import render_markdown
from campaign.petitions.plaintext import markdown_to_text
from campaign.web.lookups import row_or_404
from campaign.web.studio.access import campaigner, viewer
from campaign.web.studio.blueprint import bp
from campaign.web.studio.forms import ConfirmForm, UpdateForm, UpdateSendForm


def _petition(petition_id: int) -> Petition:
    petition = row_or_404(Petition, petition_id)
    return petition


def _update(update_id: int) -> SupporterUpdate:
    update = row_or_404(SupporterUpdate, update_id)
    return update


@bp.get("/petitions/<int:petition_id>/updates")
@viewer
def updates(petition_id: int):
    petition = _petition(petition_id)
    items = updates_of(petition.id)
    return render_template(
        "studio/updates/list.html",
        petition=petition,
        items=[(item, progress_of(item)) for item in items],
        recipients=recipient_count(petition.id),
    )


def _edit_page(petition: Petition, form: UpdateForm, update: SupporterUpdate | None, status: int = 200):
    return render_template(
        "studio/updates/edit.html",
        petition=petition,
        form=form,
        update=update,
        recipients=recipient_count(petition.id),
    ), status


def _save(petition: Petition, update: SupporterUpdate | None):
    form = UpdateForm(obj=update)
    if not form.validate_on_submit():
        return _edit_page(petition, form, update, 400 if form.is_submitted() else 200)
    try:
        update = save_update(petition, form.subject.data, form.body.data, current_user, update)
    except UpdateError as error:
        db.session.rollback()
        getattr(form, error.field or "subject").errors.append(str(error))
        return _edit_page(petition, form, update, 400)
    db.session.commit()
    flash(_("De update is opgeslagen. Bekijk hem en stuur eerst een test naar uzelf."), "success")
    return redirect(url_for("studio.update_show", update_id=update.id), 303)


@bp.route("/petitions/<int:petition_id>/updates/new", methods=["GET", "POST"])
@campaigner
def update_new(petition_id: int):
    return _save(_petition(petition_id), None)


@bp.route("/updates/<int:update_id>/edit", methods=["GET", "POST"])
@campaigner
def update_edit(update_id: int):
    update = _update(update_id)
    if update.status != UpdateStatus.DRAFT:
        flash(_("Deze update is al verstuurd en kan niet meer worden gewijzigd."), "error")
        return redirect(url_for("studio.update_show", update_id=update.id), 303)
    return _save(update.petition, update)


@bp.get("/updates/<int:update_id>")
@viewer
def update_show(update_id: int):
    update = _update(update_id)
    return render_template(
        "studio/updates/show.html",
        update=update,
        petition=update.petition,
        body_html=render_markdown(update.body),
        body_text=markdown_to_text(update.body),
        petition_url=public_url("public.petition", slug=update.petition.slug),
        progress=progress_of(update),
        recipients=recipient_count(update.petition_id),
        form=ConfirmForm(),
    )


@bp.post("/updates/<int:update_id>/test")
@campaigner
def update_test(update_id: int):
    update = _update(update_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    send_test(update, current_user)
    db.session.commit()
    flash(_("Een test gaat naar uw eigen adres (%(email)s).", email=current_user.email), "success")
    return redirect(url_for("studio.update_show", update_id=update.id), 303)


@bp.route("/updates/<int:update_id>/send", methods=["GET", "POST"])
@campaigner
def update_send(update_id: int):
    """First the confirmation with the number of recipients, then the confirmed POST sends to them."""
    update = _update(update_id)
    if update.status != UpdateStatus.DRAFT:
        flash(_("Deze update is al verstuurd."), "error")
        return redirect(url_for("studio.update_show", update_id=update.id), 303)
    count = recipient_count(update.petition_id)
    form = UpdateSendForm(expected=count)
    page = "studio/updates/send.html"
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template(page, update=update, petition=update.petition, count=count, form=form), status
    if form.expected.data != count:
        flash(_("Het aantal ontvangers is intussen veranderd. Controleer het en bevestig opnieuw."), "error")
        form.expected.data = count
        return render_template(page, update=update, petition=update.petition, count=count, form=form), 409
    sent = send_update(update, current_user, utcnow())
    db.session.commit()
    flash(
        ngettext(
            "De update gaat naar %(num)s ondertekenaar. Hieronder ziet u de voortgang.",
            "De update gaat naar %(num)s ondertekenaars. Hieronder ziet u de voortgang.",
            sent,
        ),
        "success",
    )
    return redirect(url_for("studio.update_show", update_id=update.id), 303)
