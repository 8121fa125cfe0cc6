"""Studio: a petition's signatures (search, filter, invalidate) and the CSV export. Campaigners and up.

The search may hold a name or an address, so it never goes into a URL nor into the (signed but
readable) session cookie: the filter form is POSTed, kept in Redis per account and petition for a
working day, and the list is a GET with only the page number in the URL.
"""

import json
import logging
from datetime import date

import redis
from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from campaign.extensions import db
from campaign.models import Petition, Signature
from campaign.models.base import utcnow
from campaign.redis_client import redis_connection
from campaign.signing.export import export_signatures
from campaign.signing.moderation import (
    SignatureFilter,
    count_invalidatable,
    invalidate_matching,
    invalidate_signature,
    mail_problems,
    signature_page,
)
from campaign.signing.outbox import GAVE_UP, MAILBOX_CAP
from campaign.web.lookups import row_or_404
from campaign.web.studio.access import campaigner
from campaign.web.studio.blueprint import bp
from campaign.web.studio.forms import ConfirmForm, InvalidateForm, SignatureFilterForm

log = logging.getLogger(__name__)
FILTER_SECONDS = 12 * 3600


def _filter_key(petition_id: int) -> str:
    return f"campaign:studio-filter:{current_user.id}:{petition_id}"


def _store_filter(petition_id: int, stored: dict | None) -> bool:
    try:
        if stored is None:
            redis_connection().delete(_filter_key(petition_id))
        else:
            redis_connection().set(_filter_key(petition_id), json.dumps(stored), ex=FILTER_SECONDS)
    except redis.RedisError:
        log.warning("redis unavailable; signature filter not kept")
        return False
    return True


def _stored_filter(petition_id: int) -> SignatureFilter:
    try:
        stored = json.loads(redis_connection().get(_filter_key(petition_id)) or "{}")
    except redis.RedisError:
        log.warning("redis unavailable; signature filter not read")
        stored = {}
    day = lambda value: date.fromisoformat(value) if value else None  # noqa: E731
    return SignatureFilter(
        search=stored.get("q", ""),
        status=stored.get("status", ""),
        since=day(stored.get("since")),
        until=day(stored.get("until")),
    )


def _filter_form(wanted: SignatureFilter) -> SignatureFilterForm:
    return SignatureFilterForm(
        formdata=None, q=wanted.search, status=wanted.status, since=wanted.since, until=wanted.until
    )


@bp.app_template_filter("supporter_mail_error")
def supporter_mail_error(text: str) -> str:
    """Our own markers in words; a server's reply as it came (addresses already cut out)."""
    if text == MAILBOX_CAP:
        return _(
            "overgeslagen: dit adres kreeg dit uur al het maximum aantal mails (bescherming tegen mailbommen)"
        )
    if text == GAVE_UP:
        return _("opgegeven: het versturen werd te vaak afgebroken")
    return text


@bp.get("/petitions/<int:petition_id>/signatures")
@campaigner
def signatures(petition_id: int):
    petition = row_or_404(Petition, petition_id)
    wanted = _stored_filter(petition_id)
    page = signature_page(petition_id, wanted, request.args.get("page", 1, type=int))
    return render_template(
        "studio/signatures/list.html",
        petition=petition,
        page=page,
        wanted=wanted,
        filter_form=_filter_form(wanted),
        action_form=ConfirmForm(),
        mail=mail_problems(petition_id),
    )


@bp.post("/petitions/<int:petition_id>/signatures")
@campaigner
def signatures_filter(petition_id: int):
    petition = row_or_404(Petition, petition_id)
    if request.form.get("clear"):
        _store_filter(petition_id, None)
        return redirect(url_for("studio.signatures", petition_id=petition_id), 303)
    form = SignatureFilterForm()
    if not ConfirmForm().validate_on_submit() or not form.validate():
        wanted = _stored_filter(petition_id)
        page = signature_page(petition_id, wanted, 1)
        return render_template(
            "studio/signatures/list.html",
            petition=petition,
            page=page,
            wanted=wanted,
            filter_form=form,
            action_form=ConfirmForm(),
            mail=mail_problems(petition_id),
        ), 400
    wanted = {
        "q": (form.q.data or "").strip(),
        "status": form.status.data or "",
        "since": form.since.data.isoformat() if form.since.data else "",
        "until": form.until.data.isoformat() if form.until.data else "",
    }
    if not _store_filter(petition_id, wanted):
        flash(_("Het filter kon even niet worden bewaard. Probeer het zo opnieuw."), "error")
    return redirect(url_for("studio.signatures", petition_id=petition_id), 303)


@bp.post("/signatures/<int:signature_id>/invalidate")
@campaigner
def signature_invalidate(signature_id: int):
    signature = row_or_404(Signature, signature_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if invalidate_signature(signature, current_user):
        db.session.commit()
        flash(_("De handtekening is ongeldig verklaard. De publieke teller past zich zo aan."), "success")
    else:
        flash(_("Deze handtekening was al ongeldig of ingetrokken."), "error")
    return redirect(url_for("studio.signatures", petition_id=signature.petition_id), 303)


@bp.route("/petitions/<int:petition_id>/signatures/invalidate", methods=["GET", "POST"])
@campaigner
def signatures_invalidate_many(petition_id: int):
    """First a preview with the number that will change, then the confirmed POST changes exactly that."""
    petition = row_or_404(Petition, petition_id)
    wanted = _stored_filter(petition_id)
    count = count_invalidatable(petition_id, wanted)
    form = InvalidateForm(expected=count)
    template = "studio/signatures/invalidate.html"
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template(template, petition=petition, wanted=wanted, count=count, form=form), status
    if not wanted.narrows:
        flash(
            _("Kies eerst een filter: alle handtekeningen in één keer ongeldig verklaren kan niet."), "error"
        )
        return render_template(template, petition=petition, wanted=wanted, count=count, form=form), 400
    if form.expected.data != count:
        flash(
            _("Het aantal is intussen veranderd. Controleer het nieuwe aantal en bevestig opnieuw."), "error"
        )
        form.expected.data = count
        return render_template(template, petition=petition, wanted=wanted, count=count, form=form), 409
    changed = invalidate_matching(petition_id, wanted, current_user)
    db.session.commit()
    flash(
        ngettext(
            "%(num)s handtekening ongeldig verklaard. De publieke teller past zich zo aan.",
            "%(num)s handtekeningen ongeldig verklaard. De publieke teller past zich zo aan.",
            changed,
        ),
        "success",
    )
    return redirect(url_for("studio.signatures", petition_id=petition_id), 303)


@bp.get("/petitions/<int:petition_id>/signatures.csv")
@campaigner
def signatures_export(petition_id: int):
    petition = row_or_404(Petition, petition_id)
    chunks = export_signatures(petition, actor=current_user)
    db.session.commit()
    filename = f"handtekeningen-{petition.slug}-{utcnow():%Y%m%d}.csv"
    return Response(
        stream_with_context(chunks),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
