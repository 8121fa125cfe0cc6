"""A supporter mail rendered once per petition and language, then completed per person, is the same
mail as one rendered for that person alone: same subject, text and HTML, escaping included."""

import re
from types import SimpleNamespace

import pytest

from campaign.delivery.prepare import RunCache
from campaign.extensions import db
from campaign.mail import PersonalOnly, public_url, render_message
from campaign.models import Signature, SupporterMail
from campaign.models.base import utcnow
from campaign.signing import SignRequest, sign_petition
from campaign.signing.names import shown_name
from campaign.signing.outbox import _message, translated_title
from campaign.signing.personal_link import personal_token
from tests import factories

# The second is shown as no name at all (campaign.signing.names): the mail greets "ondertekenaar".
NAMES = ["Anne <b>&amp; 'Bob\"", "www.example.com", "Zoë Ĳsselmeer", "Kees"]


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


# The personal link carries the second it was signed (itsdangerous): the same link a second later
# differs there, so the comparison puts one stand-in in for it.
PERSONAL_LINK = re.compile(r"/signatures/(?!confirm/)[^?\s\"<]+")


def _parts(message):
    body, html = (PERSONAL_LINK.sub("/signatures/LINK", part) for part in (message.body, message.html))
    return message.subject, body, html, message.recipients, message.extra_headers


def _rendered_alone(row, cache):
    """The mail as render_message makes it for this one supporter (what outbox sent before)."""
    petition = cache.petition(row.petition_id)
    template = "confirm" if row.mail_due == SupporterMail.CONFIRM else "already_signed"
    return render_message(
        template,
        row.locale,
        [row.email],
        signature=SimpleNamespace(name=shown_name(row.name), email=row.email, locale=row.locale),
        petition=petition,
        petition_title=translated_title(petition, row.locale),
        petition_url=cache.petition_url(petition),
        confirm_url=public_url("public.confirm", token=row.token, lang=row.locale),
        manage_url=public_url("public.supporter", token=personal_token(row), lang=row.locale),
    )


@pytest.mark.parametrize("kind", [SupporterMail.CONFIRM, SupporterMail.ALREADY_SIGNED])
def test_a_mail_rendered_for_many_is_the_mail_rendered_for_one(app, kind):
    petition = factories.petition(title='Stop "dit" & <dat>')
    locales = ["nl"] * len(NAMES) + ["en"] * len(NAMES)
    signatures = [
        _sign(petition, name, f"persoon{n}@example.nl", locale)
        for n, (name, locale) in enumerate(zip(NAMES * 2, locales, strict=True))
    ]
    cache = RunCache()
    with app.test_request_context():
        for signature in signatures:
            row = SimpleNamespace(
                id=signature.id,
                petition_id=petition.id,
                mail_due=kind,
                name=signature.name,
                email=signature.email,
                locale=signature.locale,
                token=signature.token,
            )
            batched = _message(row, cache)
            assert _parts(batched) == _parts(_rendered_alone(row, cache))
            link = personal_token(row).rsplit(".", 2)[0]  # each supporter's own link, in both parts
            assert link in batched.body and link in batched.html
            if not shown_name(signature.name):
                assert "ondertekenaar" in batched.body or "signatory" in batched.body.lower()
        assert len(cache.rendered) == 4  # per language, with a name and without, for the whole run
        html = _message(SimpleNamespace(**{**vars(row), "name": NAMES[0]}), RunCache()).html
    assert "Anne &lt;b&gt;&amp;amp; &#39;Bob&#34;" in html  # the name escaped, as Jinja escapes it
    assert "value7c3e9b" not in html


def test_a_template_asking_for_a_personal_value_it_was_not_given_fails_loudly(app):
    stand_in = PersonalOnly(name="personalsignaturenamevalue7c3e9b")
    template = app.jinja_env.from_string("<p>{{ signature.name }} {{ signature.email }}</p>")
    with pytest.raises(RuntimeError, match="'email'"):
        template.render(signature=stand_in)  # not an empty string where the address should be
    assert app.jinja_env.from_string("{{ signature.name }}").render(signature=stand_in) == stand_in.name
