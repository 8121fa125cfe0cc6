"""The cron's part: make each ended period's report once and mail it to the admins once.

"Once" rests on the database: report_runs has one row per period (a unique constraint), so two
schedulers, or one restarted, that both try to make a period's report insert one row between them;
the loser's insert fails and it moves on. The mail is claimed by an UPDATE that only one worker
can win (status queued -> sending, with a lease), and marked sent after the SMTP server took it.
If a worker dies between those two moments the lease runs out and the mail is sent again: the one
gap, which SMTP itself cannot close.
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError

from campaign.extensions import db
from campaign.jobs import SEND_REPORT
from campaign.models import Account, ReportRun, ReportRunStatus, Role
from campaign.queueing import enqueue_after_commit
from campaign.reports.periods import Period


def send_job_id(run: ReportRun) -> str:
    return f"report-mail-{run.period}"


def make_due_report(now: datetime) -> ReportRun | None:
    """Record the report of the period that ended last, unless it exists. Flushes; the caller commits
    (and the mail job leaves after that commit). None when another scheduler made it already."""
    period = Period.current(now).previous()
    run = ReportRun(period=period.slug, made_at=now)
    try:
        with db.session.begin_nested():  # a savepoint: losing the race leaves the transaction usable
            db.session.add(run)
    except IntegrityError:
        return None
    enqueue_after_commit(SEND_REPORT, run.id, job_id=send_job_id(run))
    return run


def unsent_reports(now: datetime) -> list[ReportRun]:
    """Runs whose mail is owed: never claimed, or claimed by a worker whose lease ran out."""
    return list(
        db.session.execute(
            db.select(ReportRun).where(
                (ReportRun.status == ReportRunStatus.QUEUED)
                | ((ReportRun.status == ReportRunStatus.SENDING) & (ReportRun.lease_until < now))
            )
        ).scalars()
    )


def claim_report(run_id: int, now: datetime) -> bool:
    """Take the run's mail for this worker. True for exactly one of any number of claimants."""
    table = ReportRun.__table__
    lease = now + timedelta(seconds=current_app.config["REPORT_MAIL_LEASE_SECONDS"])
    claimed = db.session.execute(
        table.update()
        .where(
            table.c.id == run_id,
            (table.c.status == ReportRunStatus.QUEUED)
            | ((table.c.status == ReportRunStatus.SENDING) & (table.c.lease_until < now)),
        )
        .values(status=ReportRunStatus.SENDING, lease_until=lease, attempts=table.c.attempts + 1)
    )
    return claimed.rowcount == 1


def report_sent(run: ReportRun, recipients: int, now: datetime) -> None:
    run.status, run.mailed_at, run.recipients, run.lease_until = ReportRunStatus.SENT, now, recipients, None
    db.session.flush()


def report_not_sent(run: ReportRun, error: str, now: datetime) -> None:
    """Back in the queue for the next cron round, or failed for good after a few attempts."""
    gave_up = run.attempts >= current_app.config["REPORT_MAIL_MAX_ATTEMPTS"]
    run.status = ReportRunStatus.FAILED if gave_up else ReportRunStatus.QUEUED
    run.last_error, run.lease_until = error[:500], None
    db.session.flush()


def admin_addresses() -> list[str]:
    return list(
        db.session.execute(
            db.select(Account.email)
            .where(Account.role == Role.ADMIN, Account.active.is_(True))
            .order_by(Account.id)
        ).scalars()
    )
