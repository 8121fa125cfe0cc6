"""A supporter mail rendered once per petition and language, then completed per person, is the same
mail as one rendered for that person alone: same subject, text and HTML, escaping included."""

import pytest

from campaign.extensions import db
from campaign.mail import PersonalOnly
from campaign.models import Signature, SupporterMail
from campaign.models.base import utcnow
from campaign.signing import SignRequest, sign_petition
from tests import factories
from workers.supporter_mail import _message

NAMES = ["Anne <b>&amp; 'Bob\"", "Zoë Ĳsselmeer", "Kees"]


def _sign(petition, name, email, locale):
    sign_petition(
        petition,
        SignRequest(
            name=name,
            email=email,
            postcode="3511 AB",
            country="NL",
            newsletter=False,
            consent_version="v1",
            locale=locale,
        ),
        utcnow(),
    )
    db.session.commit()
    return db.session.execute(db.select(Signature).where(Signature.email == email)).scalar_one()


def _parts(message):
    return message.subject, message.body, message.html, message.recipients


@pytest.mark.parametrize("kind", [SupporterMail.CONFIRM, SupporterMail.ALREADY_SIGNED])
def test_a_mail_rendered_for_many_is_the_mail_rendered_for_one(app, kind):
    petition = factories.petition(title='Stop "dit" & <dat>')
    signatures = [
        _sign(petition, name, f"persoon{n}@example.nl", locale)
        for n, (name, locale) in enumerate(zip(NAMES * 2, ["nl", "nl", "nl", "en", "en", "en"], strict=True))
    ]
    with app.test_request_context():
        rendered, urls = {}, {}
        for signature in signatures:
            alone = _message(signature, kind)
            batched = _message(signature, kind, urls, rendered)
            assert _parts(batched) == _parts(alone)
            assert signature.token in batched.body and signature.token in batched.html
    assert len(rendered) == 2  # once per language for the whole batch
    html = _message(signatures[0], kind, {}, {}).html
    assert "Anne &lt;b&gt;&amp;amp; &#39;Bob&#34;" in html  # the name escaped, as Jinja escapes it
    assert "personal" not in html and "value7c3e9b" not in html


def test_a_template_asking_for_a_personal_value_it_was_not_given_fails_loudly(app):
    stand_in = PersonalOnly(name="personalsignaturenamevalue7c3e9b")
    template = app.jinja_env.from_string("<p>{{ signature.name }} {{ signature.email }}</p>")
    with pytest.raises(RuntimeError, match="'email'"):
        template.render(signature=stand_in)  # not an empty string where the address should be
    assert app.jinja_env.from_string("{{ signature.name }}").render(signature=stand_in) == stand_in.name
