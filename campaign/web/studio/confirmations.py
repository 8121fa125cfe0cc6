"""Studio: the confirmation step before anything outward or irreversible (closing, archiving, handing
over, invalidating a signature), and cancelling a hand-over inside its undo window.

Each page says what will happen: who receives what, how many signatures, whether it can be undone.
Its button posts to the same address, where the step itself is taken (campaign.web.studio.petitions,
.deliveries, .signatures).
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from campaign.delivery.queue import pending_undo
from campaign.delivery.studio import cancel_handover
from campaign.extensions import db
from campaign.models import Petition, PetitionStatus, Signature
from campaign.models.base import utcnow
from campaign.petitions import consequences
from campaign.web.lookups import row_or_404
from campaign.web.studio.access import campaigner
from campaign.web.studio.blueprint import bp
from campaign.web.studio.forms import ConfirmForm, utc_to_local


def _petition(petition_id: int) -> Petition:
    petition = row_or_404(Petition, petition_id)
    return petition


def _not_now(petition: Petition, reason: str):
    """The step cannot be taken in the petition's present state: say why, offer nothing to click."""
    return render_template("studio/petitions/not_now.html", petition=petition, reason=reason)


@bp.get("/petitions/<int:petition_id>/close")
@campaigner
def petition_close_confirm(petition_id: int):
    petition = _petition(petition_id)
    if petition.status != PetitionStatus.OPEN:
        return _not_now(petition, _("Alleen een open petitie kan worden gesloten."))
    return render_template(
        "studio/petitions/close.html",
        petition=petition,
        effects=consequences.of_closing(petition, utcnow()),
        form=ConfirmForm(),
    )


@bp.get("/petitions/<int:petition_id>/archive")
@campaigner
def petition_archive_confirm(petition_id: int):
    petition = _petition(petition_id)
    if petition.status not in (PetitionStatus.DRAFT, PetitionStatus.CLOSED):
        return _not_now(petition, _("Sluit de petitie voor u haar archiveert."))
    return render_template(
        "studio/petitions/archive.html",
        petition=petition,
        effects=consequences.of_archiving(petition),
        form=ConfirmForm(),
    )


@bp.get("/petitions/<int:petition_id>/deliveries/handover")
@campaigner
def deliveries_handover_confirm(petition_id: int):
    petition = _petition(petition_id)
    return render_template(
        "studio/deliveries/handover.html",
        petition=petition,
        effects=consequences.of_handover(petition, utcnow()),
        form=ConfirmForm(),
    )


@bp.get("/signatures/<int:signature_id>/invalidate")
@campaigner
def signature_invalidate_confirm(signature_id: int):
    signature = row_or_404(Signature, signature_id)
    return render_template(
        "studio/signatures/invalidate_one.html",
        signature=signature,
        petition=signature.petition,
        form=ConfirmForm(),
    )


@bp.post("/petitions/<int:petition_id>/deliveries/cancel")
@campaigner
def deliveries_cancel(petition_id: int):
    """Cancel the hand-over still waiting in its undo window; nothing reaches the targets."""
    petition = _petition(petition_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    cancelled = cancel_handover(petition, utcnow(), actor=current_user)
    if cancelled:
        db.session.commit()
        flash(
            ngettext(
                "De overhandiging is geannuleerd: %(num)s e-mail gaat niet weg.",
                "De overhandiging is geannuleerd: %(num)s e-mails gaan niet weg.",
                cancelled,
            ),
            "success",
        )
    else:
        flash(_("Er wacht niets meer om te annuleren: de e-mail is al verstuurd of geannuleerd."), "error")
    return redirect(url_for("studio.petition_dashboard", petition_id=petition.id), 303)


def say_when_handover_leaves(petition_id: int) -> bool:
    """After a step that queued a hand-over: when it leaves, and that it can be cancelled until then."""
    waiting = pending_undo(petition_id, utcnow())
    if not waiting:
        return False
    leaves = max(delivery.undo_until for delivery in waiting)
    flash(
        ngettext(
            "De overhandiging aan %(num)s doelwit vertrekt om %(time)s. Tot dan kunt u haar "
            "annuleren op het dashboard van de petitie.",
            "De overhandiging aan %(num)s doelwitten vertrekt om %(time)s. Tot dan kunt u haar "
            "annuleren op het dashboard van de petitie.",
            len(waiting),
            time=studio_clock(leaves),
        ),
        "success",
    )
    return True


@bp.app_template_filter("studio_clock")
def studio_clock(value) -> str:
    """A stored UTC time as the Amsterdam clock time (HH:MM), for "leaves at" notices."""
    local = utc_to_local(value)
    return local.strftime("%H:%M") if local else "—"
