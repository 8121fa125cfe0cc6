"""The campaign and petition action platform."""

import logging
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from campaign import config as settings
from campaign.extensions import babel, csrf, db, limiter, login, mail, migrate

MIGRATIONS = str(settings.INSTANCE_DIR.parent / "migrations")
DEV_SECRET = "development-only-secret-key-do-not-deploy"  # noqa: S105 - refused outside development


def create_app(config: dict | None = None) -> Flask:
    """Build the application. No I/O here: connections open lazily on first use."""
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_path=str(settings.INSTANCE_DIR),
    )
    app.config.update(settings.load(config))
    from campaign.i18n import CampaignRequest
    from campaign.web.sessions import CampaignSessionInterface

    app.request_class = CampaignRequest
    app.session_interface = CampaignSessionInterface()
    _require_secret(app)
    if app.config["PROXY_COUNT"]:
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)
    from campaign.web.shared_answers import SharedAnswers

    app.wsgi_app = SharedAnswers(app.wsgi_app, app.config["COUNT_CACHE_SECONDS"])

    _init_extensions(app)
    _register_blueprints(app)
    from campaign.web.rate_limits import check_limits_where_they_apply

    check_limits_where_they_apply(app)

    from campaign.web import errors, security, templating

    errors.register(app)
    security.register(app)
    templating.register(app)

    from campaign import cli

    cli.register(app)
    return app


def _require_secret(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    # Development means ENV_NAME=development *and* links pointing at this machine: a deployment that
    # forgot ENV_NAME but has a real PUBLIC_URL must not run on a key that is public in our source.
    local = urlsplit(app.config["PUBLIC_URL"]).hostname in ("127.0.0.1", "localhost", "::1")
    if app.config["ENV_NAME"] != "development" or not local:
        raise RuntimeError("SECRET_KEY must be set outside development")
    logging.getLogger(__name__).warning("SECRET_KEY not set: using the development key")
    app.config["SECRET_KEY"] = DEV_SECRET


def _init_extensions(app: Flask) -> None:
    from campaign import dbutil, models  # noqa: F401 - registers the tables and the SQLite pragmas
    from campaign.redis_client import limits_storage_options
    from campaign.web.locale import select_locale

    app.config.setdefault("MAIL_SUPPRESS_SEND", False)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"])
    if app.config["RATELIMIT_STORAGE_URI"] == app.config["REDIS_URL"]:
        # The limiter on our pool, with its timeouts: without them a stalled Redis hung every sign POST.
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", limits_storage_options(app))
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)  # Redis down: keep signing
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True)
    csrf.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    # No current_user on public pages: loading it there ran Flask-Login's session protection on every
    # supporter's request (and cleared a remember cookie each time). The studio provides it itself.
    login.init_app(app, add_context_processor=False)
    # Its remember-cookie hook reads the session, which makes Flask answer every request with Vary:
    # Cookie (count.json and health checks too). Only the studio logs in and out, and loads the user
    # whose session protection may ask to clear the cookie: the hook runs there (web/studio/blueprint.py).
    app.after_request_funcs[None].remove(login._update_remember_cookie)
    _configure_login()
    limiter.init_app(app)


def _configure_login() -> None:
    """Studio logins: the login page, its message and how a session maps to an account."""
    from flask_babel import lazy_gettext as _l

    from campaign.accounts import load_session_account

    login.login_view = "studio.login"
    login.login_message = _l("Log in om verder te gaan.")
    login.session_protection = "strong"
    login.user_loader(load_session_account)


def _register_blueprints(app: Flask) -> None:
    from campaign.web.api import bp as api
    from campaign.web.osdi import bp as osdi
    from campaign.web.public import bp as public
    from campaign.web.studio import bp as studio

    app.register_blueprint(public)
    app.register_blueprint(api)
    app.register_blueprint(osdi)
    app.register_blueprint(studio, url_prefix="/studio")
