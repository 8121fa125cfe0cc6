"""The sign form's rules read straight from the post (campaign.web.public.sign_post): a valid post is
signed without building the WTForms form, and the form shown again says what the rules say."""

import pytest
from werkzeug.datastructures import MultiDict

from campaign.extensions import db
from campaign.models import Signature
from campaign.web.public import forms
from campaign.web.public.sign_post import read_sign_post
from tests import factories
from tests.conftest import csrf_token
from tests.helpers import sign

VALID = {
    "name": " Anna de Vries ",
    "email": " Anna@Example.nl ",
    "postcode": " 3511ab ",
    "country": "NL",
    "consent": "y",
}

# (what is posted, the fields that have something wrong, in the form's order)
CASES = [
    ({}, ["name", "email", "postcode", "consent"]),
    ({**VALID, "email": "   "}, ["email"]),  # sent, but only spaces: invalid, not missing
    ({**VALID, "consent": "false"}, ["consent"]),  # what an unticked box may post
    ({key: value for key, value in VALID.items() if key != "country"}, []),  # no country: NL
    ({**VALID, "country": ""}, ["country"]),  # "" is no country
    ({**VALID, "country": "DE", "postcode": ""}, []),
    ({**VALID, "name": "A\u202eB"}, ["name"]),
    ({**VALID, "name": "Zoë\u200d"}, []),  # a joiner is part of how some names are written
    ({**VALID, "name": "x" * 101, "message": "y" * 1001, "website": "spam"}, ["name", "message", "website"]),
    ({**VALID, "email": "iemand@mailinator.com"}, ["email"]),
]


@pytest.mark.parametrize(("posted", "wrong"), CASES)
def test_the_form_reports_what_the_rules_find(app, posted, wrong):
    with app.test_request_context(method="POST", data=posted):
        post = read_sign_post(MultiDict(posted))
        form = forms.SignForm(formdata=MultiDict(posted), meta={"csrf": False})
        assert form.validate() is (not wrong)
        assert list(post.errors) == wrong
        assert {name: [str(m) for m in found] for name, found in form.errors.items()} == {
            name: [str(m) for m in found] for name, found in post.errors.items()
        }


def test_a_spaces_only_address_is_invalid_and_a_missing_one_is_asked_for(app):
    with app.test_request_context():
        assert [str(m) for m in read_sign_post({**VALID, "email": "  "}).errors["email"]] == [
            "Dit is geen geldig e-mailadres."
        ]
        assert [str(m) for m in read_sign_post({**VALID, "email": ""}).errors["email"]] == [
            "Vul uw e-mailadres in."
        ]


def test_the_post_is_cleaned_as_the_form_shows_it(app):
    with app.test_request_context():
        post = read_sign_post({**VALID, "source": " Nieuwsbrief<script> ", "newsletter": "y"})
    assert (post.name, post.email, post.postcode, post.source) == (
        "Anna de Vries",
        "Anna@Example.nl",
        "3511AB",
        "nieuwsbrief-script",
    )
    assert post.newsletter and post.consent and not post.reply_to_me


def test_a_valid_post_is_signed_without_building_the_form(app, client, monkeypatch):
    factories.petition()
    token = csrf_token(client, "/petitions/test-petitie")  # the page builds the form, to show it

    def not_built(*args, **kwargs):
        raise AssertionError("the sign form was built for a valid post")

    monkeypatch.setattr(forms.SignForm, "__init__", not_built)
    answer = sign(client, "test-petitie", email="bert@example.nl", csrf_token=token)
    assert answer.status_code == 303
    assert db.session.query(Signature).filter_by(email="bert@example.nl").count() == 1


def test_a_post_with_mistakes_shows_the_form_with_each_message(app, client):
    factories.petition()
    answer = sign(client, "test-petitie", email="   ", consent=None, postcode="12")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "Dit is geen geldig e-mailadres." in page
    assert "Dit is geen Nederlandse postcode." in page
    assert "Geef toestemming om uw handtekening te verwerken." in page
    assert 'value="12"' in page  # what was typed stays
    assert db.session.query(Signature).count() == 0
