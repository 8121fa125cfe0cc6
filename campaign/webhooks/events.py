"""Emitting an event: one outbox row per subscribed endpoint, flushed with the caller's change.

The payload carries ids and public facts only, never a supporter's name or address: a CRM that needs
the person asks the API with its key. (Erasure sends the signature id, so the CRM can erase too.)
"""

import json
import secrets
from datetime import datetime

from campaign.extensions import db
from campaign.jobs import WEBHOOKS_NUDGE
from campaign.models import WebhookEndpoint, WebhookMessage, WebhookStatus
from campaign.queueing import nudge_after_commit


def _subscribers(event_type: str) -> list[int]:
    rows = db.session.execute(
        db.select(WebhookEndpoint.id, WebhookEndpoint.events).where(WebhookEndpoint.active.is_(True))
    ).all()
    return [endpoint_id for endpoint_id, events in rows if event_type in events.split(",")]


def emit(event_type: str, data: dict, now: datetime) -> int:
    """Owe `event_type` to every endpoint that subscribed. Returns how many rows. Flushes nothing."""
    endpoints = _subscribers(event_type)
    if not endpoints:
        return 0
    body = json.dumps(
        {"type": event_type, "timestamp": now.isoformat(timespec="seconds") + "Z", "data": data},
        separators=(",", ":"),
        sort_keys=True,
    )
    db.session.execute(
        WebhookMessage.__table__.insert(),
        [
            {
                "endpoint_id": endpoint_id,
                "message_id": "msg_" + secrets.token_urlsafe(18),
                "event_type": event_type,
                "payload": body,
                "status": WebhookStatus.PENDING,
                "due_at": now,
                "attempts": 0,
                "created_at": now,
            }
            for endpoint_id in endpoints
        ],
    )
    nudge_after_commit(WEBHOOKS_NUDGE)
    return len(endpoints)


def redeliver(message: WebhookMessage, now: datetime) -> None:
    """Send a message again, with the same webhook-id (receivers may drop what they have seen)."""
    message.status = WebhookStatus.PENDING
    message.due_at = now
    message.lease_until = None
    message.attempts = 0
    db.session.flush()
    nudge_after_commit(WEBHOOKS_NUDGE)


def _api_url(path: str) -> str:
    from flask import current_app

    return f"{current_app.config['PUBLIC_URL']}/api/v1/{path}"


def signature_event(event_type: str, signature_id: int, petition_id: int, now: datetime, **facts) -> int:
    """signature.*: ids and the API link where a CRM with a key reads the person (nothing personal here)."""
    data = {
        "signature_id": signature_id,
        "petition_id": petition_id,
        "signature_url": _api_url(f"petitions/{petition_id}/signatures/{signature_id}"),
        **facts,
    }
    return emit(event_type, data, now)


def petition_event(event_type: str, petition, now: datetime) -> int:
    from flask import current_app

    data = {
        "petition_id": petition.id,
        "slug": petition.slug,
        "title": petition.title,
        "status": petition.status,
        "browser_url": f"{current_app.config['PUBLIC_URL']}/petitions/{petition.slug}",
        "petition_url": _api_url(f"petitions/{petition.id}"),
    }
    return emit(event_type, data, now)
