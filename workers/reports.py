"""Jobs of the four-monthly report and of external validation (the rules: campaign.reports.mailing).

make_due runs from the cron: the report of the period that ended (once: a unique row per period),
its mail owed to the admins; send_report claims that mail and sends it with the PDF and CSV
attached; send_review_invite mails an outside reviewer their personal link. Ids in, never an address.
"""

from campaign.extensions import db
from campaign.models.base import utcnow
from campaign.reports.mailing import claim_report_mail, mail_report, mail_review_invite, make_due_reports


def make_due() -> str:
    made = make_due_reports(utcnow())
    db.session.commit()
    return made


def send_report(run_id: int) -> str:
    claimed = claim_report_mail(run_id, utcnow())
    if isinstance(claimed, str):  # sent already, or another worker has it
        db.session.rollback()
        return claimed
    db.session.commit()  # the claim is visible before the SMTP conversation starts
    try:
        return mail_report(claimed)
    finally:
        db.session.commit()  # sent, or owed again with the server's error: recorded either way


def send_review_invite(review_id: int) -> str:
    sent = mail_review_invite(review_id, utcnow())
    db.session.commit()
    return sent
