"""Studio: privacy (admins). The consent text (each change a new version), erasure of one person's
signatures by email address, and what the retention job would anonymise now."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from campaign import privacy
from campaign.extensions import db
from campaign.models.base import utcnow
from campaign.privacy.preview import erasure_preview
from campaign.web.studio.access import admin
from campaign.web.studio.blueprint import bp
from campaign.web.studio.forms import ConsentForm, EraseForm


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
    row = privacy.add_consent_version(form.text.data, form.text_en.data or "", actor=current_user)
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
    erased = privacy.erase_by_email(form.email.data, actor=current_user)
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
