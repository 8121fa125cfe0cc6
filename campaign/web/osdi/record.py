"""POST /api/v1/petitions/<id>/signatures: OSDI's record-signature helper.

The same rules as the sign form, not a copy of them: the person is read into the SignForm and
validated by it, then recorded by campaign.api.record through the sign form's own verb
(campaign.signing.submit_signature), which owes the double opt-in mail. Honours Idempotency-Key.
"""

import json

from flask import current_app, g, request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from campaign.api import idempotency
from campaign.api.osdi import read_person, signature_resource
from campaign.api.record import record_signature as record_by_key
from campaign.api.record import signature_now
from campaign.extensions import db
from campaign.i18n import current_locale
from campaign.models.base import utcnow
from campaign.signing.submit import CLOSED, not_taking_signatures
from campaign.web.hal import api_error, hal
from campaign.web.osdi.blueprint import bp
from campaign.web.osdi.views import petition_or_404
from campaign.web.public.forms import SignForm

MAX_IDEMPOTENCY_KEY = 255


@bp.post("/petitions/<int:petition_id>/signatures")
def record_signature(petition_id: int):
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > MAX_IDEMPOTENCY_KEY:
        return api_error(400, _("De Idempotency-Key is te lang (hoogstens 255 tekens)."))
    now = utcnow()
    digest = idempotency.request_hash(request.method, request.path, request.get_data())
    if key:
        replay = _replay(key, digest, now)
        if replay is not None:
            return replay
    status, body = _record(petition_id, now)
    try:
        if key and status < 500:
            # The signature's id, not its person: a withdrawal or erasure must not leave a copy here.
            kept = {"signature_id": body["identifiers"][0]} if "identifiers" in body else body
            idempotency.remember(g.api_key_id, key, digest, status, json.dumps(kept), now)
        db.session.commit()
    except IntegrityError:  # the same Idempotency-Key raced us and won: answer as it did
        db.session.rollback()
        return _replay(key, digest, now) or api_error(409, _("Dit verzoek wordt al verwerkt."))
    return hal(body, status)


def _replay(key: str, digest: str, now):
    stored = idempotency.find(g.api_key_id, key, now)
    if stored is None:
        return None
    if stored.request_hash != digest:
        return api_error(
            422, _("Deze Idempotency-Key is al gebruikt voor een ander verzoek. Kies een nieuwe sleutel.")
        )
    body = json.loads(stored.body)
    if "signature_id" in body:  # the signature as it is now (confirmed since, or withdrawn)
        row = signature_now(int(body["signature_id"].rpartition(":")[2]))
        body = signature_resource(row) if row is not None else {"identifiers": [body["signature_id"]]}
    return hal(body, stored.status_code, {"Idempotent-Replayed": "true"})


def _error(status: int, message: str, **extra) -> tuple[int, dict]:
    return status, {
        "error": "invalid" if status == 400 else "refused",
        "message": str(message),
        "response_code": status,
        **extra,
    }


def _record(petition_id: int, now) -> tuple[int, dict]:
    """(status, body) of the answer; writes nothing but the signature (and its owed mail)."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return _error(400, _("Stuur een JSON-object met een OSDI 'person'."))
    petition = petition_or_404(petition_id)
    refused = not_taking_signatures(petition, now)  # closed or paused, whatever the person says
    if refused is not None:
        return _error(410 if refused.reason == CLOSED else 503, refused.message)
    person = read_person(payload.get("person"))
    comments = payload.get("comments")
    form = SignForm(
        formdata=MultiDict(
            {
                "name": person.name,
                "email": person.email,
                "postcode": person.postcode,
                "country": person.country,
                "consent": "y" if payload.get("consent") is True else "",
                "newsletter": "y" if person.newsletter else "",
                "message": comments if isinstance(comments, str) else "",
            }
        ),
        meta={"csrf": False},
    )
    if not form.validate():
        fields = {name: [str(error) for error in errors] for name, errors in form.errors.items()}
        return _error(400, _("De gegevens van de ondertekenaar kloppen niet; zie 'fields'."), fields=fields)
    locale = person.locale if person.locale in current_app.config["LANGUAGES"] else current_locale()
    refused, row = record_by_key(petition, form.sign_request(locale), api_key_id=g.api_key_id, now=now)
    if refused is not None:
        return _error(410 if refused.reason == CLOSED else 503, refused.message)
    # New: 201. The address had signed: 200 with that signature (its mail is a reminder, as on the site).
    return (201 if row.created_at == now else 200), signature_resource(row)
