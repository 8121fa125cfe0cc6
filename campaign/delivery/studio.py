"""What campaigners do on a petition's delivery page: each verb records itself in the audit log.
Flushes; the caller commits."""

from datetime import datetime

from campaign import audit
from campaign.delivery.queue import cancel_pending, queue_handover, retry_delivery, retry_failed, undo_window
from campaign.delivery.settings import update_settings
from campaign.jobs import SEND_TEST
from campaign.models import Delivery, DeliverySettings, Petition
from campaign.oneoff_mail import RETRY as ONE_OFF_RETRY
from campaign.queueing import enqueue_after_commit


def change_settings(petition: Petition, *, actor, **values) -> DeliverySettings:
    settings = update_settings(petition, **values)
    audit.record("delivery.settings", f"petition:{petition.id}", actor=actor)
    return settings


def retry(delivery: Delivery, now: datetime, *, actor) -> bool:
    """A failed delivery back in the queue; False if it had not failed."""
    if not retry_delivery(delivery, now):
        return False
    audit.record(
        "delivery.retry", f"delivery:{delivery.id}", details=f"petition:{delivery.petition_id}", actor=actor
    )
    return True


def retry_all_failed(petition: Petition, now: datetime, *, actor) -> int:
    count = retry_failed(petition.id, now)
    audit.record("delivery.retry_failed", f"petition:{petition.id}", details=f"count={count}", actor=actor)
    return count


def hand_over_now(petition: Petition, now: datetime, *, actor) -> list[int]:
    """The final count and list to each target that has not had it yet, on a campaigner's click. It
    waits for the undo window (HANDOVER_UNDO_MINUTES), cancellable from the dashboard until then."""
    queued = queue_handover(petition, now, force=True, hold=undo_window())
    audit.record(
        "delivery.handover", f"petition:{petition.id}", details=f"targets={len(queued)}", actor=actor
    )
    return queued


def send_test(petition: Petition, kind: str, *, actor) -> None:
    """One email of `kind`, as a target would get it, to the campaigner (after commit, by a job)."""
    enqueue_after_commit(SEND_TEST, petition.id, kind, actor.id, retry=ONE_OFF_RETRY)
    audit.record("delivery.test_send", f"petition:{petition.id}", details=f"kind={kind}", actor=actor)


def cancel_handover(petition: Petition, now: datetime, *, actor) -> int:
    """Cancel the hand-over still waiting in its undo window; nothing reaches the targets. Returns
    how many emails stay home (0: it had left already). Flushes; the caller commits."""
    cancelled = cancel_pending(petition.id, now)
    if cancelled:
        audit.record("delivery.cancel", f"petition:{petition.id}", details=f"count={cancelled}", actor=actor)
    return cancelled
