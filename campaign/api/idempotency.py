"""Idempotency-Key: a write with a key we have answered before gets the same answer, without a second
write. The record is inserted in the write's own transaction, so two racing requests with one key
cannot both write: the second fails on the unique constraint and replays the first's answer."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

from campaign.extensions import db
from campaign.models import IdempotentRequest


@dataclass(frozen=True)
class Stored:
    request_hash: str
    status_code: int
    body: str


def request_hash(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def _cutoff(now: datetime) -> datetime:
    return now - timedelta(hours=current_app.config["API_IDEMPOTENCY_HOURS"])


def find(api_key_id: int, key: str, now: datetime) -> Stored | None:
    row = db.session.execute(
        db.select(IdempotentRequest).where(
            IdempotentRequest.api_key_id == api_key_id,
            IdempotentRequest.idempotency_key == key,
            IdempotentRequest.created_at >= _cutoff(now),
        )
    ).scalar_one_or_none()
    return None if row is None else Stored(row.request_hash, row.status_code, row.body)


def remember(api_key_id: int, key: str, digest: str, status_code: int, body: str, now: datetime) -> None:
    """Part of the caller's transaction; also drops this key's expired records. Flushes."""
    table = IdempotentRequest.__table__
    db.session.execute(
        table.delete().where(
            table.c.api_key_id == api_key_id,
            table.c.created_at < _cutoff(now),
        )
    )
    db.session.execute(
        table.insert().values(
            api_key_id=api_key_id,
            idempotency_key=key,
            request_hash=digest,
            status_code=status_code,
            body=body,
            created_at=now,
        )
    )
