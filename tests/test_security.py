"""Security headers on every response, templates that a strict CSP allows, quiet studio errors,
no header injection into mail, and signing that survives Redis going away."""

import re
from datetime import timedelta
from pathlib import Path

import pytest

from campaign.dev import redis_server as dev_redis
from campaign.extensions import db
from campaign.models import Signature
from tests import factories
from tests.helpers import sign
from tests.studio_support import logged_in

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@pytest.mark.parametrize("path", ["/", "/petitions/test-petitie", "/nope", "/studio/login", "/privacy"])
def test_security_headers_on_every_response(app, client, path):
    factories.petition()
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP


def test_hsts_over_https(app, client):
    response = client.get("/", base_url="https://petities.test.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_embeddable_views_may_be_framed(app, client):
    from campaign.web.security import embeddable

    app.add_url_rule("/embed-test", view_func=embeddable(lambda: "ok"), endpoint="embed_test")
    response = client.get("/embed-test")
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers


def test_no_template_needs_unsafe_inline():
    """No inline <script>, style= attribute or on* handler in any web page template (mail is exempt)."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if "email" in path.parts:
            continue
        text = path.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\sstyle\s*=", r"\son[a-z]+\s*="):
            offenders += [f"{path.relative_to(TEMPLATES)}: {m}" for m in re.findall(pattern, text)]
    assert offenders == []


def test_studio_errors_reveal_nothing_internal(app):
    def boom():
        raise RuntimeError("secret internal detail at /srv/campaign/db.py")

    app.add_url_rule("/studio/boom-test", view_func=boom)
    client = logged_in(app, "admin")
    response = client.get("/studio/boom-test")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internal detail" not in text and "Traceback" not in text and "/srv/" not in text
    assert "Er ging bij ons iets mis" in text


def test_no_header_injection_through_a_name_into_mail(app, client, mailbox, run_jobs):
    petition = factories.petition()
    sign(client, petition.slug)
    db.session.execute(db.update(Signature).values(name="Anna\r\nBcc: victim@example.org\r\nSubject: spam"))
    db.session.commit()
    run_jobs()
    [message] = mailbox.wait_for(1)
    assert message["Bcc"] is None and "spam" not in message["Subject"]
    assert message["To"] == "anna@example.nl"


@pytest.fixture
def own_redis(tmp_path):
    """A Redis of this test's own, to stop and start again."""
    port = dev_redis.free_port()
    process = dev_redis.start(port, tmp_path)
    state = {"port": port, "process": process, "dir": tmp_path}
    yield state
    state["process"].terminate()
    state["process"].wait(timeout=10)


@pytest.fixture
def config_overrides(request):
    if "own_redis" not in request.fixturenames:
        return {}
    url = f"redis://127.0.0.1:{request.getfixturevalue('own_redis')['port']}/0"
    return {
        "REDIS_URL": url,
        "RATELIMIT_STORAGE_URI": url,
        "RATELIMIT_ENABLED": True,
        "REDIS_TIMEOUT": 0.5,
    }


def test_signing_survives_redis_stopping_and_every_mail_goes_out(
    app, client, mailbox, run_jobs, own_redis, monkeypatch
):
    import workers.relay

    petition = factories.petition()
    assert sign(client, petition.slug, email="voor@example.nl").status_code == 303
    own_redis["process"].terminate()
    own_redis["process"].wait(timeout=10)
    for i in range(3):  # Redis is down: signing carries on, the rate limits fall back to memory
        assert sign(client, petition.slug, email=f"tijdens{i}@example.nl").status_code == 303
    assert db.session.execute(db.select(db.func.count()).select_from(Signature)).scalar() == 4

    own_redis["process"] = dev_redis.start(own_redis["port"], own_redis["dir"])
    monkeypatch.setattr(workers.relay, "GRACE", timedelta(0))  # the relay's grace period, without waiting
    workers.relay.run()
    run_jobs()
    addresses = sorted(message["To"] for message in mailbox.wait_for(4))
    assert addresses == [
        "tijdens0@example.nl",
        "tijdens1@example.nl",
        "tijdens2@example.nl",
        "voor@example.nl",
    ]


def test_answers_vary_on_the_cookie_only_where_they_follow_it(app, client):
    petition = factories.petition()
    client.get(f"/petitions/{petition.slug}")  # a session (the CSRF token) and its cookie
    for path in (f"/petitions/{petition.slug}/count.json", "/healthz/ping", "/metrics.json"):
        assert "Cookie" not in client.get(path).headers.get("Vary", ""), path
    # The session (CSRF token) or the language cookie decides these.
    for path in (f"/petitions/{petition.slug}", f"/petitions/{petition.slug}/embed", "/privacy", "/nope"):
        assert "Cookie" in client.get(path).headers.get("Vary", ""), path


def test_the_session_cookie_follows_the_secret_key_and_its_fallbacks(app, client):
    """The signing serializer is made once per key (campaign.web.sessions), not once per request."""
    with client.session_transaction() as session:
        session["probe"] = "kept"
    old_key = app.config["SECRET_KEY"]
    app.config.update(SECRET_KEY="rotated-secret-key", SECRET_KEY_FALLBACKS=[old_key])
    with client.session_transaction() as session:
        assert session.get("probe") == "kept"  # signed with the old key, opened by the fallback
        session["again"] = "signed with the new key"
    app.config.update(SECRET_KEY_FALLBACKS=[])
    with client.session_transaction() as session:
        assert session.get("probe") == "kept"
    app.config.update(SECRET_KEY="another-key")
    with client.session_transaction() as session:
        assert "probe" not in session
