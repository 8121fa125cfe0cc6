"""Who may do what in the studio: login for everything, roles for more (least privilege)."""

from functools import wraps

from flask import abort
from flask_login import current_user

from campaign.models import Role


def role_required(role: str):
    """Allow accounts with at least `role` (admin > campaigner > viewer); 403 for the rest."""
    Role(role)  # fail at import time on a typo

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from campaign.extensions import login

                return login.unauthorized()
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_role = role  # read by the route-table test
        return wrapped

    return decorate


viewer = role_required(Role.VIEWER)
campaigner = role_required(Role.CAMPAIGNER)
admin = role_required(Role.ADMIN)
