"""Studio: the directory of targets, and importing them from CSV (preview first, then all or nothing)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from campaign.extensions import db
from campaign.models import Target
from campaign.targets import TargetDetails, TargetError, all_targets, save_target
from campaign.targets.importing import import_targets, preview_import
from campaign.web.lookups import row_or_404
from campaign.web.studio.access import campaigner, viewer
from campaign.web.studio.blueprint import bp
from campaign.web.studio.forms import TargetForm, TargetImportForm


@bp.get("/targets")
@viewer
def targets():
    items = all_targets()
    return render_template("studio/targets/list.html", targets=items)


def _save(form: TargetForm, target: Target | None):
    template = "studio/targets/edit.html"
    if not form.validate_on_submit():
        return render_template(template, form=form, target=target), 400 if form.is_submitted() else 200
    details = TargetDetails(
        name=form.name.data,
        email=form.email.data,
        title=form.title.data or "",
        organisation=form.organisation.data or "",
        language=form.language.data,
        region=form.region.data,
    )
    try:
        save_target(details, current_user, target)
    except TargetError as error:
        db.session.rollback()
        getattr(form, error.field or "name").errors.append(str(error))
        return render_template(template, form=form, target=target), 400
    db.session.commit()
    flash(_("Het doelwit is opgeslagen."), "success")
    return redirect(url_for("studio.targets"), 303)


@bp.route("/targets/new", methods=["GET", "POST"])
@campaigner
def target_new():
    return _save(TargetForm(), None)


@bp.route("/targets/<int:target_id>/edit", methods=["GET", "POST"])
@campaigner
def target_edit(target_id: int):
    target = row_or_404(Target, target_id)
    return _save(TargetForm(obj=target), target)


def _uploaded_text(form: TargetImportForm) -> str | None:
    """The CSV as text, from the file or the text area; None if it is not UTF-8."""
    upload = form.file.data
    raw = upload.read() if upload and getattr(upload, "filename", "") else None
    if raw is None:
        return form.text.data or ""
    for encoding in ("utf-8-sig", "cp1252"):  # Excel on Windows still writes cp1252
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


@bp.route("/targets/import", methods=["GET", "POST"])
@campaigner
def target_import():
    form = TargetImportForm()
    template = "studio/targets/import.html"
    if not form.validate_on_submit():
        return render_template(template, form=form, preview=None), 400 if form.is_submitted() else 200
    text = _uploaded_text(form)
    if text is None:
        form.file.errors.append(_("Dit bestand kunnen we niet lezen. Sla het op als CSV (UTF-8)."))
        return render_template(template, form=form, preview=None), 400
    preview = preview_import(text)
    if not preview.ok:
        return render_template(template, form=form, preview=preview, text=text), 400
    if request.form.get("confirm") != "1":  # first the preview, then the campaigner confirms
        return render_template(template, form=form, preview=preview, text=text)
    import_targets(text, current_user)
    db.session.commit()
    flash(
        ngettext("%(num)s doelwit geïmporteerd.", "%(num)s doelwitten geïmporteerd.", len(preview.rows)),
        "success",
    )
    return redirect(url_for("studio.targets"), 303)
