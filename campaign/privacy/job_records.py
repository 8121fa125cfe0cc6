"""RQ keeps records of finished and failed jobs; a failed mail job's error text can name an address.
When signatures are anonymised, the records that concern them go too (jobs are named, not imported)."""

from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import CanceledJobRegistry, DeferredJobRegistry, FailedJobRegistry, FinishedJobRegistry

from campaign.jobs import SUPPORTER_MAIL
from campaign.queueing import get_queue

# Batch jobs over many supporters: their records (an SMTP error names addresses) are always dropped.
SUPPORTER_BATCH_JOBS = {SUPPORTER_MAIL}
REGISTRIES = (FinishedJobRegistry, FailedJobRegistry, DeferredJobRegistry, CanceledJobRegistry)


def forget_supporter_mail_records() -> int:
    """Delete the records of finished, failed, deferred and cancelled supporter-mail batch jobs: a
    batch concerns anyone, so after signatures are wiped none of its records may stay."""
    queue = get_queue()
    dropped = 0
    for registry_class in REGISTRIES:
        registry = registry_class(queue=queue)
        for job_id in registry.get_job_ids():
            try:
                job = Job.fetch(job_id, connection=queue.connection, serializer=queue.serializer)
            except NoSuchJobError:
                continue
            if job.func_name in SUPPORTER_BATCH_JOBS:
                registry.remove(job, delete_job=True)
                dropped += 1
    return dropped
