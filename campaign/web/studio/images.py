"""Studio: a petition's hero image. Upload (JPEG, PNG or WebP, up to HERO_IMAGE_MAX_BYTES), alt text,
the focal point the sizes are cropped around, and taking the image away."""

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from campaign.extensions import csrf, db
from campaign.media import MediaError, media_dir
from campaign.media.heroes import remove_hero, set_hero_from_upload, update_hero
from campaign.models import Petition, PetitionImage
from campaign.models.base import utcnow
from campaign.web.lookups import row_or_404
from campaign.web.studio.access import campaigner, viewer
from campaign.web.studio.blueprint import bp
from campaign.web.studio.image_forms import HeroImageForm


def _page(petition, form, status=200):
    return render_template(
        "studio/petitions/image.html", petition=petition, form=form, remove_form=FlaskForm()
    ), status


@bp.get("/petitions/<int:petition_id>/image")
@viewer
def petition_image(petition_id: int):
    petition = row_or_404(Petition, petition_id)
    image = petition.hero_image
    form = HeroImageForm(formdata=None, obj=image) if image else HeroImageForm(formdata=None)
    return _page(petition, form)


@bp.post("/petitions/<int:petition_id>/image")
@csrf.exempt  # checked below, once the larger limit is in place
@campaigner
def petition_image_save(petition_id: int):
    # Only this request may carry a picture: CSRFProtect would read the body before this view,
    # under the site-wide MAX_CONTENT_LENGTH.
    request.max_content_length = current_app.config["HERO_IMAGE_MAX_BYTES"] + 256 * 1024
    csrf.protect()
    petition = row_or_404(Petition, petition_id)
    form = HeroImageForm()
    if not form.validate_on_submit():
        return _page(petition, form, 400)
    upload = form.image.data
    focus = (form.focus_x.data, form.focus_y.data)
    try:
        if upload and upload.filename:
            set_hero_from_upload(
                petition,
                upload.filename,
                upload.stream,
                form.alt.data,
                focus,
                actor=current_user,
                now=utcnow(),
            )
        else:
            update_hero(petition, form.alt.data, focus, actor=current_user, now=utcnow())
    except MediaError as error:
        db.session.rollback()
        getattr(form, error.field).errors.append(str(error))
        return _page(row_or_404(Petition, petition_id), form, error.status)
    db.session.commit()
    flash(_("De afbeelding is opgeslagen."), "success")
    return redirect(url_for("studio.petition_image", petition_id=petition_id), 303)


@bp.post("/petitions/<int:petition_id>/image/delete")
@campaigner
def petition_image_delete(petition_id: int):
    petition = row_or_404(Petition, petition_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    remove_hero(petition, actor=current_user, now=utcnow())
    db.session.commit()
    flash(_("De afbeelding is weggehaald."), "success")
    return redirect(url_for("studio.petition_image", petition_id=petition_id), 303)


@bp.get("/petition-images/<int:image_id>/original")
@viewer
def petition_image_original(image_id: int):
    """The whole cleaned picture, to pick the focal point on (it is never public)."""
    image = row_or_404(PetitionImage, image_id)
    path = media_dir("originals") / f"{image.digest}.jpg"
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="image/jpeg")
