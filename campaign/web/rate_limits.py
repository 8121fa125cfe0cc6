"""Where Flask-Limiter's before-request check runs.

The platform's limits are on views (the sign form, resending the mail: decorators, checked as the
view is called) and on the API's blueprint (checked before each of its requests). Flask-Limiter runs
its before-request check app-wide, for default and application-wide limits; with none configured
it found nothing to do on every other request, for about a sixth of the CPU rate limiting adds to
a signature. So it runs for the API only, still before the API's key check, unless RATELIMIT_DEFAULT,
RATELIMIT_APPLICATION or RATELIMIT_META asks for limits on every request.
"""

from flask import Flask

from campaign.extensions import limiter

APP_WIDE = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")
CHECKED_BEFORE_REQUEST = ("osdi",)  # the blueprints with a blueprint limit (campaign/web/osdi)


def check_limits_where_they_apply(app: Flask) -> None:
    hooks = app.before_request_funcs
    check = limiter._check_request_limit
    # Not registered when RATELIMIT_ENABLED is false.
    if check not in hooks.get(None, []) or any(app.config.get(key) for key in APP_WIDE):
        return
    hooks[None].remove(check)
    for blueprint in CHECKED_BEFORE_REQUEST:
        hooks.setdefault(blueprint, []).insert(0, check)
