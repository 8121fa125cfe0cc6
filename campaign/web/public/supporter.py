"""A supporter's personal link (from their mails): see, download and withdraw their signature.

The token in the URL (campaign.signing.personal_link, not the confirmation token) is the only key;
these pages are never cached and send no Referer anywhere.
"""

import csv
import io
import json

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import Gone

from campaign.csvcells import cell
from campaign.extensions import db
from campaign.privacy import supporter_data, withdraw_signature
from campaign.signing.personal_link import LinkExpired, find_by_personal_token
from campaign.web.lookups import public_petition_or_404
from campaign.web.public.blueprint import PRIVATE_HEADERS, bp


def _signature(token: str):
    try:
        signature = find_by_personal_token(token)
    except LinkExpired:
        error = Gone()
        error.user_message = _(
            "Deze persoonlijke link is verlopen. Teken de petitie opnieuw met hetzelfde e-mailadres: "
            "u krijgt dan een mail met een nieuwe link (uw handtekening telt niet dubbel)."
        )
        raise error from None
    if signature is None:
        abort(404)
    return signature


@bp.get("/signatures/<token>")
def supporter(token: str, status: int = 200):
    signature = _signature(token)
    page = render_template(
        "public/supporter/mine.html",
        token=token,
        signature=signature,
        petition=signature.petition,
        data=supporter_data(signature),
        not_sure=status == 400,
    )
    return page, status, PRIVATE_HEADERS


@bp.get("/signatures/<token>/data.json")
def supporter_export(token: str):
    signature = _signature(token)
    body = json.dumps(supporter_data(signature), ensure_ascii=False, indent=2)
    headers = {
        **PRIVATE_HEADERS,
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": 'attachment; filename="mijn-handtekening.json"',
    }
    return body, 200, headers


@bp.get("/signatures/<token>/data.csv")
def supporter_export_csv(token: str):
    """The same as data.json, one row per item, for a spreadsheet (UTF-8 with BOM for Excel)."""
    signature = _signature(token)
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["field", "value"])
    for key, value in _flat(supporter_data(signature)):
        writer.writerow([key, cell(value)])
    headers = {
        **PRIVATE_HEADERS,
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="my-signature.csv"',
    }
    return "\ufeff" + rows.getvalue(), 200, headers


def _flat(data: dict, prefix: str = ""):
    for key, value in data.items():
        if isinstance(value, dict):
            yield from _flat(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", "" if value is None else str(value)


@bp.post("/signatures/<token>/withdraw")
def supporter_withdraw(token: str):
    signature = _signature(token)
    if request.form.get("sure") != "y":  # asked first: withdrawing wipes the data for good
        return supporter(token, status=400)
    slug = signature.petition.slug
    withdraw_signature(signature)
    db.session.commit()
    return redirect(url_for("public.withdrawn", slug=slug), 303)


@bp.get("/petitions/<slug>/withdrawn")
def withdrawn(slug: str):
    return (
        render_template("public/supporter/withdrawn.html", petition=public_petition_or_404(slug)),
        200,
        PRIVATE_HEADERS,
    )
