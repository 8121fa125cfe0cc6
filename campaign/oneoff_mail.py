"""One-off mails sent by a job of their own (a studio invitation, a campaigner's test send).

They have no outbox row: RQ's Retry is their backoff, and the caller records a final failure where
the studio shows it. As for the outboxes, every error is classified (campaign.mail.classify_failure),
and nothing personal reaches RQ's job records: the error RQ keeps carries only the server's reply,
with addresses cut out.
"""

from rq import Retry, get_current_job

from campaign.mail import MailFailure, Message, classify_failure, send

# Temporary failures: tried again after 30 s, 2 min, 10 min and 30 min (the worker's scheduler).
RETRY = Retry(max=4, interval=[30, 120, 600, 1800])


class MailRetryLater(Exception):  # noqa: N818 - what the job record says: it will be tried again
    """A temporary failure while the job has tries left; RQ runs it again."""


def send_one_off(message: Message) -> MailFailure | None:
    """None: sent. A MailFailure: permanent, or temporary on the job's last try: record it.
    Raises MailRetryLater (with the reply only) while RQ has tries left."""
    try:
        send(message)
    except Exception as error:  # noqa: BLE001 - each kind is sorted into permanent or temporary
        failure = classify_failure(error)
        job = get_current_job()
        if failure.permanent or job is None or not job.retries_left:
            return failure
        raise MailRetryLater(failure.text) from None  # not chained: the original may name the address
    return None
