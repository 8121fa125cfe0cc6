"""The client's address. ProxyFix (set up in create_app with PROXY_COUNT) has already taken the
address from X-Forwarded-For that the outermost trusted proxy saw; anything a client writes into
that header itself is ignored."""

from flask import request


def client_ip() -> str:
    return request.remote_addr or "unknown"
