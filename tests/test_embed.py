"""The embed: framed only by EMBED_ORIGINS, signing without any cookie, the same rules as the form."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from campaign.extensions import db
from campaign.models import Signature
from tests import factories

PARTNER = "https://partner.example.nl"


@pytest.fixture
def config_overrides():
    return {"EMBED_ORIGINS": (PARTNER,)}


def embed_token(html: str) -> str:
    match = re.search(r'name="embed_token"[^>]*value="([^"]+)"', html)
    assert match, html
    return match.group(1)


def fields(token, **extra):
    data = {
        "embed_token": token,
        "name": "Anna de Vries",
        "email": "anna@example.nl",
        "postcode": "3511 AB",
        "country": "NL",
        "consent": "y",
    }
    data.update(extra)
    return data


def test_only_listed_origins_may_frame_the_embed(client, app):
    factories.petition()
    response = client.get("/petitions/test-petitie/embed")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {PARTNER}" in csp and "unsafe-inline" not in csp
    assert "X-Frame-Options" not in response.headers
    assert "Set-Cookie" not in response.headers  # nothing the frame would have to keep
    # The ordinary petition page stays unframeable.
    page = client.get("/petitions/test-petitie")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "config_overrides", [{"EMBED_ORIGINS": ("https://ok.example", "https://x.example; script-src *")}]
)
def test_a_malformed_origin_setting_adds_no_directive(client, app):
    factories.petition()
    csp = client.get("/petitions/test-petitie/embed").headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://ok.example" in csp and "script-src *" not in csp


def test_signing_in_the_frame_needs_no_cookie(app, mailbox, run_jobs):
    factories.petition()
    client = app.test_client(use_cookies=False)  # a third-party frame whose cookies are blocked
    html = client.get(f"/petitions/test-petitie/embed?parent={PARTNER}").get_data(as_text=True)
    assert f'data-parent-origin="{PARTNER}"' in html
    response = client.post(
        f"/petitions/test-petitie/embed/sign?parent={PARTNER}",
        data=fields(embed_token(html)),
        headers={"Origin": "http://localhost"},
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    location = urlsplit(response.headers["Location"])
    assert location.path == "/petitions/test-petitie/embed"
    assert parse_qs(location.query) == {"signed": ["1"], "parent": [PARTNER]}
    run_jobs()
    assert len(mailbox.wait_for(1)) == 1
    assert db.session.execute(db.select(Signature.name)).scalar_one() == "Anna de Vries"
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "bevestig uw handtekening" in done.lower()


def test_an_unlisted_parent_gets_no_messages(client, app):
    factories.petition()
    html = client.get("/petitions/test-petitie/embed?parent=https://evil.example").get_data(as_text=True)
    assert "data-parent-origin" not in html


@pytest.mark.parametrize(
    "token, origin",
    [
        ("", None),  # no token
        ("forged.token.value", None),
        (None, "https://evil.example"),  # a valid token, posted by another site's page
    ],
)
def test_forged_posts_are_refused_and_store_nothing(app, token, origin):
    factories.petition()
    client = app.test_client(use_cookies=False)
    real = embed_token(client.get("/petitions/test-petitie/embed").get_data(as_text=True))
    headers = {"Origin": origin} if origin else {}
    response = client.post(
        "/petitions/test-petitie/embed/sign", data=fields(real if token is None else token), headers=headers
    )
    assert response.status_code in (400, 403)
    assert db.session.execute(db.select(Signature)).first() is None
    if response.status_code == 400:
        html = response.get_data(as_text=True)
        assert "Uw formulier was verlopen" in html and 'value="Anna de Vries"' in html  # input kept


def test_a_token_of_another_petition_does_not_fit(app):
    factories.petition()
    factories.petition(slug="andere")
    client = app.test_client(use_cookies=False)
    other = embed_token(client.get("/petitions/andere/embed").get_data(as_text=True))
    assert client.post("/petitions/test-petitie/embed/sign", data=fields(other)).status_code == 400


def test_the_embed_keeps_the_forms_rules(app):
    factories.petition()
    client = app.test_client(use_cookies=False)
    token = embed_token(client.get("/petitions/test-petitie/embed").get_data(as_text=True))
    response = client.post(
        "/petitions/test-petitie/embed/sign", data=fields(token, email="geen-adres", consent="")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Dit is geen geldig e-mailadres." in html and "Geef toestemming" in html
    closed = factories.petition(slug="dicht", status="closed")
    token = embed_token(client.get("/petitions/test-petitie/embed").get_data(as_text=True))
    assert client.post(f"/petitions/{closed.slug}/embed/sign", data=fields(token)).status_code in (400, 410)
    assert client.get("/petitions/bestaat-niet/embed").status_code == 404


def test_the_studio_shows_the_snippet(app):
    from tests.studio_support import logged_in

    petition = factories.petition()
    client = logged_in(app, "campaigner")
    html = client.get(f"/studio/petitions/{petition.id}").get_data(as_text=True)
    assert "data-petitie=&#34;https://petities.test.example/petitions/test-petitie/embed&#34;" in html
    assert "/static/embed.js" in html and PARTNER in html
