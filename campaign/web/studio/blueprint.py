"""The studio blueprint (the campaigners' area at /studio) and what holds for all of its pages.

Its route modules add their routes to `bp`; the package (campaign/web/studio/__init__.py) imports them,
and the factory registers it.
"""

from flask import Blueprint
from flask_login import current_user

from campaign.extensions import login

bp = Blueprint("studio", __name__)
# Sets or clears the remember cookie after a login, logout or failed session protection (all here).
bp.after_request(login._update_remember_cookie)


@bp.context_processor
def studio_context():
    return {"current_user": current_user}


@bp.after_request
def never_cache(response):
    # Studio pages hold personal data: no shared or browser cache keeps them.
    response.headers["Cache-Control"] = "no-store"
    return response
