"""Studio: privacy (admins). The consent text (each change a new version), erasure of one person's
signatures by email address, and what the retention job would anonymise now."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, TextAreaField
from wtforms.validators import InputRequired, Length

from campaign import audit, privacy
from campaign.extensions import db
from campaign.models.base import utcnow
from campaign.privacy.preview import erasure_preview
from campaign.web.studio.access import admin
from campaign.web.studio.views import bp


class ConsentForm(FlaskForm):
    text = TextAreaField(
        _l("Toestemmingstekst (Nederlands, Markdown)"),
        validators=[InputRequired(_l("Vul de tekst in.")), Length(max=20000, message=_l("Te lang."))],
    )
    text_en = TextAreaField(
        _l("Toestemmingstekst (Engels, niet verplicht)"),
        validators=[Length(max=20000, message=_l("Te lang."))],
    )


class EraseForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"),
        validators=[
            InputRequired(_l("Vul het e-mailadres in.")),
            Length(max=254, message=_l("Dit e-mailadres is te lang.")),
        ],
    )
    # Set by the confirmation page: the first post only shows what erasing would touch.
    confirmed = HiddenField()


def _page(consent_form=None, erase_form=None, status=200):
    report = privacy.anonymise_closed(utcnow(), current_app.config["RETENTION_MONTHS"], dry_run=True)
    return render_template(
        "studio/privacy/index.html",
        versions=privacy.consent_versions(),
        current=privacy.current_consent(),
        consent_form=consent_form or ConsentForm(formdata=None),
        erase_form=erase_form or EraseForm(formdata=None),
        report=report,
        months=current_app.config["RETENTION_MONTHS"],
    ), status


@bp.get("/privacy")
@admin
def privacy_overview():
    return _page()


@bp.post("/privacy/consent")
@admin
def privacy_consent():
    form = ConsentForm()
    if not form.validate():
        return _page(consent_form=form, status=400)
    row = privacy.add_consent_version(form.text.data, form.text_en.data or "", actor_id=current_user.id)
    audit.record("privacy.consent_version", f"consent:{row.version}")
    db.session.commit()
    flash(
        _("Nieuwe versie %(version)s van de toestemmingstekst staat online.", version=row.version), "success"
    )
    return redirect(url_for("studio.privacy_overview"), 303)


@bp.post("/privacy/erase")
@admin
def privacy_erase():
    form = EraseForm()
    if not form.validate():
        return _page(erase_form=form, status=400)
    if form.confirmed.data != "yes":
        return render_template(
            "studio/privacy/erase_confirm.html",
            form=form,
            found=erasure_preview(form.email.data),
        )
    erased = privacy.erase_by_email(form.email.data)
    # The address itself is never logged: only that an erasure happened and how much it touched.
    audit.record("privacy.erase", "supporter", details=f"{erased} signatures erased")
    db.session.commit()
    flash(
        ngettext(
            "%(num)s handtekening met dit adres is gewist.",
            "%(num)s handtekeningen met dit adres zijn gewist.",
            erased,
        ),
        "success",
    )
    return redirect(url_for("studio.privacy_overview"), 303)
