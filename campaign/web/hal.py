"""The OSDI API's answers: HAL+JSON bodies, and its errors as JSON (also for errors raised outside
its routes, under /api/v1/, by campaign.web.errors)."""

import json

from flask import current_app
from flask_babel import gettext as _

HAL = "application/hal+json"
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


def unknown_key_message(presented: str | None) -> str:
    if presented:
        return _("Deze API-sleutel is onbekend of ingetrokken.")
    return _("Geef uw API-sleutel mee in de header OSDI-API-Token.")
