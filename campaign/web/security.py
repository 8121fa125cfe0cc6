"""Security headers on every response, and form endpoints that accept only form posts.

The Content-Security-Policy allows nothing inline: scripts and styles come from /static only, so
templates must not use inline <script>, style= attributes or on* handlers. Views meant to be shown
in other sites' frames are marked with @embeddable.
"""

from functools import lru_cache
from urllib.parse import unquote_to_bytes

from flask import current_app, request
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from campaign.web.errors import error_page
from campaign.web.input_guard import refuse_unusable_characters

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
)
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
FORM_BLUEPRINTS = {"public", "studio"}  # the API blueprint speaks JSON


def embeddable(view):
    """Allow this view in a frame on any site (a count widget, for instance)."""
    view.embeddable = True
    return view


def embeddable_by_origins(view):
    """Allow this view in frames on our own pages and the sites listed in EMBED_ORIGINS only."""
    view.embeddable = "origins"
    return view


def _is_embeddable():
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "embeddable", False)


def _frame_ancestors(embeddable, origins) -> str:
    if embeddable == "origins":
        # Only well-formed origins reach the header: a stray ';' in a setting must not add a directive.
        listed = [o for o in origins if o and not set(o) & set("; ,'\"\n")]
        return "frame-ancestors " + " ".join(["'self'", *listed])
    return "frame-ancestors *" if embeddable else "frame-ancestors 'none'"


@lru_cache(maxsize=16)
def _policy_headers(embeddable, origins: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The headers every answer carries, built once per kind of view (not per response)."""
    headers = [("Content-Security-Policy", f"{CSP}; {_frame_ancestors(embeddable, origins)}")]
    if not embeddable:
        headers.append(("X-Frame-Options", "DENY"))
    return (
        *headers,
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    )


def set_headers(response):
    """Each header unless the view set its own. One pass over the answer's headers: Headers.setdefault
    walked them, and raised and caught an exception, once per header."""
    headers = response.headers
    embeddable = _is_embeddable()
    origins = tuple(current_app.config["EMBED_ORIGINS"]) if embeddable == "origins" else ()
    wanted = _policy_headers(embeddable, origins)
    if request.is_secure:
        wanted = (
            *wanted,
            ("Strict-Transport-Security", f"max-age={current_app.config['HSTS_SECONDS']}; includeSubDomains"),
        )
    present = {key.lower() for key, _value in headers.items()}
    headers.extend([(key, value) for key, value in wanted if key.lower() not in present])
    return response


def refuse_other_posts():
    """A POST to a page's form must be a form: JSON or anything else gets a clear 415, not a CSRF error."""
    if request.method != "POST" or request.blueprint not in FORM_BLUEPRINTS:
        return None
    if request.mimetype and request.mimetype not in FORM_TYPES:
        error = UnsupportedMediaType()
        error.user_message = _(
            "Dit formulier accepteert alleen gewone formuliergegevens, geen %(type)s.",
            type=request.mimetype[:60],
        )
        raise error
    if request.mimetype == "application/x-www-form-urlencoded" and not _is_utf8(request.get_data(cache=True)):
        error = BadRequest()
        error.user_message = _(
            "Uw invoer bevat tekens die we niet konden lezen (geen geldige UTF-8). "
            "Typ ze opnieuw en verstuur het formulier nog eens."
        )
        raise error
    return None


def _is_utf8(body: bytes) -> bool:
    """Werkzeug keeps undecodable %-escapes as literal text; we refuse them instead of storing '%FF'.
    (The cached body is what the form parser reads next, so this costs no second read.)"""
    try:
        unquote_to_bytes(body.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def register(app) -> None:
    app.after_request(set_headers)
    # First of all before-request hooks, ahead of the CSRF check, which would answer with a vaguer error.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_other_posts)
    # Then, still before CSRF and rate limits: control and bidi characters anywhere in the request.
    app.before_request_funcs[None].insert(1, refuse_unusable_characters)

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(error):
        message = error.description if error.limit.error_message else None
        return error_page(429, message)
