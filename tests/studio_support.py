"""Shared steps for the studio tests: accounts per role and logging in as a browser would."""

from campaign.accounts import create_account
from campaign.extensions import db
from tests.conftest import csrf_token

PASSWORD = "correct horse battery staple"


def account(role: str, email: str | None = None):
    created = create_account(email or f"{role}@example.org", PASSWORD, role)
    db.session.commit()
    return created


def login(client, email: str, password: str = PASSWORD):
    return client.post(
        "/studio/login",
        data={
            "email": email,
            "password": password,
            "csrf_token": csrf_token(client, "/studio/login"),
        },
    )


def logged_in(app, role: str, email: str | None = None):
    """A fresh client logged in as a new account with `role`."""
    client = app.test_client()
    response = login(client, account(role, email).email)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def post(client, url: str, data: dict | None = None, token_page: str = "/studio/", **kwargs):  # noqa: S107 - a page, not a secret
    """POST with a CSRF token of this client's session (read from a studio page)."""
    payload = {"csrf_token": csrf_token(client, token_page)}
    payload.update(data or {})
    return client.post(url, data=payload, **kwargs)
