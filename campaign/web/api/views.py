"""Machine-readable answers: live counts and health."""

from flask import Blueprint, abort, current_app, jsonify, request
from sqlalchemy import text

from campaign.extensions import db
from campaign.metrics.counts import petition_count, public_petition
from campaign.redis_client import redis_connection

bp = Blueprint("api", __name__)


@bp.get("/petitions/<slug>/count.json")
def count(slug: str):
    petition = public_petition(slug)
    if petition is None:
        abort(404)
    tally = petition_count(petition.id)
    response = jsonify(
        slug=petition.slug,
        count=tally.confirmed,
        goal=petition.goal,
        updated_at=tally.updated_at.isoformat() + "Z" if tally.updated_at else None,
    )
    # Thousands refreshing at once: let browsers and proxies reuse the answer for a few seconds.
    response.headers["Cache-Control"] = f"public, max-age={current_app.config['COUNT_MAX_AGE']}"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/healthz/ping")
def ping():
    """Liveness only, no database or Redis: the benchmark's ceiling for this server and app."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/healthz")
def healthz():
    status = {}
    try:
        db.session.execute(text("SELECT 1"))
        status["db"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means "down"
        db.session.rollback()
        status["db"] = "down"
    try:
        redis_connection().ping()
        status["redis"] = "ok"
    except Exception:  # noqa: BLE001
        status["redis"] = "down"
    healthy = all(value == "ok" for value in status.values())
    response = jsonify(status)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


from campaign.web.api import opendata  # noqa: E402, F401 - registers /metrics.json on bp
