"""Machine-readable answers: live counts and health."""

from flask import current_app, jsonify, request

from campaign.health import health
from campaign.metrics.counts import petition_count, public_petition
from campaign.web.api.blueprint import bp
from campaign.web.lookups import public_petition_or_404


@bp.get("/petitions/<slug>/count.json")
def count(slug: str):
    petition = public_petition_or_404(slug, find=public_petition)  # cached: no query per request
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
    status = health()
    healthy = all(value == "ok" for value in status.values())
    response = jsonify(status)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
