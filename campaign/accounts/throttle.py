"""Slowing down password guessing: failed studio logins counted in Redis, per account and per IP.

The account key is the submitted address whether or not an account has it, so a refusal tells nobody
which addresses exist. Keys are keyed hashes (no addresses in Redis). If Redis is down we fail open:
a login still needs the right password, and staff must not be locked out by an outage.
"""

import logging

import redis
from flask import current_app

from campaign.accounts import normalise_login
from campaign.keyed import keyed_hash
from campaign.redis_client import redis_connection

log = logging.getLogger(__name__)


def _key(kind: str, value: str) -> str:
    return f"campaign:login-fail:{kind}:{keyed_hash(kind, value)}"


def _keys(email: str, ip: str) -> tuple[str, str]:
    return _key("account", normalise_login(email)), _key("ip", ip)


def login_refused(email: str, ip: str) -> bool:
    """True while this account or this IP has had too many failures in the window."""
    config = current_app.config
    account_key, ip_key = _keys(email, ip)
    try:
        account_failures, ip_failures = redis_connection().mget(account_key, ip_key)
    except redis.RedisError:
        log.warning("redis unavailable; login throttling skipped")
        return False
    return (
        int(account_failures or 0) >= config["LOGIN_FAILURES_PER_ACCOUNT"]
        or int(ip_failures or 0) >= config["LOGIN_FAILURES_PER_IP"]
    )


def note_login_failure(email: str, ip: str) -> None:
    window = current_app.config["LOGIN_FAILURE_WINDOW"]
    try:
        pipe = redis_connection().pipeline()
        for key in _keys(email, ip):
            # The window starts at the first failure. SET NX EX, then INCR (which keeps the expiry):
            # commands every supported Redis has (EXPIRE ... NX needs 7.0; `make run` embeds 6.2).
            pipe.set(key, 0, ex=window, nx=True)
            pipe.incr(key)
        pipe.execute()
    except redis.RedisError:
        log.warning("redis unavailable; login failure not counted")


def clear_login_failures(email: str) -> None:
    """A successful login forgives the account's earlier failures (not the IP's)."""
    try:
        redis_connection().delete(_key("account", normalise_login(email)))
    except redis.RedisError:
        log.warning("redis unavailable; login failures not cleared")
