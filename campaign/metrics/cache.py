"""A small per-process cache for computed figures, keyed by a cheap version of the data.

A figure is computed again when its version changes (the fold or the reconciliation touched a
tally, an outcome was recorded, a petition changed) or when it is older than the TTL, whichever
comes first. Each process keeps its own copy, so no invalidation has to travel between processes.
"""

import time
from collections.abc import Callable, Hashable

_entries: dict[Hashable, tuple[float, Hashable, object]] = {}


def remember(key: Hashable, version: Hashable, ttl: float, compute: Callable[[], object]):
    now = time.monotonic()
    entry = _entries.get(key)
    if entry and entry[1] == version and now - entry[0] < ttl:
        return entry[2]
    value = compute()
    if len(_entries) > 10_000:  # one entry per petition and page: a bound, not an eviction policy
        _entries.clear()
    _entries[key] = (now, version, value)
    return value


def forget_all() -> None:
    _entries.clear()
