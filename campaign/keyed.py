"""Keyed hashes (HMAC-SHA256 under SECRET_KEY): the same value is recognisable, the value itself is
not recoverable from Redis keys, stored rows or Message-IDs. `label` keeps the uses apart."""

import hashlib
import hmac

from flask import current_app


def keyed_hash(label: str, value: str, length: int = 32) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{label}:{value}".encode(), hashlib.sha256).hexdigest()[:length]
