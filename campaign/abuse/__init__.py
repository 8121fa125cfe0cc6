"""Abuse resistance for signing: cheap checks in the request, flags instead of refusals where we can.

Two tiers: Flask-Limiter refuses (429) a client that signs far too often; below that, signatures
over a softer threshold, or from a blocked domain or network, are stored but flagged, so they do not
count until a campaigner releases them. Lists and switches are cached in-process for a few seconds,
so the sign request makes no extra database round trip for them.
"""

from campaign.abuse.controls import (
    RuleError,
    add_rule,
    flagged_signatures,
    flagged_summary,
    forget_snapshot,
    reject_flagged,
    release_flagged,
    remove_rule,
    rules,
    set_switch,
    snapshot,
)
from campaign.abuse.screening import FLAG_LABELS, domain_of, hash_ip, is_disposable, screen

__all__ = [
    "FLAG_LABELS",
    "RuleError",
    "add_rule",
    "domain_of",
    "flagged_signatures",
    "flagged_summary",
    "forget_snapshot",
    "hash_ip",
    "is_disposable",
    "reject_flagged",
    "release_flagged",
    "remove_rule",
    "rules",
    "screen",
    "set_switch",
    "snapshot",
]
