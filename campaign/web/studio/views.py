"""The campaigners' area (see the studio issue)."""

from flask import Blueprint

bp = Blueprint("studio", __name__)

from campaign.extensions import login  # noqa: E402


@login.user_loader
def load_user(user_id: str):
    return None  # accounts arrive with the studio
