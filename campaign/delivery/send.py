"""Sending a prepared delivery email and recording what happened.

Exactly-once as far as SMTP allows: a row is claimed by one worker at a time (campaign.delivery.claim),
and the outcome is recorded only by the holder of the lease (campaign.delivery.outcome). A worker that
dies between the server's "250" and its own record leaves a lease that runs out; the relay wakes the
sender again and the resend carries the same Message-ID, so receiving systems can tell it is the same
email.
"""

import smtplib
from datetime import datetime

from campaign.delivery.outcome import Attempt, SendResult, failed, sent
from campaign.mail import send as send_over_held_connection  # the worker's reused SMTP connection


def send_delivery(attempt: Attempt, now: datetime) -> SendResult:
    """Send a prepared email and record what happened (flushes; the caller commits)."""
    try:
        send_over_held_connection(attempt.message)
    except smtplib.SMTPResponseException as error:
        return failed(attempt, error.smtp_code, _reply(error.smtp_code, error.smtp_error), now)
    except smtplib.SMTPRecipientsRefused as error:
        code, text = next(iter(error.recipients.values()))
        return failed(attempt, code, _reply(code, text), now)
    except (smtplib.SMTPException, OSError) as error:  # timeouts, refused or dropped connections
        return failed(attempt, None, f"{type(error).__name__}: {error}"[:500], now)
    return sent(attempt, now)


def _reply(code: int, text) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}"[:500]
