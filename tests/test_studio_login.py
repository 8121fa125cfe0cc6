"""The studio's door: login, roles, next= only to local paths."""

import pytest
from itsdangerous import URLSafeTimedSerializer

from campaign.accounts import create_account
from campaign.extensions import db
from tests import factories
from tests.conftest import csrf_token
from tests.studio_support import post

PASSWORD = "correct horse battery staple"


@pytest.fixture
def campaigner(app):
    account = create_account("campaigner@example.org", PASSWORD, "campaigner")
    db.session.commit()
    return account


def login(client, email, password, next_url=None):
    url = "/studio/login" + (f"?next={next_url}" if next_url else "")
    return client.post(
        url, data={"email": email, "password": password, "csrf_token": csrf_token(client, url)}
    )


def test_studio_needs_a_login(client):
    response = client.get("/studio/")
    assert response.status_code == 302 and "/studio/login" in response.headers["Location"]


def test_login_and_logout(client, campaigner):
    response = login(client, "Campaigner@Example.org", PASSWORD)
    assert response.status_code == 303
    assert "campaigner@example.org" in client.get("/studio/").get_data(as_text=True)


@pytest.mark.parametrize(
    "email,password", [("campaigner@example.org", "wrong password!"), ("nobody@example.org", PASSWORD)]
)
def test_login_failure_has_one_message(client, campaigner, email, password):
    response = login(client, email, password)
    assert response.status_code == 401
    assert "horen niet bij elkaar" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "target", ["//evil.example", "\\\\\\evil", "https://evil.example/", "/\\evil.example"]
)
def test_next_accepts_only_local_paths(client, campaigner, target):
    response = login(client, "campaigner@example.org", PASSWORD, next_url=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/studio/"


def test_a_cookie_copied_before_logout_opens_nothing_afterwards(app, client, campaigner):
    petition = factories.petition(slug="uitgelogd")
    export = f"/studio/petitions/{petition.id}/signatures.csv"
    login(client, "campaigner@example.org", PASSWORD)
    copied = client.get_cookie("session").value
    assert client.get("/studio/").status_code == 200 and client.get(export).status_code == 200
    assert post(client, "/studio/logout").status_code == 303
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/studio/").status_code == 302
    assert thief.get(export).status_code == 302


def test_the_csrf_token_changes_at_login(app, client, campaigner):
    raw = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token")
    before = raw.loads(csrf_token(client, "/studio/login"))
    login(client, "campaigner@example.org", PASSWORD)
    after = raw.loads(csrf_token(client, "/studio/password"))
    assert before != after


def test_logout_clears_a_remember_cookie(client, campaigner):
    """Flask-Login's cookie hook runs on the studio's answers (not app-wide: see campaign/__init__.py)."""
    login(client, "campaigner@example.org", PASSWORD)
    client.set_cookie("remember_token", "left-from-an-earlier-login")
    response = post(client, "/studio/logout")
    assert response.status_code == 303
    cleared = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    assert cleared and "Expires=Thu, 01 Jan 1970" in cleared[0]
