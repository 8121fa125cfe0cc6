"""Per-target budgets for letters, and the target's daytime window.

The budget is a moving window in Redis (the `limits` library, already here for Flask-Limiter), checked
by the worker just before sending, so the confirm request never touches a shared row. Over budget,
the worker puts the letter back with the time a place frees up.
"""

import time as clock
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from limits import RateLimitItemPerHour
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from campaign.models.base import AMSTERDAM
from campaign.redis_client import limits_storage_options


def _limiter() -> MovingWindowRateLimiter:
    limiter = current_app.extensions.get("delivery_throttle")
    if limiter is None:
        limiter = MovingWindowRateLimiter(
            storage_from_string(current_app.config["REDIS_URL"], **limits_storage_options(current_app))
        )
        current_app.extensions["delivery_throttle"] = limiter
    return limiter


def take_places(petition_id: int, target_id: int, per_hour: int, wanted: int) -> tuple[int, float]:
    """Take places in the target's hourly budget for `wanted` letters, the oldest first: (places
    taken, and when fewer than wanted, the seconds until a place frees up). A batch's letters to one
    target take theirs in one round trip when they fit; else one at a time while places are left."""
    item = RateLimitItemPerHour(max(1, per_hour))
    key = ("delivery", str(petition_id), str(target_id))
    limiter = _limiter()
    if limiter.hit(item, *key, cost=wanted):
        return wanted, 0.0
    granted = 0
    while wanted > 1 and granted < wanted and limiter.hit(item, *key):  # a single letter: asked already
        granted += 1
    if granted == wanted:
        return granted, 0.0
    reset_at = limiter.get_window_stats(item, *key).reset_time
    return granted, max(1.0, reset_at - clock.time())


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else AMSTERDAM
    except (ZoneInfoNotFoundError, ValueError):
        return AMSTERDAM


def next_daytime(now: datetime, zone: str, starts: int, ends: int) -> datetime | None:
    """None when `now` (naive UTC) is inside [starts, ends) hours in `zone`; else the next opening."""
    tz = _zone(zone)
    local = now.replace(tzinfo=UTC).astimezone(tz)
    if starts <= local.hour < ends:
        return None
    day = local.date() if local.hour < starts else local.date() + timedelta(days=1)
    return datetime.combine(day, time(starts), tz).astimezone(UTC).replace(tzinfo=None)
