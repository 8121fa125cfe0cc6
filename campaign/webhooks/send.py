"""Sending webhook messages: claim due rows with a lease, POST each signed, record the outcome.

A claimed row's due_at moves to the end of its lease, so a worker killed mid-send loses nothing: the
row falls due again when the lease runs out and the relay (or the next nudge) sends it, with the same
webhook-id, so a receiver can drop a duplicate. Signed with the `standardwebhooks` package.
"""

import http.client
import socket
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import and_
from standardwebhooks.webhooks import Webhook

from campaign import audit
from campaign.dbutil import unlocked_ids
from campaign.extensions import db
from campaign.jobs import SEND_WEBHOOKS
from campaign.mail import retry_delay
from campaign.models import WebhookEndpoint, WebhookMessage, WebhookStatus
from campaign.queueing import enqueue
from campaign.webhooks.endpoints import address_problem, resolve

BATCH = 50
USER_AGENT = "Petities-Webhooks/1"


@dataclass(frozen=True)
class Claimed:
    id: int
    lease: datetime
    message_id: str
    payload: str
    url: str
    secret: str
    endpoint_id: int
    attempts: int


def claim_batch(now: datetime, limit: int = BATCH) -> list[Claimed]:
    """Lease due messages of endpoints that are active and not paused; commits. No more than can be
    sent within the lease even if every receiver times out (else a second worker would send them too)."""
    table, endpoints = WebhookMessage.__table__, WebhookEndpoint.__table__
    config = current_app.config
    lease = now + timedelta(seconds=config["WEBHOOK_LEASE_SECONDS"])
    limit = max(1, min(limit, config["WEBHOOK_LEASE_SECONDS"] // (config["WEBHOOK_TIMEOUT"] + 1)))
    due = and_(table.c.status == WebhookStatus.PENDING, table.c.due_at <= now)
    sendable = db.select(endpoints.c.id).where(endpoints.c.active.is_(True), endpoints.c.paused_at.is_(None))
    candidates = (
        db.select(table.c.id)
        .where(due, table.c.endpoint_id.in_(sendable.scalar_subquery()))
        .order_by(table.c.due_at, table.c.id)
        .limit(limit)
    )
    candidates = unlocked_ids(candidates, db.session.get_bind().dialect.name == "postgresql", of=table)
    ids = (
        db.session.execute(
            table.update()
            .where(table.c.id.in_(candidates), due)
            .values(due_at=lease, lease_until=lease, attempts=table.c.attempts + 1)
            .returning(table.c.id)
        )
        .scalars()
        .all()
    )
    db.session.commit()
    if not ids:
        return []
    rows = db.session.execute(
        db.select(
            table.c.id,
            table.c.message_id,
            table.c.payload,
            table.c.attempts,
            endpoints.c.url,
            endpoints.c.secret,
            endpoints.c.id,
        )
        .join(endpoints, endpoints.c.id == table.c.endpoint_id)
        .where(table.c.id.in_(ids))
        .order_by(table.c.id)
    ).all()
    return [Claimed(row[0], lease, row[1], row[2], row[4], row[5], row[6], row[3]) for row in rows]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address we checked, not whatever DNS answers a moment later (rebinding)."""

    def __init__(self, host, address, **kwargs):
        super().__init__(host, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, address, **kwargs):
        super().__init__(host, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, headers: dict, body: bytes, timeout: float) -> tuple[int | None, str | None]:
    """POST once; (HTTP status, None) or (status or None, what went wrong). No redirects followed."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = resolve(parts.hostname, port)
    problem = address_problem(addresses)
    if problem:
        return None, problem
    kind = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = kind(parts.hostname, addresses[0], port=port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(4096)
    except (OSError, http.client.HTTPException) as error:
        return None, f"{type(error).__name__}: {error}"[:500]
    finally:
        connection.close()
    if 200 <= response.status < 300:
        return response.status, None
    return response.status, f"HTTP {response.status} {response.reason}"[:500]


def signed_headers(claimed: Claimed, now: datetime) -> dict:
    stamp = now.replace(tzinfo=UTC)
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": claimed.message_id,
        "webhook-timestamp": str(int(stamp.timestamp())),
        "webhook-signature": Webhook(claimed.secret).sign(claimed.message_id, stamp, claimed.payload),
    }


def send_claimed(claimed: Claimed, now: datetime) -> bool:
    """Send one claimed message and record what happened (the caller commits). True when delivered."""
    if _paused(claimed.endpoint_id):  # paused by an earlier message of this batch: wait for resume
        _release(claimed)
        return False
    status, error = post(
        claimed.url,
        signed_headers(claimed, now),
        claimed.payload.encode(),
        current_app.config["WEBHOOK_TIMEOUT"],
    )
    record_outcome(claimed, status, error, now)
    return error is None


def _paused(endpoint_id: int) -> bool:
    table = WebhookEndpoint.__table__
    return (
        db.session.execute(db.select(table.c.paused_at).where(table.c.id == endpoint_id)).scalar() is not None
    )


def _release(claimed: Claimed) -> None:
    """Give a claimed message back untried (the attempt counted at the claim is taken back)."""
    table = WebhookMessage.__table__
    db.session.execute(
        table.update()
        .where(table.c.id == claimed.id, table.c.lease_until == claimed.lease)
        .values(lease_until=None, due_at=claimed.lease, attempts=table.c.attempts - 1)
    )


def record_outcome(claimed: Claimed, status: int | None, error: str | None, now: datetime) -> None:
    table = WebhookMessage.__table__
    ours = and_(table.c.id == claimed.id, table.c.lease_until == claimed.lease)
    if error is None:
        values = dict(status=WebhookStatus.DELIVERED, delivered_at=now, last_error=None)
    elif claimed.attempts >= current_app.config["WEBHOOK_MAX_ATTEMPTS"]:
        values = dict(status=WebhookStatus.FAILED, last_error=error)
    else:
        values = dict(due_at=now + retry_delay(claimed.attempts, current_app.config["WEBHOOK_RETRY_SECONDS"]))
        values["last_error"] = error
    db.session.execute(table.update().where(ours).values(lease_until=None, last_status_code=status, **values))
    _endpoint_health(claimed.endpoint_id, error, now)


def _endpoint_health(endpoint_id: int, error: str | None, now: datetime) -> None:
    """Failures in a row per endpoint; after WEBHOOK_PAUSE_AFTER the endpoint pauses (studio notice)."""
    table = WebhookEndpoint.__table__
    if error is None:
        db.session.execute(table.update().where(table.c.id == endpoint_id).values(failures_in_a_row=0))
        return
    failures = db.session.execute(
        table.update()
        .where(table.c.id == endpoint_id)
        .values(failures_in_a_row=table.c.failures_in_a_row + 1, last_error=error)
        .returning(table.c.failures_in_a_row, table.c.paused_at)
    ).one()
    if failures[0] >= current_app.config["WEBHOOK_PAUSE_AFTER"] and failures[1] is None:
        db.session.execute(table.update().where(table.c.id == endpoint_id).values(paused_at=now))
        audit.record(
            "webhook.paused", f"webhook:{endpoint_id}", details=f"after {failures[0]} failures", actor=None
        )


def overdue(before: datetime) -> bool:
    """Is anything due since before `before`? (its nudge was lost, or its worker died)"""
    table, endpoints = WebhookMessage.__table__, WebhookEndpoint.__table__
    return (
        db.session.execute(
            db.select(table.c.id)
            .join(endpoints, endpoints.c.id == table.c.endpoint_id)
            .where(
                table.c.status == WebhookStatus.PENDING,
                table.c.due_at < before,
                endpoints.c.active.is_(True),
                endpoints.c.paused_at.is_(None),
            )
            .limit(1)
        ).scalar()
        is not None
    )


def wake_overdue(now: datetime, grace: timedelta) -> int:
    """The relay's part for webhooks: wake the sender when messages wait past their time (fresh ones
    are left to the job nudged at their commit). Returns jobs enqueued."""
    if not overdue(now - grace):
        return 0
    enqueue(SEND_WEBHOOKS)
    return 1
