"""Every Redis client of the platform is made here, so none is left without timeouts.

Redis carries work, rate limits and caches; the database holds what matters. A request, a cron tick
or a job therefore never waits long on Redis: a refused connection fails at once, a stalled one (a
frozen server still accepts TCP) after REDIS_TIMEOUT seconds, and the caller carries on without it.
Only RQ's worker blocks on purpose (BLPOP); RQ itself raises its read timeout above the block.
"""

import redis
from flask import current_app
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.retry import Retry

_EXTENSION = "redis"
_CLIENT = "redis-client"


def client_options(app) -> dict:
    timeout = float(app.config["REDIS_TIMEOUT"])
    return {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        # A pooled connection that a Redis restart cut gets one immediate second try; a timeout is
        # not retried (that would only double the wait on a stalled server).
        "retry": Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
        "health_check_interval": 30,
    }


def connection_pool(app=None) -> redis.ConnectionPool:
    """The application's one pool; the rate limiter's storage shares it."""
    app = app or current_app._get_current_object()
    pool = app.extensions.get(_EXTENSION)
    if pool is None:
        pool = redis.ConnectionPool.from_url(app.config["REDIS_URL"], **client_options(app))
        app.extensions[_EXTENSION] = pool
    return pool


def redis_connection(app=None) -> redis.Redis:
    """The application's client on its pool, made once: a client is safe to share between threads,
    and making one sets up its table of reply parsers (a tenth of a sign request's CPU, per call)."""
    app = app or current_app._get_current_object()
    pool = connection_pool(app)
    made = app.extensions.get(_CLIENT)
    if made is None or made[0] is not pool:  # a pool put in place since (tests do) gets its own client
        made = app.extensions[_CLIENT] = (pool, redis.Redis(connection_pool=pool))
    return made[1]


def worker_connection(app) -> redis.Redis:
    """For RQ's worker: connects fast, and RQ sets the read timeout just above its blocking BLPOP, so
    a frozen Redis is noticed within a dequeue period instead of never."""
    timeout = float(app.config["REDIS_TIMEOUT"])
    return redis.Redis.from_url(
        app.config["REDIS_URL"],
        socket_connect_timeout=max(timeout, 1.0),
        retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
        health_check_interval=30,
    )


def limits_storage_options(app) -> dict:
    """Flask-Limiter's and the delivery budget's `limits` storage, on the same pool and timeouts."""
    return {"connection_pool": connection_pool(app)}
