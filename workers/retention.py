"""Retention (cron, daily): campaign.privacy.apply_retention, as the CLI's `campaign retention` runs it."""

import logging

from flask import current_app

from campaign.extensions import db
from campaign.models.base import utcnow
from campaign.privacy import apply_retention

log = logging.getLogger(__name__)


def run() -> str:
    report = apply_retention(utcnow(), current_app.config["RETENTION_MONTHS"])
    db.session.commit()
    log.info("retention: %s signatures anonymised", report.total)
    return f"anonymised {report.total}"
