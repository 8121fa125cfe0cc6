"""API keys: created once and shown once, kept only as a SHA-256 hash, revoked by an admin.

The keys are 256 random bits, so a fast hash is enough (nothing to brute-force) and lets a request
find its key by an indexed look-up.
"""

import hashlib
import secrets
from datetime import datetime

from flask_babel import gettext as _

from campaign import audit
from campaign.extensions import db
from campaign.models import ApiKey, ApiScope

KEY_PREFIX = "pk_"


class ApiKeyError(ValueError):
    pass


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def create_key(name: str, scope: str, actor, now: datetime) -> tuple[ApiKey, str]:
    """A new key; returns the row and the key itself, which is never stored. Flushes; caller commits."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ApiKeyError(_("Geef de sleutel een naam van hoogstens 100 tekens."))
    if scope not in set(ApiScope):
        raise ApiKeyError(_("Kies als bereik 'read' of 'write'."))
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        name=name,
        scope=scope,
        prefix=key[:10],
        key_hash=hash_key(key),
        created_at=now,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(row)
    db.session.flush()
    audit.record("api_key.create", f"api_key:{row.id}", details=f"name={name} scope={scope}", actor=actor)
    return row, key


def revoke_key(row: ApiKey, actor, now: datetime) -> bool:
    """False when it was revoked already. Flushes; caller commits."""
    if row.revoked_at is not None:
        return False
    row.revoked_at = now
    db.session.flush()
    audit.record("api_key.revoke", f"api_key:{row.id}", details=f"name={row.name}", actor=actor)
    return True


def key_for(presented: str | None) -> ApiKey | None:
    """The active key matching the presented token, or None."""
    if not presented or len(presented) > 200:
        return None
    row = db.session.execute(
        db.select(ApiKey).where(ApiKey.key_hash == hash_key(presented))
    ).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    return row


def record_use(row: ApiKey, now: datetime) -> None:
    """Last used and how often: one UPDATE, no read-modify-write race between requests."""
    table = ApiKey.__table__
    db.session.execute(
        table.update().where(table.c.id == row.id).values(last_used_at=now, use_count=table.c.use_count + 1)
    )


def active_keys() -> list[ApiKey]:
    return list(
        db.session.execute(db.select(ApiKey).order_by(ApiKey.revoked_at.is_not(None), ApiKey.name)).scalars()
    )


def admit(presented: str | None, method: str, path: str, now: datetime) -> tuple[ApiKey | None, bool]:
    """A request's key: (the key, whether it may do this). (None, False) for an unknown or revoked
    key. Each use is recorded on the key; a refusal for want of scope goes into the audit log (the
    key is the actor's stand-in: its id in the subject). Flushes nothing; the caller commits."""
    key = key_for(presented)
    if key is None:
        return None, False
    record_use(key, now)
    needed = ApiScope.READ if method in ("GET", "HEAD", "OPTIONS") else ApiScope.WRITE
    if key.may(needed):
        return key, True
    audit.record(
        "api.refused", f"api_key:{key.id}", details=f"{method} {path[:120]} needs {needed}", actor=None
    )
    return key, False
