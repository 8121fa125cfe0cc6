"""Real services for the suite: a redis-server, an SMTP sink, SQLite (or PostgreSQL), RQ workers.

Set TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@/campaign_test) to run on PostgreSQL;
the schema is built from the migrations once per session, and every test leaves empty tables behind.
"""

import os
import re
import shutil
import tempfile

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from campaign import create_app
from campaign.dev import mailsink
from campaign.dev import redis_server as dev_redis
from campaign.extensions import db
from campaign.metrics.counts import forget_cached_counts
from campaign.queueing import get_queue, redis_connection, worker_queues

# The misbehaving SMTP server of the delivery tests (fixtures faulty_smtp and smtp).
pytest_plugins = ["tests.smtp_faults"]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    port = dev_redis.free_port()
    process = dev_redis.start(port, tmp_path_factory.mktemp("redis"))
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def mailbox():
    return mailsink.Mailbox()


@pytest.fixture(scope="session")
def smtp_port(mailbox):
    port = dev_redis.free_port()
    controller = mailsink.start(port, mailbox=mailbox)
    yield port
    controller.stop()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


TEST_MEDIA_DIR = tempfile.mkdtemp(prefix="test-media-")


def test_config(database_url, redis_url, smtp_port, **overrides) -> dict:
    config = {
        "TESTING": True,
        "ENV_NAME": "test",
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": redis_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "MAIL_DEFAULT_SENDER": "Petities <petities@test.example>",
        "MAIL_SMTPUTF8": True,  # the test servers offer it (aiosmtpd, enable_SMTPUTF8)
        "PUBLIC_URL": "https://petities.test.example",
        "SESSION_COOKIE_SECURE": False,  # the test client speaks plain HTTP
        "RATELIMIT_ENABLED": False,
        "COUNT_CACHE_SECONDS": 0,
        "GATHER_NUDGED_JOBS": False,  # run_jobs is a burst worker without a scheduler: jobs at once
        "MEDIA_DIR": TEST_MEDIA_DIR,  # hero images and share cards, never into instance/
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def _schema(database_url, redis_url, smtp_port):
    """Build the schema once per session, from the migrations (so they are exercised on every run;
    tests/test_migrations.py checks they match the models)."""
    from flask_migrate import upgrade

    app = create_app(test_config(database_url, redis_url, smtp_port))
    with app.app_context():
        _drop_everything()
        upgrade()
        db.session.remove()
        db.engine.dispose()
    yield


def _drop_everything():
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
def config_overrides():
    """Override in a test module (or with @pytest.mark.parametrize indirect) to change settings."""
    return {}


class IsolatedClient(FlaskClient):
    """Each request gets its own application context (its own `g` and database session), as in
    production; otherwise requests would share the test's context and, with it, cached CSRF state."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(_schema, database_url, redis_url, smtp_port, mailbox, config_overrides):
    app = create_app(test_config(database_url, redis_url, smtp_port, **config_overrides))
    app.test_client_class = IsolatedClient
    with app.app_context():
        redis_connection(app).flushdb()
        mailbox.clear()
        forget_cached_counts()
        yield app
        db.session.remove()
        _empty_tables()
        redis_connection(app).flushdb()
        db.engine.dispose()


def _empty_tables():
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def run_jobs(app):
    """Run every queued job in this process (an RQ SimpleWorker in burst mode), like the real worker."""
    from workers.runtime import AppContextWorker

    def run(queue_name=None) -> int:
        # As `python -m workers` does by default: the counts queue first, then the general one.
        queues = [get_queue(name) for name in ([queue_name] if queue_name else worker_queues(app))]
        worker = AppContextWorker(queues, app=app)
        worker.work(burst=True)
        for queue in queues:
            failed = queue.failed_job_registry.get_job_ids()
            assert not failed, "jobs failed:\n" + "\n".join(
                queue.fetch_job(job_id).latest_result().exc_string for job_id in failed
            )
        return worker.successful_job_count

    return run


CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    """Load a page as a browser would and return its CSRF token (the session cookie stays in the client)."""
    html = client.get(url).get_data(as_text=True)
    match = CSRF_FIELD.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1) or match.group(2)


@pytest.fixture(scope="session")
def chromium_path():
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium is not installed: .ci/run installs Debian's chromium package")
    return path


@pytest.fixture
def live_server(app):
    """The app served over real HTTP on a free port (threaded), for the browser tests.

    PUBLIC_URL points at it, so links in mail lead back to this server.
    """
    import threading

    from werkzeug.serving import make_server

    port = dev_redis.free_port()
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{port}"
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app.config["PUBLIC_URL"]
    server.shutdown()
    thread.join(timeout=10)


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def browser(chromium_path):
    """A real headless Chromium (Debian's package) driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
