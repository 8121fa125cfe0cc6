"""Accounts: Argon2id, throttled logins, password change, invitations, roles, the audit log."""

import re
import time

import pytest

from campaign import config as settings
from campaign.extensions import db
from campaign.models import Account, AuditEvent
from tests.studio_support import PASSWORD, account, logged_in, login, post


def actions() -> list[str]:
    return db.session.execute(db.select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()


def test_passwords_are_argon2id_at_or_above_the_owasp_minimum(app):
    stored = account("viewer").password_hash
    assert stored.startswith("$argon2id$")
    memory, time, threads = map(int, re.search(r"m=(\d+),t=(\d+),p=(\d+)", stored).groups())
    assert memory >= 19 * 1024 and time >= 2 and threads >= 1


def test_session_cookie_flags(app, client):
    account("viewer")
    response = login(client, "viewer@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert settings.load({"PUBLIC_URL": "https://petities.example"})["SESSION_COOKIE_SECURE"] is True


def test_repeated_failures_lock_the_account_whether_or_not_it_exists(app, client):
    account("campaigner")
    limit = app.config["LOGIN_FAILURES_PER_ACCOUNT"]
    for email in ("campaigner@example.org", "nobody@example.org"):
        for _ in range(limit):
            assert login(client, email, "wrong password!!").status_code == 401
        refused = login(client, email, PASSWORD if email.startswith("campaigner") else "x")
        assert refused.status_code == 429 and "Te veel mislukte pogingen" in refused.get_data(as_text=True)
    assert "account.login_refused" in actions() and "account.login" not in actions()


def test_a_good_login_forgives_earlier_account_failures(app, client):
    account("campaigner")
    limit = app.config["LOGIN_FAILURES_PER_ACCOUNT"]
    for _ in range(limit - 1):
        login(client, "campaigner@example.org", "wrong password!!")
    assert login(client, "campaigner@example.org").status_code == 303
    post(client, "/studio/logout")
    for _ in range(limit - 1):
        login(client, "campaigner@example.org", "wrong password!!")
    assert login(client, "campaigner@example.org").status_code == 303


def test_one_ip_trying_many_accounts_is_refused(app, client):
    app.config["LOGIN_FAILURES_PER_IP"] = 3
    account("viewer")
    for n in range(3):
        assert login(client, f"guess{n}@example.org", "wrong password!!").status_code == 401
    assert login(client, "viewer@example.org").status_code == 429
    other_ip = app.test_client()
    response = other_ip.post(
        "/studio/login",
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
        data={
            "email": "viewer@example.org",
            "password": PASSWORD,
            "csrf_token": _token(other_ip, {"REMOTE_ADDR": "192.0.2.7"}),
        },
    )
    assert response.status_code == 303


def _token(client, environ):
    from tests.conftest import CSRF_FIELD

    match = CSRF_FIELD.search(client.get("/studio/login", environ_base=environ).get_data(as_text=True))
    return match.group(1) or match.group(2)


def test_throttling_fails_open_and_fast_when_redis_is_down(app, client, monkeypatch):
    account("viewer")
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens there
    monkeypatch.delitem(app.extensions, "redis", raising=False)
    started = time.monotonic()
    assert login(client, "viewer@example.org", "wrong password!!").status_code == 401
    assert login(client, "viewer@example.org").status_code == 303
    assert time.monotonic() - started < 5  # no retry with backoff per login


def test_password_change_ends_other_sessions_and_keeps_this_one(app):
    here = logged_in(app, "campaigner")
    elsewhere = app.test_client()
    login(elsewhere, "campaigner@example.org")
    assert elsewhere.get("/studio/").status_code == 200

    wrong = post(here, "/studio/password", {"current": "not my password", "new": "a brand new passphrase"})
    assert wrong.status_code == 400 and "klopt niet" in wrong.get_data(as_text=True)
    short = post(here, "/studio/password", {"current": PASSWORD, "new": "kort"})
    assert short.status_code == 400 and "minstens 12" in short.get_data(as_text=True)

    assert (
        post(here, "/studio/password", {"current": PASSWORD, "new": "a brand new passphrase"}).status_code
        == 303
    )
    assert here.get("/studio/").status_code == 200
    assert elsewhere.get("/studio/").status_code == 302
    assert login(app.test_client(), "campaigner@example.org", "a brand new passphrase").status_code == 303
    assert "account.password_change" in actions()


def test_admin_invites_a_campaigner_who_sets_a_password_once(app, mailbox, run_jobs):
    admin = logged_in(app, "admin")
    response = post(
        admin,
        "/studio/accounts/new",
        {"email": "Nieuw@Example.org", "name": "Nieuw", "role": "campaigner", "password": ""},
    )
    assert response.status_code == 303
    run_jobs()
    [message] = mailbox.wait_for(1)
    assert message["To"] == "nieuw@example.org"
    link = re.search(r"https?://\S+/studio/invite/\S+", message.get_body(("plain",)).get_content()).group(0)
    path = link.split("petities.test.example", 1)[1]

    invitee = app.test_client()
    assert invitee.get(path).status_code == 200
    assert post(invitee, path, {"new": "kort"}, token_page=path).status_code == 400
    assert post(invitee, path, {"new": "mijn eigen lange wachtwoord"}, token_page=path).status_code == 303
    assert invitee.get(path).status_code == 404  # used once
    assert login(invitee, "nieuw@example.org", "mijn eigen lange wachtwoord").status_code == 303
    assert invitee.get("/studio/petitions/new").status_code == 200


def test_admin_creates_changes_and_deactivates_accounts(app):
    admin = logged_in(app, "admin")
    assert (
        post(
            admin,
            "/studio/accounts/new",
            {"email": "lezer@example.org", "role": "viewer", "password": PASSWORD},
        ).status_code
        == 303
    )
    duplicate = post(
        admin, "/studio/accounts/new", {"email": "lezer@example.org", "role": "viewer", "password": PASSWORD}
    )
    assert duplicate.status_code == 400 and "al een account" in duplicate.get_data(as_text=True)

    reader = app.test_client()
    assert login(reader, "lezer@example.org").status_code == 303
    assert reader.get("/studio/petitions/new").status_code == 403
    target = db.session.execute(db.select(Account).where(Account.email == "lezer@example.org")).scalar_one()
    assert (
        post(admin, f"/studio/accounts/{target.id}", {"role": "campaigner", "active": "y"}).status_code == 303
    )
    assert reader.get("/studio/petitions/new").status_code == 200
    assert post(admin, f"/studio/accounts/{target.id}", {"role": "campaigner"}).status_code == 303  # inactive
    assert reader.get("/studio/").status_code == 302  # the session ended at once
    assert login(app.test_client(), "lezer@example.org").status_code == 401


def test_the_last_admin_cannot_be_demoted(app):
    admin = logged_in(app, "admin")
    me = db.session.execute(db.select(Account).where(Account.email == "admin@example.org")).scalar_one()
    response = post(admin, f"/studio/accounts/{me.id}", {"role": "viewer", "active": "y"})
    assert response.status_code == 409 and "beheerder" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Account, me.id).role == "admin"


def test_the_audit_log_shows_who_did_what_to_admins_only(app):
    admin = logged_in(app, "admin")
    campaigner = logged_in(app, "campaigner")
    post(campaigner, "/studio/targets/new", {"name": "T", "email": "t@example.org", "language": "nl"})
    page = admin.get("/studio/audit").get_data(as_text=True)
    assert "account.login" in page and "target.create" in page and "campaigner@example.org" in page
    filtered = admin.get("/studio/audit?action=target.").get_data(as_text=True)
    assert "target.create" in filtered and "account.login</td>" not in filtered
    assert campaigner.get("/studio/audit").status_code == 403


@pytest.mark.parametrize("token", ["", "nonsense", "a" * 300])
def test_a_bad_invite_token_is_404(app, client, token):
    assert client.get(f"/studio/invite/{token}").status_code == 404
