"""Retention (cron, daily): campaign.privacy.apply_retention, as the CLI's `campaign retention` runs it."""

import logging

from flask import current_app

from campaign.extensions import db
from campaign.models.base import utcnow
from campaign.privacy import apply_retention

log = logging.getLogger(__name__)


def run() -> str:
    now = utcnow()
    report = apply_retention(
        now, current_app.config["RETENTION_MONTHS"], unconfirmed_days=current_app.config["UNCONFIRMED_DAYS"]
    )
    db.session.commit()
    log.info(
        "retention: %s signatures anonymised, %s unconfirmed expired", report.total, len(report.expired_ids)
    )
    return f"anonymised {report.total}, expired {len(report.expired_ids)} unconfirmed"
