"""Jobs of the four-monthly report and of external validation.

make_due runs from the cron: it makes the report of the period that ended (once: a unique row per
period) and owes its mail to the admins; send_report claims that mail and sends it with the PDF and
CSV attached. send_review_invite mails an outside reviewer their personal link. Ids in, never an
address.
"""

import smtplib

from flask_babel import gettext as _

from campaign.extensions import db, mail
from campaign.i18n import force_locale
from campaign.jobs import SEND_REPORT
from campaign.mail import public_url, render_message
from campaign.models import ReportRun, ReportRunStatus, Review
from campaign.models.base import utcnow
from campaign.queueing import enqueue_after_commit
from campaign.reports.export import report_csv
from campaign.reports.page import report_page
from campaign.reports.pdf import report_pdf
from campaign.reports.periods import Period
from campaign.reports.report import build_report
from campaign.reports.reviews import reviewed_outcome
from campaign.reports.runs import (
    admin_addresses,
    claim_report,
    make_due_report,
    report_not_sent,
    report_sent,
    send_job_id,
    unsent_reports,
)


def make_due() -> str:
    now = utcnow()
    made = make_due_report(now)
    for owed in unsent_reports(now):  # a mail left by a crashed worker, or by Redis being away
        if made is None or owed.id != made.id:
            enqueue_after_commit(SEND_REPORT, owed.id, job_id=send_job_id(owed))
    db.session.commit()
    return f"made {made.period}" if made else "nothing new"


def send_report(run_id: int) -> str:
    run = db.session.get(ReportRun, run_id)
    if run is None or run.status in (ReportRunStatus.SENT, ReportRunStatus.FAILED):
        return "nothing to send"
    now = utcnow()
    if not claim_report(run_id, now):
        db.session.rollback()
        return "another worker has it"
    db.session.commit()  # the claim is visible before the SMTP conversation starts
    db.session.refresh(run)
    period = Period.from_slug(run.period)
    admins = admin_addresses()
    if not admins:
        report_sent(run, 0, now)
        db.session.commit()
        return "no admins"
    with force_locale("nl"):
        report = build_report(period, None, now)
        pdf = report_pdf(report_page(report, "nl"))
        csv_text = report_csv(report, "nl")
    message = render_message(
        "report", "nl", admins, report=report, report_url=public_url("studio.report", name=period.slug)
    )
    name = f"viermaandenrapportage-{period.slug}"
    message.attach(f"{name}.pdf", "application/pdf", pdf)
    message.attach(f"{name}.csv", "text/csv", csv_text.encode("utf-8-sig"))
    try:
        mail.send(message)
    except (smtplib.SMTPException, OSError) as error:
        report_not_sent(run, type(error).__name__, utcnow())
        db.session.commit()
        raise
    report_sent(run, len(admins), utcnow())
    db.session.commit()
    return "sent"


def send_review_invite(review_id: int) -> str:
    review = db.session.get(Review, review_id)
    now = utcnow()
    if review is None or review.mailed_at is not None or review.expired(now):
        return "nothing to send"
    if review.outcome_id is not None:
        subject = review_subject_outcome(review)
    else:
        with force_locale("nl"):
            label = Period.from_slug(review.report_period).label
            subject = _("de viermaandenrapportage over %(period)s", period=label)
    message = render_message(
        "review_invite",
        "nl",
        [review.reviewer_email],
        review=review,
        subject=subject,
        review_url=public_url("public.review", token=review.token),
        until=review.expires_at.strftime("%Y-%m-%d"),
    )
    mail.send(message)
    review.mailed_at = now
    db.session.commit()
    return "sent"


def review_subject_outcome(review: Review) -> str:
    outcome = reviewed_outcome(review)
    return f"“{outcome.title}”" if outcome else ""
