"""The studio blueprint (the campaigners' area at /studio) and what holds for all of its pages.

Its route modules add their routes to `bp`; the package (campaign/web/studio/__init__.py) imports them,
and the factory registers it.
"""

from flask import Blueprint
from flask_login import current_user

bp = Blueprint("studio", __name__)


@bp.context_processor
def studio_context():
    return {"current_user": current_user}


@bp.after_request
def never_cache(response):
    # Studio pages hold personal data: no shared or browser cache keeps them.
    response.headers["Cache-Control"] = "no-store"
    return response
