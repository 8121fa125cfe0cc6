"""Self-hosted proof of work (ALTCHA) for petitions under attack: each solution is accepted once."""

from datetime import UTC, datetime, timedelta

import altcha
from flask import current_app

from campaign.dbutil import insert_ignoring_conflict
from campaign.extensions import db
from campaign.models import UsedChallenge
from campaign.models.base import utcnow

LIFETIME = timedelta(minutes=20)


def _secrets() -> tuple[str, str]:
    secret = current_app.config["SECRET_KEY"]
    return f"altcha:{secret}", f"altcha-key:{secret}"


def new_challenge() -> dict:
    """A challenge for the widget; its difficulty is a hex prefix the derived key must start with."""
    hmac_secret, key_secret = _secrets()
    challenge = altcha.create_challenge(
        "SHA-256",
        1,
        key_prefix=current_app.config["ALTCHA_KEY_PREFIX"],
        expires_at=datetime.now(UTC) + LIFETIME,
        hmac_secret=hmac_secret,
        hmac_key_secret=key_secret,
    )
    return challenge.to_dict()


def spend_solution(payload: str | None) -> str | None:
    """Verify a solution and mark it used. Returns why it is refused ("missing", "invalid",
    "expired", "replayed"), or None when it is good. Flushes; the caller commits."""
    if not payload or len(payload) > 4000:
        return "missing"
    hmac_secret, key_secret = _secrets()
    try:
        result = altcha.verify_solution(payload, hmac_secret, hmac_key_secret=key_secret)
        signature = altcha.Payload.from_base64(payload).challenge.signature
    except Exception:  # noqa: BLE001 - whatever a client sends, a malformed payload is just invalid
        return "invalid"
    if result.expired:
        return "expired"
    if not result.verified or not signature:
        return "invalid"
    table = UsedChallenge.__table__
    stored = insert_ignoring_conflict(
        table,
        {"signature": signature[:128], "expires_at": utcnow() + LIFETIME},
        returning=table.c.signature,
    )
    return None if stored else "replayed"


def forget_expired_challenges(now: datetime) -> int:
    return db.session.execute(UsedChallenge.__table__.delete().where(UsedChallenge.expires_at < now)).rowcount
