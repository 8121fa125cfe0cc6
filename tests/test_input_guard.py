"""NUL, control and bidi characters are refused at the edge with a 4xx in the user's language, on every
route and form (URL path, query, form fields, JSON); PostgreSQL used to answer NUL with a 500."""

import pytest

from campaign.extensions import db
from campaign.models import Signature
from tests import factories
from tests.conftest import csrf_token
from tests.helpers import sign

URL_MESSAGE = "onzichtbare stuurtekens die we niet kunnen gebruiken"
FORM_MESSAGE = "stuur- of richtingstekens die we niet kunnen gebruiken"


@pytest.mark.parametrize(
    "path",
    [
        "/petitions/test-petitie%00",
        "/petitions/test%00petitie/count.json",
        "/signatures/confirm/abc%00def",
        "/signatures/abc%00def",
        "/themes/techno%00logie",
        "/?lang=n%00l",
        "/petitions/test-petitie?x=%07",
        "/petitions/test-petitie?naam=%E2%80%AEtxt.exe",
        "/studio/login?next=/studio/%0d%0aSet-Cookie:x",
    ],
)
def test_control_characters_in_a_url_are_refused(app, client, path):
    factories.petition()
    response = client.get(path)
    assert response.status_code == 400
    assert URL_MESSAGE in response.get_data(as_text=True)


def test_the_message_is_in_the_users_language(app, client):
    from campaign.i18n import LANG_COOKIE

    client.set_cookie(LANG_COOKIE, "en")
    response = client.get("/themes/x%00")
    assert response.status_code == 400 and "invisible control characters" in response.get_data(as_text=True)


def test_nul_in_a_sign_form_field_stores_nothing_and_shows_the_form_again_cleaned(app, client):
    factories.petition()
    response = sign(client, "test-petitie", name="Anna\x00 de\x07 Vries", postcode="3511\x1bAB")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and FORM_MESSAGE in page
    assert 'value="Anna de Vries"' in page  # the input kept, without the characters, ready to send
    assert db.session.execute(db.select(Signature)).scalars().all() == []


@pytest.mark.parametrize(
    "text", ["Stop hiermee\x00", "bel\x07", "omgekeerd \u202eeteb", "isolaat \u2067x\u2069"]
)
def test_unusable_characters_in_the_personal_message_are_refused(app, client, text):
    factories.petition()
    response = sign(client, "test-petitie", message=text)
    assert response.status_code == 400 and FORM_MESSAGE in response.get_data(as_text=True)
    assert db.session.execute(db.select(Signature)).scalars().all() == []


def test_tabs_and_newlines_are_fine_in_text(app, client):
    factories.petition()
    assert sign(client, "test-petitie", message="Regel een\r\nRegel\ttwee").status_code == 303
    assert db.session.execute(db.select(Signature.name)).scalar() == "Anna de Vries"


def test_nul_in_the_studio_login_is_refused(app, client):
    token = csrf_token(client, "/studio/login")
    response = client.post(
        "/studio/login", data={"email": "admin\x00@example.org", "password": "x", "csrf_token": token}
    )
    assert response.status_code == 400 and FORM_MESSAGE in response.get_data(as_text=True)


def test_nul_in_a_json_body_is_refused_as_json(app, client):
    response = client.post("/metrics.json", json={"filters": [{"naam": "a\u0000b"}]})
    assert response.status_code == 400
    assert response.get_json()["field"] == "naam" and FORM_MESSAGE in response.get_json()["error"]
