"""Settings: defaults, then the environment, then the mapping passed to create_app.

Secrets have no default outside development; `create_app` refuses to start without them.
"""

import json
import os
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


class Defaults:
    ENV_NAME = "development"  # "production" makes SECRET_KEY mandatory
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE_DIR / 'campaign.db'}"
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    REDIS_URL = "redis://127.0.0.1:6379/0"
    # Seconds a Redis call may take (connect or answer) before the caller carries on without it.
    REDIS_TIMEOUT = 0.5
    # Mail: the embedded default is the local SMTP sink of `make run`.
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 8025
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "Petities <petities@localhost>"
    # Whether the relay takes SMTPUTF8 (addresses like jörg@...). Off: the sign form refuses them, as
    # smtplib cannot send them otherwise. On: they are sent with SMTPUTF8 (the dev sink offers it).
    MAIL_SMTPUTF8 = False
    MAIL_TIMEOUT = 10  # seconds; SMTP must fail fast, well inside a job timeout
    MAIL_SINK_DIR = str(INSTANCE_DIR / "mail")
    PUBLIC_URL = "http://127.0.0.1:5000"
    # Who runs the site: header, footer and every mail to supporters say so. ORG_LOGO is a path under
    # static/ (an SVG); ORG_ADDRESS and ORG_PHONE are left out of the footer when empty.
    ORG_NAME = "Petities voor mensenrechten"
    ORG_URL = "https://example.org"
    ORG_EMAIL = "petities@example.org"
    ORG_PHONE = ""
    ORG_ADDRESS = ""
    ORG_LOGO = "img/logo.svg"
    # The logo as a PNG, for mail: mail clients do not show SVG. Sent inline with every mail (cid:).
    ORG_LOGO_PNG = "img/logo-mail.png"
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    # Interface languages offered (each needs a catalogue: `make translations-init LOCALE=xx`).
    LANGUAGES = ("nl", "en", "ar", "uk")
    WTF_CSRF_TIME_LIMIT = 6 * 3600  # a supporter may leave the form open for a while
    MAX_CONTENT_LENGTH = 64 * 1024
    RATELIMIT_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # switched on when PUBLIC_URL is https
    PROXY_COUNT = 0  # how many reverse proxies in front of us may set X-Forwarded-*
    RQ_QUEUE = "default"
    # The count fold and reconciliation get their own queue, which workers take first: public counts
    # never wait behind a mail backlog.
    RQ_COUNTS_QUEUE = "counts"
    # A nudged batch job (the confirmation mail, the count fold, letters, webhooks) runs once its
    # nudge's window has passed, so that everything committed meanwhile goes in one run: on a busy day
    # one job sends a few hundred mails instead of a few. Off: it runs at once (the tests, whose
    # burst worker has no scheduler). Either way a job never waits longer than window + a second.
    GATHER_NUDGED_JOBS = True
    # The version of the consent text a supporter agrees to when signing.
    CONSENT_VERSION = "2026-11"
    # Mails one signature may cause in all: the confirmation plus a few reminders on re-signing.
    SUPPORTER_MAIL_LIMIT = 4
    # Mail to supporters (campaign.signing.outbox): tries of one mail, the first backoff (doubling,
    # at most an hour), and mails one mailbox (tags and ignored dots folded) gets per hour in all.
    SUPPORTER_MAIL_MAX_ATTEMPTS = 6
    SUPPORTER_MAIL_RETRY_SECONDS = 30
    SUPPORTER_MAILS_PER_MAILBOX_HOUR = 6
    # Cron: how often the outbox relay and the count fold run, in seconds.
    RELAY_INTERVAL = 30
    FOLD_INTERVAL = 5
    CLOSE_INTERVAL = 60  # how often the cron closes petitions past their closing date
    # Impact & Learning (issue 14): the four-monthly report, evidence documents, outside reviewers.
    REPORT_INTERVAL = 900  # cron: make the report of a period that ended, and retry unsent ones
    REPORT_MAIL_LEASE_SECONDS = 600  # a worker's hold on a report's mail (the PDF takes seconds)
    REPORT_MAIL_MAX_ATTEMPTS = 5
    # Uploaded evidence (MEDIA_DIR/evidence, studio users only), hero images' cleaned originals
    # (MEDIA_DIR/originals, never served) and the public files: hero sizes and share cards
    # (MEDIA_DIR/public, served at /media/<name> under content-hashed names).
    MEDIA_DIR = str(INSTANCE_DIR / "media")
    HERO_IMAGE_MAX_BYTES = 10 * 1024 * 1024
    HERO_IMAGE_MAX_PIXELS = 50_000_000  # larger is refused as a possible decompression bomb
    EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    REVIEW_LINK_DAYS = 30  # how long an outside reviewer's link works
    # Studio login throttling: failures allowed per account and per IP within the window (seconds).
    LOGIN_FAILURES_PER_ACCOUNT = 5
    LOGIN_FAILURES_PER_IP = 20
    LOGIN_FAILURE_WINDOW = 15 * 60
    # Delivery to officials (campaign.delivery): a worker's claim on a row, retries, the relay's grace.
    DELIVERY_LEASE_SECONDS = 120  # well above MAIL_TIMEOUT: a live worker never loses its row
    DELIVERY_RELAY_GRACE = 60  # rows due this long ago and still queued are enqueued again
    DELIVERY_MAX_ATTEMPTS = 8  # temporary failures retried with backoff, then recorded as failed
    DELIVERY_RETRY_SECONDS = 30  # first backoff; doubles per attempt, at most an hour
    DELIVERY_BLOCK_AFTER = 3  # permanent failures in a row before a target's address is skipped
    # A hand-over a campaigner causes (closing by hand, "hand over now") waits this long in the outbox;
    # until then the studio can cancel it. 0: it leaves at once.
    HANDOVER_UNDO_MINUTES = 10
    # Updates to supporters (campaign.outreach): mails per minute at most (0: no limit), tries.
    UPDATE_MAILS_PER_MINUTE = 3000
    UPDATE_MAX_ATTEMPTS = 5
    UPDATE_RETRY_SECONDS = 60
    MILESTONE_INTERVAL = 30  # cron: compare counts with milestone thresholds
    DIGEST_INTERVAL = 900  # cron: queue the digests of periods that ended
    # Abuse (issue 6; see campaign.abuse). Hard limits answer 429; soft ones store the signature flagged.
    SIGN_LIMIT_PER_IP = "30/minute"
    RESEND_LIMIT = "6/15 minutes"  # "send the confirmation again", per connection
    SIGN_LIMIT_PER_DOMAIN = "300/minute"
    ABUSE_SOFT_WINDOW = 3600  # seconds
    ABUSE_SOFT_LIMIT_PER_IP = 20  # signatures on one petition from one IP per window
    ABUSE_SOFT_LIMIT_PER_DOMAIN = 200  # ... from one email domain, except the big mail providers below
    ABUSE_COMMON_DOMAINS = (
        "gmail.com",
        "hotmail.com",
        "outlook.com",
        "live.nl",
        "live.com",
        "hotmail.nl",
        "outlook.nl",
        "icloud.com",
        "me.com",
        "yahoo.com",
        "ziggo.nl",
        "kpnmail.nl",
        "planet.nl",
        "home.nl",
        "xs4all.nl",
        "hetnet.nl",
        "telfort.nl",
        "proton.me",
        "protonmail.com",
        "gmx.net",
        "online.nl",
        "upcmail.nl",
        "casema.nl",
        "zeelandnet.nl",
    )
    ABUSE_CACHE_SECONDS = 5  # how long a process keeps the lists, switches and consent version
    ALTCHA_KEY_PREFIX = "0000"  # proof-of-work difficulty: hex digits the derived key must start with
    # How long a personal link (see, download, withdraw) works; every mail to the supporter brings a
    # fresh one, and signing again with the same address sends one.
    PERSONAL_LINK_DAYS = 180
    RETENTION_MONTHS = 6  # personal data is wiped this long after a petition closes
    UNCONFIRMED_DAYS = 14  # a signature nobody confirmed is wiped this long after it was made
    HSTS_SECONDS = 365 * 24 * 3600
    COUNT_CACHE_SECONDS = 2
    COUNT_MAX_AGE = 5  # Cache-Control max-age of count.json, seconds
    # Metrics (issue 5): how long a process reuses computed figures at most (they are recomputed
    # sooner when the tallies change), the public max-age of /metrics and its downloads, and how
    # often the cron recounts the tallies from the signatures.
    METRICS_CACHE_SECONDS = 30
    PAGE_CACHE_SECONDS = 5  # the rendered petition page, per process, when nothing it shows changed
    METRICS_MAX_AGE = 15
    RECONCILE_INTERVAL = 600
    # "n mensen tekenden het afgelopen uur" on a petition page from this many up (fewer is no crowd).
    SOCIAL_PROOF_MIN = 10
    # The number of people (distinct addresses) is recounted by the fold at most this often while
    # signatures come in, and shown only when it is that fresh, or nothing changed since.
    SUPPORTERS_RECOUNT_SECONDS = 30
    # The OSDI API (issue 12): requests per key, and how long an Idempotency-Key's answer is kept.
    API_RATE_LIMIT = "120/minute"
    API_IDEMPOTENCY_HOURS = 24
    # Webhooks: attempts before a message is given up, the first backoff (doubles, at most an hour),
    # failed attempts in a row before an endpoint is paused, the HTTP timeout, a worker's lease.
    WEBHOOK_MAX_ATTEMPTS = 8
    WEBHOOK_RETRY_SECONDS = 30
    WEBHOOK_PAUSE_AFTER = 10
    WEBHOOK_TIMEOUT = 10
    WEBHOOK_LEASE_SECONDS = 60
    WEBHOOK_RELAY_GRACE = 30  # messages due this long ago are enqueued again by the relay
    # Loopback and private addresses as webhook targets: only for trying it out (development, tests).
    WEBHOOK_ALLOW_PRIVATE = None  # None: allowed when ENV_NAME is development or test
    # Sites that may frame /petitions/<slug>/embed (CSP frame-ancestors), e.g. "https://www.example.nl".
    EMBED_ORIGINS = ()


_BOOLEANS = {
    "1": True,
    "true": True,
    "yes": True,
    "on": True,
    "0": False,
    "false": False,
    "no": False,
    "off": False,
}


def _coerce(raw: str, default):
    """Read an environment string as the type of its default."""
    if isinstance(default, bool):
        return _BOOLEANS.get(raw.strip().lower(), default)
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, tuple):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    if raw.startswith(("{", "[")):
        return json.loads(raw)
    return raw


def load(overrides=None) -> dict:
    """Build the settings mapping."""
    settings = {key: getattr(Defaults, key) for key in dir(Defaults) if key.isupper()}
    for key, default in list(settings.items()):
        if key in os.environ:
            settings[key] = _coerce(os.environ[key], default)
    # Names of the contract that differ from Flask-SQLAlchemy's own.
    if os.environ.get("DATABASE_URL"):
        settings["SQLALCHEMY_DATABASE_URI"] = _database_url(os.environ["DATABASE_URL"])
    for key, value in os.environ.items():
        # "Any other setting can be given as an environment variable of the same name."
        if key.isupper() and key not in settings and key.startswith(("RATELIMIT_", "SQLALCHEMY_", "BENCH_")):
            settings[key] = value
    settings.update(overrides or {})
    settings["SQLALCHEMY_DATABASE_URI"] = _database_url(settings["SQLALCHEMY_DATABASE_URI"])
    settings["PUBLIC_URL"] = settings["PUBLIC_URL"].rstrip("/")
    explicit = set(overrides or {}) | set(os.environ)
    if settings["PUBLIC_URL"].startswith("https://") and "SESSION_COOKIE_SECURE" not in explicit:
        settings["SESSION_COOKIE_SECURE"] = True
        settings.setdefault("PREFERRED_URL_SCHEME", "https")
    settings["SQLALCHEMY_ENGINE_OPTIONS"] = _engine_options(settings["SQLALCHEMY_DATABASE_URI"])
    return settings


def _database_url(url: str) -> str:
    """psycopg 3 is our PostgreSQL driver; accept the common spellings of the URL."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _engine_options(url: str) -> dict:
    # SQL errors carry their parameters (names, addresses) into logs and error reports: hide them.
    if url.startswith("sqlite"):
        # A generous busy timeout: web processes and workers write to one file.
        return {"connect_args": {"timeout": 30}, "hide_parameters": True}
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 10, "hide_parameters": True}
