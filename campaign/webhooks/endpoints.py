"""Registering, pausing and resuming webhook endpoints, and which URLs we may call at all.

No SSRF: in production only https:// to addresses that are public (checked here when the endpoint
is added, and again on every send against the address actually connected to, see .send). Loopback
and private networks are allowed only in development and tests, so it can be tried under `make run`.
"""

import base64
import ipaddress
import secrets
import socket
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from campaign import audit
from campaign.extensions import db
from campaign.jobs import WEBHOOKS_NUDGE
from campaign.models import WEBHOOK_EVENTS, WebhookEndpoint, WebhookMessage, WebhookStatus
from campaign.queueing import nudge_after_commit


class WebhookError(ValueError):
    pass


def private_allowed() -> bool:
    setting = current_app.config.get("WEBHOOK_ALLOW_PRIVATE")
    if setting is None:
        return current_app.config["ENV_NAME"] in ("development", "test")
    return bool(setting)


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """Every address the host name stands for (all must be allowed: DNS may answer either)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    return list(dict.fromkeys(info[4][0] for info in infos))


def address_problem(addresses: list[str]) -> str | None:
    if not addresses:
        return _("Deze servernaam bestaat niet (of is nu niet te vinden).")
    if not private_allowed() and not all(is_public(address) for address in addresses):
        return _("Dit adres wijst naar een intern of privé-netwerk; dat is niet toegestaan.")
    return None


def endpoint_problem(url: str) -> str | None:
    """Why this URL cannot be a webhook endpoint, or None."""
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return _("Dit is geen geldige URL.")
    if len(url) > 500 or parts.scheme not in ("https", "http") or not parts.hostname:
        return _("Geef een volledige URL die met https:// begint.")
    if parts.username or parts.password:
        return _("Zet geen gebruikersnaam of wachtwoord in de URL.")
    if parts.scheme != "https" and not private_allowed():
        return _("Alleen https:// is toegestaan.")
    return address_problem(resolve(parts.hostname, port))


def new_secret() -> str:
    """whsec_ and 24 random bytes in base64, the Standard Webhooks form."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def add_endpoint(url: str, events: list[str], actor, now: datetime, description: str = "") -> WebhookEndpoint:
    """Register an endpoint; its secret is on the returned row (show it once). Flushes; caller commits."""
    url = (url or "").strip()
    problem = endpoint_problem(url)
    if problem:
        raise WebhookError(problem)
    unknown = [event for event in events if event not in WEBHOOK_EVENTS]
    if unknown or not events:
        raise WebhookError(
            _(
                "Onbekende gebeurtenis: %(names)s. Kies uit: %(known)s.",
                names=", ".join(unknown) or "-",
                known=", ".join(WEBHOOK_EVENTS),
            )
        )
    endpoint = WebhookEndpoint(
        url=url,
        events=",".join(dict.fromkeys(events)),
        description=(description or "").strip()[:200],
        secret=new_secret(),
        created_at=now,
    )
    db.session.add(endpoint)
    db.session.flush()
    audit.record("webhook.add", f"webhook:{endpoint.id}", details=f"events={endpoint.events}", actor=actor)
    return endpoint


def remove_endpoint(endpoint: WebhookEndpoint, actor) -> None:
    """Stop sending there; the delivery log stays. Flushes; caller commits."""
    endpoint.active = False
    db.session.flush()
    audit.record("webhook.remove", f"webhook:{endpoint.id}", actor=actor)


def resume_endpoint(endpoint: WebhookEndpoint, actor, now: datetime) -> None:
    """After a pause: the waiting messages are due now. Flushes; caller commits."""
    endpoint.paused_at = None
    endpoint.failures_in_a_row = 0
    table = WebhookMessage.__table__
    db.session.execute(
        table.update()
        .where(table.c.endpoint_id == endpoint.id, table.c.status == WebhookStatus.PENDING)
        .values(due_at=now)
    )
    db.session.flush()
    audit.record("webhook.resume", f"webhook:{endpoint.id}", actor=actor)
    nudge_after_commit(WEBHOOKS_NUDGE)
