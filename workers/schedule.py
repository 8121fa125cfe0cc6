"""What the cron process enqueues, and how often. One line per recurring job (names: campaign.jobs).

(dotted job path, interval in seconds or None, cron expression or None); intervals come from settings
where a campaigner or operator may want to change them.
"""

from campaign import jobs


def recurring_jobs(config) -> list[tuple[str, int | None, str | None]]:
    return [
        (jobs.RELAY, config["RELAY_INTERVAL"], None),
        (jobs.FOLD, config["FOLD_INTERVAL"], None),
        (jobs.RECONCILE, config["RECONCILE_INTERVAL"], None),  # recount, repair drift
        (jobs.RETENTION, None, "17 3 * * *"),  # nightly: anonymise after RETENTION_MONTHS
        (jobs.MILESTONES, config["MILESTONE_INTERVAL"], None),
        (jobs.DIGESTS, config["DIGEST_INTERVAL"], None),
        (jobs.CLOSE_DUE, config["CLOSE_INTERVAL"], None),
        (jobs.MAKE_REPORTS, config["REPORT_INTERVAL"], None),  # a period ended: its report, once
    ]
