"""Studio: petitions (list, write, preview, publish, close, reopen, archive) and their dashboard."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from campaign.delivery.queue import pending_undo
from campaign.extensions import db
from campaign.metrics.counts import petition_counts
from campaign.models import Petition
from campaign.models.base import utcnow
from campaign.petitions import (
    PetitionDraft,
    PetitionError,
    archive_petition,
    close_petition,
    create_petition,
    publish_petition,
    reopen_petition,
    update_petition,
)
from campaign.petitions.copying import duplicate_petition
from campaign.petitions.listing import all_petitions, target_choices, themes
from campaign.petitions.markup import render_markdown
from campaign.petitions.overview import petition_overview, signature_sources
from campaign.petitions.setup import DeliveryChoice, add_inline_target, settle_delivery
from campaign.petitions.slugs import unique_slug
from campaign.targets import TargetDetails, TargetError
from campaign.web.lookups import row_or_404
from campaign.web.public.forms import SignForm
from campaign.web.public.petition_page import render_petition
from campaign.web.studio.access import campaigner, viewer
from campaign.web.studio.blueprint import bp
from campaign.web.studio.confirmations import say_when_handover_leaves
from campaign.web.studio.forms import ConfirmForm, PetitionForm, local_to_utc, utc_to_local
from campaign.web.templating import state_label


@bp.get("/petitions")
@viewer
def petitions():
    items = all_petitions()
    counts = petition_counts([p.id for p in items])
    return render_template("studio/petitions/list.html", petitions=items, counts=counts)


def _form(petition: Petition | None = None) -> PetitionForm:
    form = PetitionForm(obj=petition)
    if petition is not None and not form.is_submitted():
        form.opens_at.data = utc_to_local(petition.opens_at)
        form.closes_at.data = utc_to_local(petition.closes_at)
        form.target_ids.data = [t.id for t in petition.targets]
    form.theme_id.choices = [(theme.id, theme.name_nl) for theme in themes()]
    form.target_ids.choices = target_choices()
    return form


def _draft(form: PetitionForm, petition: Petition | None) -> PetitionDraft:
    typed = (form.slug.data or "").strip()
    return PetitionDraft(
        theme_id=form.theme_id.data,
        title=form.title.data,
        # Nothing typed: the title's slug, for a draft; a published petition keeps its address.
        slug=typed
        or (petition.slug if petition and petition.published_at else "")
        or unique_slug(form.title.data or "", petition.id if petition else None),
        summary=form.summary.data,
        body=form.body.data,
        goal=form.goal.data,
        language=form.language.data,
        opens_at=local_to_utc(form.opens_at.data),
        closes_at=local_to_utc(form.closes_at.data),
        target_ids=form.target_ids.data or [],
    )


def _save(form: PetitionForm, petition: Petition | None):
    """Validate, save, commit; on a problem the form again with it named (400/409)."""
    template = "studio/petitions/edit.html"
    if not form.validate_on_submit():
        return render_template(template, form=form, petition=petition), 400 if form.is_submitted() else 200
    creating = petition is None
    try:
        if creating:
            petition = create_petition(_draft(form, None), current_user)
        else:
            update_petition(
                petition,
                _draft(form, petition),
                current_user,
                confirm_slug_change=form.confirm_slug_change.data,
            )
        if form.new_target_typed():
            add_inline_target(petition, _new_target(form), current_user)
        settle_delivery(petition, _delivery_choice(form) if creating else None)
        db.session.commit()
    except (PetitionError, TargetError) as error:
        db.session.rollback()
        field = error.field or "title"
        if isinstance(error, TargetError):
            field = f"new_target_{field}" if hasattr(form, f"new_target_{field}") else "new_target_name"
        getattr(form, field).errors.append(str(error))
        return render_template(template, form=form, petition=None if creating else petition), 400
    except IntegrityError:  # a concurrent save took the slug between our check and the write
        db.session.rollback()
        form.slug.errors.append(_("Dit webadres is al in gebruik. Kies een ander."))
        return render_template(template, form=form, petition=petition), 409
    flash(_("De petitie is opgeslagen."), "success")
    return redirect(url_for("studio.petition_dashboard", petition_id=petition.id), 303)


def _new_target(form: PetitionForm) -> TargetDetails:
    return TargetDetails(
        name=form.new_target_name.data or "",
        email=form.new_target_email.data or "",
        title=form.new_target_title.data or "",
        organisation=form.new_target_organisation.data or "",
        language=form.language.data or "nl",
    )


def _delivery_choice(form: PetitionForm) -> DeliveryChoice | None:
    """What the campaigner chose for the officials; None without officials (nothing to deliver)."""
    if not form.target_ids.data and not form.new_target_typed():
        return None
    return DeliveryChoice(
        digest=form.delivery_digest.data or "",
        handover=bool(form.delivery_handover.data),
        letters=bool(form.delivery_letters.data),
    )


@bp.route("/petitions/new", methods=["GET", "POST"])
@campaigner
def petition_new():
    return _save(_form(), None)


@bp.route("/petitions/<int:petition_id>/edit", methods=["GET", "POST"])
@campaigner
def petition_edit(petition_id: int):
    petition = row_or_404(Petition, petition_id)
    return _save(_form(petition), petition)


@bp.get("/petitions/<int:petition_id>")
@viewer
def petition_dashboard(petition_id: int, status: int = 200):
    petition = row_or_404(Petition, petition_id)
    return render_template(
        "studio/petitions/dashboard.html",
        petition=petition,
        overview=petition_overview(petition),
        sources=signature_sources(petition.id),
        pending_undo=pending_undo(petition.id, utcnow()),
        action_form=ConfirmForm(),
    ), status


@bp.post("/petitions/<int:petition_id>/duplicate")
@campaigner
def petition_duplicate(petition_id: int):
    petition = row_or_404(Petition, petition_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    copy = duplicate_petition(petition, current_user)
    db.session.commit()
    flash(_("Dit is een kopie, als concept. Pas de titel en het webadres aan en sla op."), "success")
    return redirect(url_for("studio.petition_edit", petition_id=copy.id), 303)


@bp.route("/petitions/<int:petition_id>/preview", methods=["GET", "POST"])
@viewer
def petition_preview(petition_id: int):
    """The public page itself (same view code and template) as a supporter will see it once it is open,
    the sign form included. The form posts back here: it is checked as the real one would be, and
    nothing is stored or mailed."""
    petition = row_or_404(Petition, petition_id)
    form = SignForm()
    notice, status = None, 200
    if form.is_submitted():
        valid = form.validate()
        status = 200 if valid else 400
        notice = (
            _("Voorbeeld: het formulier is in orde. Er is niets opgeslagen en er gaat geen e-mail weg.")
            if valid
            else None
        )
    flash(
        _(
            "Voorbeeld (status: %(status)s): zo ziet een ondertekenaar deze petitie zodra ze open is. "
            "Het formulier werkt, maar slaat niets op.",
            status=state_label(petition.status),
        ),
        "preview",
    )
    return render_petition(
        petition,
        form,
        status,
        notice=notice,
        sign_action=url_for("studio.petition_preview", petition_id=petition.id),
    )


LIFECYCLE = {
    "publish": (publish_petition, _l("De petitie is gepubliceerd.")),
    "close": (close_petition, _l("De petitie is gesloten.")),
    "reopen": (reopen_petition, _l("De petitie is heropend.")),
    "archive": (archive_petition, _l("De petitie is gearchiveerd.")),
}


def _lifecycle_view(action: str):
    verb, message = LIFECYCLE[action]

    def view(petition_id: int):
        petition = row_or_404(Petition, petition_id)
        if not ConfirmForm().validate_on_submit():
            abort(400)
        try:
            changed = verb(petition, current_user, utcnow())
        except PetitionError as error:
            db.session.rollback()
            flash(str(error), "error")
            return petition_dashboard(petition_id, status=409)
        if changed is False:  # close_petition says so instead of raising
            flash(_("Alleen een open petitie kan worden gesloten."), "error")
            return petition_dashboard(petition_id, status=409)
        db.session.commit()
        flash(str(message), "success")
        if action == "close":
            say_when_handover_leaves(petition_id)
            # Impact & Learning: the team writes down what it learned, while it is fresh
            return redirect(url_for("studio.petition_lessons", petition_id=petition_id), 303)
        return redirect(url_for("studio.petition_dashboard", petition_id=petition_id), 303)

    view.__name__ = f"petition_{action}"
    return view


for _action in LIFECYCLE:
    bp.add_url_rule(
        f"/petitions/<int:petition_id>/{_action}",
        endpoint=f"petition_{_action}",
        view_func=campaigner(_lifecycle_view(_action)),
        methods=["POST"],
    )


@bp.app_template_filter("studio_time")
def studio_time(value) -> str:
    """A stored UTC time as Amsterdam time, for campaigners ('—' when unset)."""
    local = utc_to_local(value)
    return local.strftime("%Y-%m-%d %H:%M") if local else "—"


@bp.post("/markdown-preview")
@campaigner
def markdown_preview():
    """The live preview beside a Markdown field: the same renderer and sanitiser as on save."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    source = request.form.get("source", "")[:20000]
    return render_markdown(source), 200, {"Content-Type": "text/html; charset=utf-8"}


@bp.get("/slug-for")
@campaigner
def slug_for_title():
    """The web address a title would get now (unique), for the petition form's script."""
    own = request.args.get("petition_id", type=int)
    return {"slug": unique_slug(request.args.get("title", "")[:200], own)}
