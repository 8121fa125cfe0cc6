"""Retention (cron, daily): anonymise signatures of petitions closed RETENTION_MONTHS ago, then drop
the RQ job records that concern them (a failed mail job can carry an address in its error text)."""

import logging

from flask import current_app
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import CanceledJobRegistry, DeferredJobRegistry, FailedJobRegistry, FinishedJobRegistry

from campaign.abuse.challenge import forget_expired_challenges
from campaign.extensions import db
from campaign.models.base import utcnow
from campaign.privacy import anonymise_closed
from campaign.queueing import get_queue

log = logging.getLogger(__name__)
# Jobs whose first argument is a signature id.
SIGNATURE_JOBS = {"workers.supporter_mail.send"}
# Batch jobs over many supporters: their records (an SMTP error names addresses) are always dropped.
SUPPORTER_BATCH_JOBS = {"workers.supporter_mail.send_owed"}
REGISTRIES = (FinishedJobRegistry, FailedJobRegistry, DeferredJobRegistry, CanceledJobRegistry)


def run() -> str:
    now = utcnow()
    report = anonymise_closed(now, current_app.config["RETENTION_MONTHS"])
    forget_expired_challenges(now)
    db.session.commit()
    dropped = forget_jobs_about(set(report.signature_ids))
    log.info("retention: %s signatures anonymised, %s job records dropped", report.total, dropped)
    return f"anonymised {report.total}, dropped {dropped} job records"


def forget_jobs_about(signature_ids: set[int]) -> int:
    """Delete the records of finished, failed, deferred and cancelled jobs about these signatures
    (and of supporter-mail batch jobs, which may concern anyone)."""
    queue = get_queue()
    dropped = 0
    for registry_class in REGISTRIES:
        registry = registry_class(queue=queue)
        for job_id in registry.get_job_ids():
            try:
                job = Job.fetch(job_id, connection=queue.connection, serializer=queue.serializer)
            except NoSuchJobError:
                continue
            about_them = job.func_name in SIGNATURE_JOBS and job.args and job.args[0] in signature_ids
            if about_them or job.func_name in SUPPORTER_BATCH_JOBS:
                registry.remove(job, delete_job=True)
                dropped += 1
    return dropped
