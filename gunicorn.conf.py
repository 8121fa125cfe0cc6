"""gunicorn settings, from the environment (see docs/deploy.md)."""

import multiprocessing
import os

bind = f"{os.environ.get('BIND', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("WEB_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = 30
graceful_timeout = 10
keepalive = 5
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "0"))  # recycle workers if memory ever creeps
max_requests_jitter = max_requests // 10
# No access log by default: request lines carry confirmation tokens.
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"
