"""Checks on one signature while it is being stored: cheap, in-process, or one pipelined Redis call.

Nothing here refuses a signature: it returns the reason to flag it, or None. When Redis is down or
stalled the rate checks cannot run: the signature is stored all the same, flagged "unscreened" (held
back from the counts until a campaigner releases it), and the hard limit uses its in-memory fallback.
"""

import ipaddress
import logging
import time

import redis
from disposable_email_domains import blocklist as DISPOSABLE
from flask import current_app
from flask_babel import lazy_gettext as _l

from campaign.abuse.controls import Snapshot, snapshot
from campaign.keyed import keyed_hash
from campaign.redis_client import redis_connection

log = logging.getLogger(__name__)

# Screening could not run (Redis down or stalled): held back from the counts like the others, but not
# suspected, so the supporter still gets the confirmation mail.
UNSCREENED = "unscreened"
# Signed without JavaScript while proof of work was asked: no puzzle solved, so held back from the
# counts until a campaigner releases it or the switch is off again (campaign.abuse.unproven); the
# supporter still gets the confirmation mail, as with UNSCREENED.
NO_PROOF = "no_proof"
MAILED_WHILE_HELD = (UNSCREENED, NO_PROOF)
FLAG_LABELS = {
    "ip_rate": _l("Veel handtekeningen vanaf één internetverbinding"),
    "domain_rate": _l("Veel handtekeningen vanaf één e-maildomein"),
    "blocked_domain": _l("E-maildomein op de blokkeerlijst"),
    "blocked_network": _l("IP-reeks op de blokkeerlijst"),
    UNSCREENED: _l("Niet gecontroleerd: de snelheidscontrole was onbereikbaar"),
    NO_PROOF: _l("Zonder JavaScript getekend terwijl de rekenpuzzel aan stond"),
}


def hash_ip(ip: str) -> str:
    """A keyed hash of the address: the same client is recognisable, the address is not recoverable."""
    return keyed_hash("ip", ip)


def domain_of(normalised_email: str) -> str:
    return normalised_email.rpartition("@")[2]


def _suffixes(domain: str):
    """example.co.uk, co.uk, uk: a rule for a domain covers its subdomains."""
    parts = domain.split(".")
    return (".".join(parts[i:]) for i in range(len(parts)))


def _listed(domain: str, listed: frozenset) -> bool:
    return any(suffix in listed for suffix in _suffixes(domain))


def _in_networks(ip: str | None, networks: tuple) -> bool:
    if not networks or ip is None:
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address in network for network in networks)


def is_disposable(domain: str) -> bool:
    """A throw-away mail domain (the maintained disposable-email-domains list), unless an admin allowed it."""
    if _listed(domain, snapshot().allowed_domains):
        return False
    return _listed(domain, DISPOSABLE)


def screen(petition_id: int, ip: str | None, normalised_email: str) -> str | None:
    """Why this signature should be held back from the counts, or None. `ip` is None for signatures
    an API key brings in (from the partner's server, not the supporter's): only the domain is judged."""
    rules = snapshot()
    domain = domain_of(normalised_email)
    if _listed(domain, rules.blocked_domains):
        return "blocked_domain"
    if _in_networks(ip, rules.blocked_networks):
        return "blocked_network"
    if _listed(domain, rules.allowed_domains) or _in_networks(ip, rules.allowed_networks):
        return None
    if not current_app.config["RATELIMIT_ENABLED"]:  # switched off for benchmarks and most tests
        return None
    return _over_soft_limit(petition_id, ip, domain, rules)


def _over_soft_limit(petition_id: int, ip: str | None, domain: str, rules: Snapshot) -> str | None:
    config = current_app.config
    window = config["ABUSE_SOFT_WINDOW"]
    bucket = int(time.time() // window)
    check_domain = domain not in config["ABUSE_COMMON_DOMAINS"]
    keys = [f"campaign:abuse:ip:{petition_id}:{hash_ip(ip)}:{bucket}"] if ip is not None else []
    if check_domain:
        keys.append(f"campaign:abuse:domain:{petition_id}:{keyed_hash('domain', domain)}:{bucket}")
    if not keys:
        return None
    try:
        pipe = redis_connection().pipeline(transaction=False)
        for key in keys:
            pipe.incr(key)
            pipe.expire(key, window * 2)
        counts = pipe.execute()[::2]
    except redis.RedisError:
        log.warning("redis unavailable; signature held back unscreened")
        return UNSCREENED
    if ip is not None and counts.pop(0) > config["ABUSE_SOFT_LIMIT_PER_IP"]:
        return "ip_rate"
    if check_domain and counts[0] > config["ABUSE_SOFT_LIMIT_PER_DOMAIN"]:
        return "domain_rate"
    return None
