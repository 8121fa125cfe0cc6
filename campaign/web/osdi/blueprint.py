"""The OSDI API's blueprint under /api/v1/: a key in the OSDI-API-Token header checked before every
view (each use recorded on the key), Flask-Limiter per key (API_RATE_LIMIT), JSON errors. Its route
modules (views, record, openapi) add their routes to `bp`; the package imports them."""

import hashlib

from flask import Blueprint, current_app, g, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from campaign.api.keys import admit
from campaign.extensions import csrf, db, limiter
from campaign.models.base import utcnow
from campaign.web.hal import api_error, unknown_key_message

bp = Blueprint("osdi", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies here: the key in a header is the credential
MAX_PER_PAGE = 100
PUBLIC_ENDPOINTS = {"osdi.openapi"}


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
    presented = request.headers.get("OSDI-API-Token")
    key, allowed = admit(presented, request.method, request.path, utcnow())
    if key is None:
        return api_error(401, unknown_key_message(presented))
    db.session.commit()  # the key's use (and a refusal's audit event)
    if not allowed:
        return api_error(
            403, _("Deze sleutel mag alleen lezen; voor deze handeling is een schrijfsleutel nodig.")
        )
    g.api_key_id = key.id
    return None


@bp.errorhandler(HTTPException)
def http_error(error):
    message = getattr(error, "user_message", None) or error.description
    return api_error(error.code or 500, message)
