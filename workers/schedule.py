"""What the cron process enqueues, and how often. One line per recurring job.

(dotted job path, interval in seconds or None, cron expression or None); intervals come from settings
where a campaigner or operator may want to change them.
"""


def recurring_jobs(config) -> list[tuple[str, int | None, str | None]]:
    return [
        ("workers.relay.run", config["RELAY_INTERVAL"], None),
        ("workers.tally.fold", config["FOLD_INTERVAL"], None),
        ("workers.tally.reconcile", config["RECONCILE_INTERVAL"], None),  # recount, repair drift
        ("workers.retention.run", None, "17 3 * * *"),  # nightly: anonymise after RETENTION_MONTHS
        ("workers.deliveries.milestones", config["MILESTONE_INTERVAL"], None),
        ("workers.deliveries.digests", config["DIGEST_INTERVAL"], None),
        ("workers.petitions.close_due", config["CLOSE_INTERVAL"], None),
        ("workers.reports.make_due", config["REPORT_INTERVAL"], None),  # a period ended: its report, once
    ]
