"""/media/<name>: hero sizes and share cards, from MEDIA_DIR/public only (never the evidence folder).
Names are hashes of the content, so every cache may keep a file for a year without asking again."""

from flask import abort, send_from_directory

from campaign.media import CONTENT_TYPES, PUBLIC_NAME, public_dir
from campaign.web.public.blueprint import bp

YEAR = 365 * 24 * 3600


@bp.get("/media/<name>")
def media(name: str):
    if not PUBLIC_NAME.match(name):
        abort(404)
    response = send_from_directory(
        public_dir(), name, mimetype=CONTENT_TYPES[name.rsplit(".", 1)[1]], conditional=True
    )
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
