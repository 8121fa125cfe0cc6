"""Studio: petitions (list, write, preview, publish, close, reopen, archive) and their dashboard."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from campaign.extensions import db
from campaign.metrics.counts import petition_counts
from campaign.models import Petition, Target, Theme
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
from campaign.petitions.overview import petition_overview
from campaign.web.public.forms import SignForm
from campaign.web.public.views import render_petition
from campaign.web.studio.access import campaigner, viewer
from campaign.web.studio.forms import ConfirmForm, PetitionForm, local_to_utc, utc_to_local
from campaign.web.studio.views import bp
from campaign.web.templating import state_label


def petition_or_404(petition_id: int) -> Petition:
    petition = db.session.get(Petition, petition_id)
    if petition is None:
        abort(404)
    return petition


@bp.get("/petitions")
@viewer
def petitions():
    items = db.session.execute(db.select(Petition).order_by(Petition.created_at.desc())).scalars().all()
    counts = petition_counts([p.id for p in items])
    return render_template("studio/petitions/list.html", petitions=items, counts=counts)


def _form(petition: Petition | None = None) -> PetitionForm:
    form = PetitionForm(obj=petition)
    if petition is not None and not form.is_submitted():
        form.opens_at.data = utc_to_local(petition.opens_at)
        form.closes_at.data = utc_to_local(petition.closes_at)
        form.target_ids.data = [t.id for t in petition.targets]
    form.theme_id.choices = [
        (t.id, t.name_nl) for t in db.session.execute(db.select(Theme).order_by(Theme.position)).scalars()
    ]
    form.target_ids.choices = [
        (t.id, t.display) for t in db.session.execute(db.select(Target).order_by(Target.name)).scalars()
    ]
    return form


def _draft(form: PetitionForm) -> PetitionDraft:
    return PetitionDraft(
        theme_id=form.theme_id.data,
        title=form.title.data,
        slug=(form.slug.data or "").strip(),
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
    try:
        if petition is None:
            petition = create_petition(_draft(form), current_user)
        else:
            update_petition(
                petition, _draft(form), current_user, confirm_slug_change=form.confirm_slug_change.data
            )
        db.session.commit()
    except PetitionError as error:
        db.session.rollback()
        getattr(form, error.field or "title").errors.append(str(error))
        return render_template(template, form=form, petition=petition), 400
    except IntegrityError:  # a concurrent save took the slug between our check and the write
        db.session.rollback()
        form.slug.errors.append(_("Dit webadres is al in gebruik. Kies een ander."))
        return render_template(template, form=form, petition=petition), 409
    flash(_("De petitie is opgeslagen."), "success")
    return redirect(url_for("studio.petition_dashboard", petition_id=petition.id), 303)


@bp.route("/petitions/new", methods=["GET", "POST"])
@campaigner
def petition_new():
    return _save(_form(), None)


@bp.route("/petitions/<int:petition_id>/edit", methods=["GET", "POST"])
@campaigner
def petition_edit(petition_id: int):
    petition = petition_or_404(petition_id)
    return _save(_form(petition), petition)


@bp.get("/petitions/<int:petition_id>")
@viewer
def petition_dashboard(petition_id: int, status: int = 200):
    petition = petition_or_404(petition_id)
    return render_template(
        "studio/petitions/dashboard.html",
        petition=petition,
        overview=petition_overview(petition),
        action_form=ConfirmForm(),
    ), status


@bp.get("/petitions/<int:petition_id>/preview")
@viewer
def petition_preview(petition_id: int):
    """The public page itself (same view code and template), with a notice that it is a preview."""
    petition = petition_or_404(petition_id)
    flash(
        _(
            "Voorbeeld: zo ziet het publiek deze petitie (status: %(status)s).",
            status=state_label(petition.status),
        ),
        "preview",
    )
    return render_petition(petition, SignForm())


LIFECYCLE = {
    "publish": (publish_petition, _l("De petitie is gepubliceerd.")),
    "close": (close_petition, _l("De petitie is gesloten.")),
    "reopen": (reopen_petition, _l("De petitie is heropend.")),
    "archive": (archive_petition, _l("De petitie is gearchiveerd.")),
}


def _lifecycle_view(action: str):
    verb, message = LIFECYCLE[action]

    def view(petition_id: int):
        petition = petition_or_404(petition_id)
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
        if action == "close":  # Impact & Learning: the team writes down what it learned, while it is fresh
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
