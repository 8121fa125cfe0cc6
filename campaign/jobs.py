"""Every background job by name, the queue it goes to, and the nudges that debounce them: one place.

A job is named by the dotted path the worker imports (`campaign` never imports `workers`); the names are
spelled here only (tests/test_jobs.py checks that each one imports and that nobody else spells them).
"""

from dataclasses import dataclass

# Counts: the fold (nudged after confirmations) and the reconciliation (cron).
FOLD = "workers.tally.fold"
RECONCILE = "workers.tally.reconcile"
# Mail to supporters (confirmation, "already signed"): one batch job for everything owed.
SUPPORTER_MAIL = "workers.supporter_mail.send_owed"
# Deliveries to officials.
SEND_DUE = "workers.deliveries.send_due"
SEND_TEST = "workers.deliveries.send_test"
MILESTONES = "workers.deliveries.milestones"
DIGESTS = "workers.deliveries.digests"
# Updates to supporters (campaign.outreach), webhooks (campaign.webhooks).
SEND_UPDATES = "workers.updates.send_due"
SEND_UPDATE_TEST = "workers.updates.send_test"
SEND_WEBHOOKS = "workers.webhooks.send_due"
# The four-monthly report (campaign.reports): made once per ended period, mailed, reviewers invited.
MAKE_REPORTS = "workers.reports.make_due"
SEND_REPORT = "workers.reports.send_report"
SEND_REVIEW_INVITE = "workers.reports.send_review_invite"
# Studio accounts, petitions, housekeeping.
SEND_INVITE = "workers.accounts.send_invite"
CLOSE_DUE = "workers.petitions.close_due"
RELAY = "workers.relay.run"
RETENTION = "workers.retention.run"
# A petition's share card (campaign.media.cards), drawn when a page first names it.
DRAW_SHARE_CARD = "workers.media.draw_share_card"

ALL = (
    FOLD,
    RECONCILE,
    SUPPORTER_MAIL,
    SEND_DUE,
    SEND_TEST,
    MILESTONES,
    DIGESTS,
    SEND_UPDATES,
    SEND_UPDATE_TEST,
    SEND_WEBHOOKS,
    MAKE_REPORTS,
    SEND_REPORT,
    SEND_REVIEW_INVITE,
    SEND_INVITE,
    CLOSE_DUE,
    RELAY,
    RETENTION,
    DRAW_SHARE_CARD,
)

# These go to RQ_COUNTS_QUEUE, which every worker takes first: a backlog of mail never delays counts.
COUNTS_QUEUE_JOBS = frozenset({FOLD, RECONCILE})


@dataclass(frozen=True)
class Nudge:
    """Enqueue `job` at most once per `seconds` (a Redis key, `campaign:nudge:<key>`). The job clears
    the key when it starts, so work committed after that nudges a fresh run.

    With GATHER_NUDGED_JOBS (production) the job is scheduled `seconds` ahead rather than queued, and
    the key lives until the job clears it: whatever is committed meanwhile goes in that one run."""

    job: str
    key: str
    seconds: float = 1.0
    beside_running: bool = False  # a job of its own, to run beside one that is running now

    @property
    def job_id(self) -> str | None:
        return None if self.beside_running else f"nudge-{self.key}"

    @property
    def gathers(self) -> bool:
        """A helper beside a running job is wanted now; every other nudged job can wait its window."""
        return not self.beside_running


FOLD_NUDGE = Nudge(FOLD, "tally-fold", 0.5)
SUPPORTER_MAIL_NUDGE = Nudge(SUPPORTER_MAIL, "supporter-mail", 0.2)
# A run that finds a full batch owed asks for one helper run at a time: a backlog uses every worker.
SUPPORTER_MAIL_HELPER_NUDGE = Nudge(SUPPORTER_MAIL, "supporter-mail-helper", beside_running=True)
DELIVERY_NUDGE = Nudge(SEND_DUE, "deliveries")
# A sender with a backlog asks for one helper run at a time, so that every worker sends.
DELIVERY_HELPER_NUDGE = Nudge(SEND_DUE, "deliveries-helper", beside_running=True)

UPDATES_NUDGE = Nudge(SEND_UPDATES, "updates")
UPDATES_HELPER_NUDGE = Nudge(SEND_UPDATES, "updates-helper", beside_running=True)
WEBHOOKS_NUDGE = Nudge(SEND_WEBHOOKS, "webhooks", 0.2)

NUDGES = (
    FOLD_NUDGE,
    SUPPORTER_MAIL_NUDGE,
    SUPPORTER_MAIL_HELPER_NUDGE,
    DELIVERY_NUDGE,
    DELIVERY_HELPER_NUDGE,
    UPDATES_NUDGE,
    UPDATES_HELPER_NUDGE,
    WEBHOOKS_NUDGE,
)
