"""Open data: GET /metrics.json, the aggregated figures (no personal data)."""

from flask import current_app, jsonify, request

from campaign.metrics.opendata import metrics_json
from campaign.web.api.blueprint import bp


@bp.get("/metrics.json")
def metrics_data():
    response = jsonify(metrics_json())
    response.headers["Cache-Control"] = f"public, max-age={current_app.config['METRICS_MAX_AGE']}"
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    response.add_etag()
    return response.make_conditional(request)
