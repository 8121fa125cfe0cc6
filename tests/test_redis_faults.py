"""Redis in trouble, in-process: a stalled (SIGSTOP) server costs a request well under a few seconds
and loses no signature, and the login throttle works on every Redis we support (6.2 and up)."""

import os
import signal
import time

import pytest

from campaign.dev import redis_server as dev_redis
from campaign.extensions import db
from campaign.models import Signature
from campaign.redis_client import redis_connection
from tests import factories
from tests.conftest import csrf_token
from tests.helpers import sign
from tests.studio_support import PASSWORD, account, login

REDIS_BINARIES = {"system": dev_redis.redis_binary, "embedded-6.2": dev_redis.embedded_binary}


@pytest.fixture(params=["system"])
def own_redis(request, tmp_path):
    """A Redis of this test's own (to freeze), from the binary the test names."""
    port = dev_redis.free_port()
    process = dev_redis.start(port, tmp_path, binary=REDIS_BINARIES[request.param]())
    yield {"port": port, "process": process}
    os.kill(process.pid, signal.SIGCONT)
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def config_overrides(own_redis):
    url = f"redis://127.0.0.1:{own_redis['port']}/0"
    return {"REDIS_URL": url, "RATELIMIT_STORAGE_URI": url, "RATELIMIT_ENABLED": True}


class Frozen:
    """SIGSTOP the server: it still accepts TCP connections (the kernel does) but never answers."""

    def __init__(self, process):
        self.pid = process.pid

    def __enter__(self):
        os.kill(self.pid, signal.SIGSTOP)

    def __exit__(self, *exc):
        os.kill(self.pid, signal.SIGCONT)


def test_signing_with_redis_frozen_answers_fast_and_keeps_the_signature(app, client, own_redis):
    petition = factories.petition()
    token = csrf_token(client, f"/petitions/{petition.slug}")
    assert redis_connection().ping()  # pooled connections are open before the freeze
    with Frozen(own_redis["process"]):
        started = time.monotonic()
        response = sign(client, petition.slug, email="bevroren@example.nl", csrf_token=token)
        elapsed = time.monotonic() - started
        again = sign(client, petition.slug, email="nogeens@example.nl", csrf_token=token)
    assert response.status_code == 303 and again.status_code == 303
    assert elapsed < 3, f"sign POST took {elapsed:.1f} s with Redis frozen"
    stored = db.session.execute(db.select(Signature.email, Signature.flag).order_by(Signature.id)).all()
    # Screening could not run: stored, and held back from the counts until a campaigner releases it.
    assert stored == [("bevroren@example.nl", "unscreened"), ("nogeens@example.nl", "unscreened")]


def test_health_check_names_a_frozen_redis_quickly(app, client, own_redis):
    with Frozen(own_redis["process"]):
        started = time.monotonic()
        response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json() == {"db": "ok", "redis": "down"}
    assert time.monotonic() - started < 3


def test_an_unscreened_signature_shows_in_the_studio_and_can_be_released(app, client, own_redis):
    from campaign.abuse.controls import release_flagged
    from tests.studio_support import logged_in

    petition = factories.petition()
    token = csrf_token(client, f"/petitions/{petition.slug}")
    with Frozen(own_redis["process"]):
        assert sign(client, petition.slug, csrf_token=token).status_code == 303
    page = logged_in(app, "campaigner").get(f"/studio/abuse/petitions/{petition.id}")
    assert "Niet gecontroleerd" in page.get_data(as_text=True)
    assert release_flagged(petition.id, actor=None) == 1


@pytest.mark.parametrize("own_redis", ["system", "embedded-6.2"], indirect=True)
def test_login_throttle_works_on_every_supported_redis(app, client, own_redis):
    account("campaigner")
    limit = app.config["LOGIN_FAILURES_PER_ACCOUNT"]
    started = time.monotonic()
    for _ in range(limit):
        assert login(client, "campaigner@example.org", "wrong password!!").status_code == 401
    assert login(client, "campaigner@example.org", PASSWORD).status_code == 429
    [key] = redis_connection().keys("campaign:login-fail:account:*")
    window = app.config["LOGIN_FAILURE_WINDOW"]
    # The window runs from the first failure (later failures do not extend it).
    assert window - (time.monotonic() - started) - 1 <= redis_connection().ttl(key) <= window
