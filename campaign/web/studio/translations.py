"""Studio: a petition's translations, written and published per language."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.extensions import db
from campaign.models import Petition
from campaign.models.base import utcnow
from campaign.petitions import PetitionError
from campaign.petitions.translations import (
    TranslationDraft,
    delete_translation,
    find_translation,
    save_translation,
    translatable_languages,
)
from campaign.web.lookups import row_or_404
from campaign.web.studio.access import campaigner, viewer
from campaign.web.studio.blueprint import bp
from campaign.web.studio.forms import ConfirmForm, TranslationForm


@bp.get("/petitions/<int:petition_id>/translations")
@viewer
def translations(petition_id: int):
    petition = row_or_404(Petition, petition_id)
    rows = [(code, find_translation(petition, code)) for code in translatable_languages(petition)]
    return render_template(
        "studio/petitions/translations.html", petition=petition, rows=rows, action_form=ConfirmForm()
    )


@bp.route("/petitions/<int:petition_id>/translations/<language>", methods=["GET", "POST"])
@campaigner
def translation_edit(petition_id: int, language: str):
    petition = row_or_404(Petition, petition_id)
    if language not in current_app.config["LANGUAGES"] or language == petition.language:
        abort(404)
    existing = find_translation(petition, language)
    form = TranslationForm(obj=existing)
    if existing is not None and not form.is_submitted():
        form.published.data = existing.published
    template = "studio/petitions/translation_edit.html"
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template(template, petition=petition, language=language, form=form), status
    draft = TranslationDraft(
        language=language,
        title=form.title.data,
        summary=form.summary.data,
        body=form.body.data,
        share_text=form.share_text.data,
        published=bool(form.published.data),
    )
    try:
        save_translation(petition, draft, current_user, utcnow())
        db.session.commit()
    except PetitionError as error:
        db.session.rollback()
        form.title.errors.append(str(error))
        return render_template(template, petition=petition, language=language, form=form), 400
    flash(_("De vertaling is opgeslagen."), "success")
    return redirect(url_for("studio.translations", petition_id=petition.id), 303)


@bp.post("/petitions/<int:petition_id>/translations/<language>/delete")
@campaigner
def translation_delete(petition_id: int, language: str):
    petition = row_or_404(Petition, petition_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if delete_translation(petition, language, current_user, utcnow()):
        db.session.commit()
        flash(_("De vertaling is verwijderd."), "success")
    return redirect(url_for("studio.translations", petition_id=petition.id), 303)
