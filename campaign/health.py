"""Is the platform able to work: the database and Redis each answer (GET /healthz)."""

from sqlalchemy import text

from campaign.extensions import db
from campaign.redis_client import redis_connection


def health() -> dict[str, str]:
    """{"db": "ok" | "down", "redis": "ok" | "down"}."""
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
    return status
