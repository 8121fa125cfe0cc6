"""Sending a claimed batch of delivery emails and recording what happened.

Exactly-once as far as SMTP allows: a row is claimed by one worker at a time (campaign.delivery.claim),
and the outcome is recorded only by the holder of the lease (campaign.delivery.outcome). A worker that
dies between the server's "250" and its own record leaves a lease that runs out; the relay wakes the
sender again and the resend carries the same Message-ID, so receiving systems can tell it is the same
email. The outcomes of a batch are recorded after its last send: a worker that dies mid-batch sends
again the letters of that batch it had already sent (at most the batch, campaign.delivery.claim.BATCH).
"""

import time

from flask import current_app

from campaign.delivery.outcome import BLOCKED, Attempt, Health, Outcomes, SendResult, failed, sent
from campaign.mail import classify_failure
from campaign.mail import send as send_over_held_connection  # the worker's reused SMTP connection
from campaign.models import DeliveryStatus
from campaign.models.base import utcnow

HANDED_BACK = "handed back"  # a slow server: the run ends, a continuation takes them up


def send_claimed(attempts: list[Attempt], record: Outcomes) -> list[SendResult]:
    """Send prepared emails one after another and gather what happened in `record` (the caller writes
    and commits). Every exception a send raises is classified (campaign.mail.classify_failure): none
    leaves a row "sending" without an error. A server so slow that half the lease is spent hands the
    rest back untried (HANDED_BACK), before another worker could take them over while this one still
    sends."""
    if not attempts:
        return []
    give_back_at = time.monotonic() + current_app.config["DELIVERY_LEASE_SECONDS"] / 2
    health = Health(failures={attempt.target_id: attempt.health_failures for attempt in attempts})
    results = []
    for n, attempt in enumerate(attempts):
        now = utcnow()
        if time.monotonic() > give_back_at:
            # Due again at once, no attempt spent. Their places in the targets' hourly budgets stay
            # taken: the budget errs on the safe side.
            results += [
                record.finish(
                    a.delivery_id,
                    a.lease,
                    DeliveryStatus.QUEUED,
                    due_at=now,
                    attempts=a.attempts - 1,
                    outcome=HANDED_BACK,
                )
                for a in attempts[n:]
            ]
            break
        if health.is_blocked(attempt):  # an earlier letter of this batch blocked the address
            results.append(
                record.finish(
                    attempt.delivery_id,
                    attempt.lease,
                    DeliveryStatus.FAILED,
                    last_error=BLOCKED,
                    outcome="skipped",
                )
            )
            continue
        try:
            send_over_held_connection(attempt.message)
        except Exception as error:  # noqa: BLE001 - each kind is sorted into permanent or temporary
            results.append(failed(record, attempt, classify_failure(error), now, health))
        else:
            results.append(sent(record, attempt, now, health))
    return results
