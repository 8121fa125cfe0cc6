"""Delivery to officials: what is owed to whom (outbox rows), and sending it reliably.

Verbs: queue_letters, queue_digest, queue_milestones, queue_handover (write outbox rows in the
caller's transaction), claim_next and send_delivery (for the worker), retry_delivery (studio),
throttle (per-target budget). No request objects here; workers, the CLI and views call the same code.
"""

from campaign.delivery.claim import claim_next
from campaign.delivery.outcome import SendResult
from campaign.delivery.queue import (
    queue_digest,
    queue_handover,
    queue_letters,
    queue_milestones,
    retry_delivery,
    retry_failed,
)
from campaign.delivery.send import send_delivery
from campaign.delivery.settings import settings_for

__all__ = [
    "SendResult",
    "claim_next",
    "queue_digest",
    "queue_handover",
    "queue_letters",
    "queue_milestones",
    "retry_delivery",
    "retry_failed",
    "send_delivery",
    "settings_for",
]
