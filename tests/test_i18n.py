"""Dutch by default, English on request: /taal/en sets a cookie, and the English catalogue is complete."""

from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests import factories
from tests.helpers import sign

TRANSLATIONS = Path(__file__).resolve().parent.parent / "campaign" / "translations"
ENGLISH_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"


def read_catalogue():
    with ENGLISH_PO.open("rb") as handle:
        return read_po(handle, locale="en")


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogue():
    """`make install` compiles the catalogue (the .mo is not in git); do it here when pytest runs on its own."""
    mo = ENGLISH_PO.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < ENGLISH_PO.stat().st_mtime:
        with mo.open("wb") as handle:
            write_mo(handle, read_catalogue())
    return mo


def choose_english(client):
    response = client.get("/taal/en")
    assert response.status_code == 303
    assert "lang=en" in response.headers["Set-Cookie"]
    return response


def test_english_on_request(app, client):
    petition = factories.petition()
    response = choose_english(client)
    assert response.headers["Location"].endswith("/")

    home = client.get("/").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in home
    assert "Your signature for human rights" in home
    assert "This site is made and run by" in home
    assert "Uw handtekening voor mensenrechten" not in home

    page = client.get(f"/petitions/{petition.slug}").get_data(as_text=True)
    assert "Sign the petition</button>" in page
    assert "We will send you an email to confirm your signature." in page
    assert "Teken de petitie" not in page


def test_sign_form_errors_in_english(app, client):
    petition = factories.petition()
    choose_english(client)
    response = sign(client, petition.slug, name="", email="not-an-address", postcode="12", consent=None)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Please check the form:" in html
    assert "Enter your name." in html
    assert "This is not a valid email address." in html
    assert "This is not a Dutch postcode. Use four digits and two letters, for example 3511 AB." in html
    assert "Give your consent for us to process your signature." in html
    assert "Vul uw naam in." not in html


def test_dutch_stays_the_default(app, client):
    petition = factories.petition()
    home = client.get("/").get_data(as_text=True)
    assert '<html lang="nl" dir="ltr">' in home
    assert "Uw handtekening voor mensenrechten" in home

    response = sign(client, petition.slug, name="", consent=None)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Teken de petitie</button>" in html
    assert "Vul uw naam in." in html
    assert "Enter your name." not in html


def test_back_to_dutch(app, client):
    choose_english(client)
    assert client.get("/taal/nl").status_code == 303
    assert "Uw handtekening voor mensenrechten" in client.get("/").get_data(as_text=True)


def test_every_message_is_translated():
    """Run `make translations-update` and translate what is new: nothing may stay empty or fuzzy."""
    catalogue = read_catalogue()
    untranslated = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        if message.fuzzy or not all(strings):
            untranslated.append(message.id)
    assert not untranslated, (
        f"{len(untranslated)} messages without a (checked) English translation: {untranslated[:10]}"
    )
    assert not catalogue.fuzzy, "the catalogue header is marked fuzzy: pybabel compile would skip it"
    assert len(catalogue) > 500
