"""Retention (cron, daily): anonymise signatures of petitions closed RETENTION_MONTHS ago, then drop
the RQ job records that concern them (a failed mail job can carry an address in its error text)."""

import logging

from flask import current_app

from campaign.abuse.challenge import forget_expired_challenges
from campaign.extensions import db
from campaign.models.base import utcnow
from campaign.privacy import anonymise_closed
from campaign.privacy.job_records import forget_jobs_about
from campaign.privacy.unconfirmed import expire_unconfirmed

log = logging.getLogger(__name__)


def run() -> str:
    now = utcnow()
    report = anonymise_closed(now, current_app.config["RETENTION_MONTHS"])
    expired = expire_unconfirmed(now, current_app.config["UNCONFIRMED_DAYS"])
    forget_expired_challenges(now)
    db.session.commit()
    dropped = forget_jobs_about(set(report.signature_ids) | set(expired))
    log.info(
        "retention: %s signatures anonymised, %s unconfirmed expired, %s job records dropped",
        report.total,
        len(expired),
        dropped,
    )
    return f"anonymised {report.total}, expired {len(expired)} unconfirmed, dropped {dropped} job records"
