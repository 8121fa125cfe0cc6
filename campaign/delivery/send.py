"""Sending a prepared delivery email and recording what happened.

Exactly-once as far as SMTP allows: a row is claimed by one worker at a time (campaign.delivery.claim),
and the outcome is recorded only by the holder of the lease (campaign.delivery.outcome). A worker that
dies between the server's "250" and its own record leaves a lease that runs out; the relay wakes the
sender again and the resend carries the same Message-ID, so receiving systems can tell it is the same
email.
"""

from datetime import datetime

from campaign.delivery.outcome import Attempt, SendResult, failed, sent
from campaign.mail import classify_failure
from campaign.mail import send as send_over_held_connection  # the worker's reused SMTP connection


def send_delivery(attempt: Attempt, now: datetime) -> SendResult:
    """Send a prepared email and record what happened (flushes; the caller commits). Every exception
    is classified (campaign.mail.classify_failure): none leaves the row "sending" without an error."""
    try:
        send_over_held_connection(attempt.message)
    except Exception as error:  # noqa: BLE001 - each kind is sorted into permanent or temporary
        return failed(attempt, classify_failure(error), now)
    return sent(attempt, now)
