"""Where Flask-Limiter's before-request check runs.

The platform's limits are on views (the sign form, resending the mail: decorators, checked as the
view is called) and on the API's blueprint (checked before each of its requests). Flask-Limiter runs
its before-request check app-wide, for default and application-wide limits; with none configured
it found nothing to do on every other request, for about a sixth of the CPU rate limiting adds to
a signature. So it runs for the blueprints with a limit of their own (the API), still before the
API's key check, unless RATELIMIT_DEFAULT, RATELIMIT_APPLICATION or RATELIMIT_META asks for limits on
every request.
"""

from flask import Flask

from campaign.extensions import limiter

APP_WIDE = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")


def limited_blueprints() -> list[str]:
    """The blueprints given a limit of their own (`limiter.limit(...)(bp)`, e.g. campaign/web/osdi),
    from the limiter itself: a blueprint limited later is checked without a list to keep up to date."""
    return list(limiter.limit_manager._blueprint_limits)


def check_limits_where_they_apply(app: Flask) -> None:
    hooks = app.before_request_funcs
    check = limiter._check_request_limit
    # Not registered when RATELIMIT_ENABLED is false.
    if check not in hooks.get(None, []) or any(app.config.get(key) for key in APP_WIDE):
        return
    hooks[None].remove(check)
    for blueprint in limited_blueprints():
        hooks.setdefault(blueprint, []).insert(0, check)
