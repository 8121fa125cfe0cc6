"""Delivery to officials: what is owed to whom (outbox rows), and sending it reliably.

Verbs: queue_letters, queue_digest, queue_milestones, queue_handover (write outbox rows in the
caller's transaction), claim_due and send_claimed (for the worker, a batch at a time),
retry_delivery (studio), take_places (per-target budget). No request objects here; workers, the CLI
and views call the same code.
"""

from campaign.delivery.claim import claim_due
from campaign.delivery.outcome import Outcomes, SendResult
from campaign.delivery.queue import (
    queue_digest,
    queue_handover,
    queue_letters,
    queue_milestones,
    retry_delivery,
    retry_failed,
)
from campaign.delivery.send import send_claimed
from campaign.delivery.settings import settings_for

__all__ = [
    "Outcomes",
    "SendResult",
    "claim_due",
    "queue_digest",
    "queue_handover",
    "queue_letters",
    "queue_milestones",
    "retry_delivery",
    "retry_failed",
    "send_claimed",
    "settings_for",
]
