"""The OSDI API under /api/v1/: HAL+JSON, a key in the OSDI-API-Token header, JSON errors.

Keys are checked before every view; each use is recorded on the key, and Flask-Limiter limits the
requests per key (API_RATE_LIMIT). The record-signature helper lives in .record, the OpenAPI
description in .openapi.
"""

import hashlib
import json

from flask import Blueprint, abort, current_app, g, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from campaign import audit
from campaign.api.keys import key_for, record_use
from campaign.api.osdi import (
    CURIES,
    LISTED,
    FilterError,
    api_url,
    collection,
    modified_filter,
    petition_resource,
    signature_resource,
)
from campaign.extensions import csrf, db, limiter
from campaign.metrics.counts import petition_count, petition_counts
from campaign.models import ApiScope, Petition, PetitionStatus, Signature
from campaign.models.base import utcnow

bp = Blueprint("osdi", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies here: the key in a header is the credential
HAL = "application/hal+json"
MAX_PER_PAGE = 100
PUBLIC_ENDPOINTS = {"osdi.openapi"}


def hal(data: dict, status: int = 200, headers: dict | None = None):
    response = current_app.response_class(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")), status=status, mimetype=HAL
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers.update(headers or {})
    return response


def api_error(status: int, message: str, code: str | None = None, **extra):
    body = {
        "error": code or _ERROR_CODES.get(status, "error"),
        "message": str(message),
        "response_code": status,
    }
    headers = {"WWW-Authenticate": 'OSDI-API-Token realm="api"'} if status == 401 else {}
    response = hal({**body, **extra}, status, headers)
    response.mimetype = "application/json"
    return response


_ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "rate_limited",
    503: "unavailable",
}


def _rate_key() -> str:
    """Per key, without a database look-up (Flask-Limiter checks before our views run)."""
    token = request.headers.get("OSDI-API-Token", "")
    return "api-key:" + hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()[:24]


limiter.limit(
    lambda: current_app.config["API_RATE_LIMIT"],
    key_func=_rate_key,
    error_message=lambda: _("Te veel verzoeken met deze sleutel. Wacht even en probeer het dan opnieuw."),
    scope="api-key",
)(bp)


@bp.before_request
def authenticate():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    key = key_for(request.headers.get("OSDI-API-Token"))
    if key is None:
        message = (
            _("Deze API-sleutel is onbekend of ingetrokken.")
            if request.headers.get("OSDI-API-Token")
            else _("Geef uw API-sleutel mee in de header OSDI-API-Token.")
        )
        return api_error(401, message)
    record_use(key, utcnow())
    needed = ApiScope.READ if request.method in ("GET", "HEAD", "OPTIONS") else ApiScope.WRITE
    if not key.may(needed):
        audit.record(
            "api.refused",
            f"api_key:{key.id}",
            details=f"{request.method} {request.path[:120]} needs {needed}",
        )
        db.session.commit()
        return api_error(
            403, _("Deze sleutel mag alleen lezen; voor deze handeling is een schrijfsleutel nodig.")
        )
    db.session.commit()
    g.api_key_id = key.id
    return None


@bp.errorhandler(HTTPException)
def http_error(error):
    message = getattr(error, "user_message", None) or error.description
    return api_error(error.code or 500, message)


@bp.get("/")
def entry_point():
    return hal(
        {
            "motd": _("De OSDI-API van Petities"),
            "vendor_name": "Petities",
            "product_name": "Petities",
            "osdi_version": "1.2",
            "namespace": "petities",
            "max_pagesize": MAX_PER_PAGE,
            "_links": {
                "self": {"href": api_url()},
                "curies": CURIES,
                "osdi:petitions": {"href": api_url("petitions"), "title": "The collection of petitions"},
                "docs": {"href": api_url("openapi.json"), "title": "OpenAPI description"},
            },
        }
    )


def paging() -> tuple[int, int]:
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", 25))
    except ValueError:
        abort(400, _("page en per_page moeten gehele getallen zijn."))
    if page < 1 or per_page < 1:
        abort(400, _("page en per_page moeten 1 of groter zijn."))
    return page, min(per_page, MAX_PER_PAGE)


def _listed_petitions():
    return db.select(Petition).where(Petition.status.in_([PetitionStatus.OPEN, PetitionStatus.CLOSED]))


def petition_or_404(petition_id: int) -> Petition:
    petition = db.session.execute(_listed_petitions().where(Petition.id == petition_id)).scalar_one_or_none()
    if petition is None:
        abort(404, _("Deze petitie bestaat niet."))
    return petition


@bp.get("/petitions")
def petitions():
    page, per_page = paging()
    query = _listed_petitions()
    total = db.session.execute(db.select(db.func.count()).select_from(query.subquery())).scalar()
    rows = (
        db.session.execute(query.order_by(Petition.id).offset((page - 1) * per_page).limit(per_page))
        .scalars()
        .all()
    )
    counts = petition_counts([p.id for p in rows])
    items = [petition_resource(p, counts[p.id].confirmed if p.id in counts else 0) for p in rows]
    return hal(collection("petitions", items, page, per_page, total, "petitions", {}))


@bp.get("/petitions/<int:petition_id>")
def petition(petition_id: int):
    found = petition_or_404(petition_id)
    return hal(petition_resource(found, petition_count(found.id).confirmed))


_COMPARE = {
    "gt": lambda column, value: column > value,
    "ge": lambda column, value: column >= value,
    "lt": lambda column, value: column < value,
    "le": lambda column, value: column <= value,
    "eq": lambda column, value: column == value,
}


@bp.get("/petitions/<int:petition_id>/signatures")
def signatures(petition_id: int):
    found = petition_or_404(petition_id)
    page, per_page = paging()
    try:
        terms = modified_filter(request.args.get("filter"))
    except FilterError:
        abort(
            400,
            _("Dit filter begrijpen we niet. Gebruik bijvoorbeeld: modified_date gt '2026-11-30T12:00:00Z'."),
        )
    conditions = [Signature.petition_id == found.id, Signature.status.in_(LISTED)]
    conditions += [_COMPARE[op](Signature.modified_at, value) for op, value in terms]
    total = db.session.execute(db.select(db.func.count()).select_from(Signature).where(*conditions)).scalar()
    rows = (
        db.session.execute(
            db.select(Signature)
            .where(*conditions)
            .order_by(Signature.modified_at, Signature.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
        .scalars()
        .all()
    )
    query = {"filter": request.args["filter"]} if request.args.get("filter") else {}
    path = f"petitions/{found.id}/signatures"
    items = [signature_resource(row) for row in rows]
    return hal(collection("signatures", items, page, per_page, total, path, query))


@bp.get("/petitions/<int:petition_id>/signatures/<int:signature_id>")
def signature(petition_id: int, signature_id: int):
    found = petition_or_404(petition_id)
    row = db.session.get(Signature, signature_id)
    if row is None or row.petition_id != found.id or row.status not in LISTED:
        abort(404, _("Deze handtekening bestaat niet (of is nog niet bevestigd)."))
    return hal(signature_resource(row))


from campaign.web.api import openapi, record  # noqa: E402, F401 - register their routes on bp
