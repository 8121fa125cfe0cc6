"""Background work: job functions (ids in, one domain call, one commit) and the worker/cron entry points.

Each job runs inside an application context pushed by the worker (see workers.runtime).
"""
