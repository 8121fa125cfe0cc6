"""A letter rendered once per petition, target and reply choice, then completed per supporter (the
sender's run cache), is the letter rendered for that supporter alone: subject, text, HTML (escaping
included), sender and Reply-To, in each target's language."""

import itertools

from campaign.delivery.messages import Supporter, letter_message
from tests import factories
from tests.delivery_helpers import petition_with_targets

NAMES = ["Anne <b>&amp; 'Bob\"", "", "Zoë Ĳsselmeer", "www.example.com"]
MESSAGES = ["", 'Regel een\nRegel <twee> & "drie"', "Gewoon."]
PLACES = ["Utrecht", "", "Côte d’Ivoire"]


def _parts(message):
    return (
        message.subject,
        message.body,
        message.html,
        message.recipients,
        message.sender,
        message.reply_to,
        message.extra_headers,
    )


def test_a_letter_rendered_for_many_is_the_letter_rendered_for_one(app):
    petition, targets = petition_with_targets(n_targets=2)  # one Dutch, one English target
    petition.title = 'Stop "dit" & <dat>'
    rendered: dict = {}
    with app.test_request_context():
        for n, (name, text, place, reply, target) in enumerate(
            itertools.product(NAMES, MESSAGES, PLACES, (True, False), targets)
        ):
            supporter = Supporter(name, place, text, f"steun{n}@example.nl", reply)
            batched = letter_message(petition, target, supporter, "https://x.example/p", rendered=rendered)
            alone = letter_message(petition, target, supporter, "https://x.example/p")
            assert _parts(batched) == _parts(alone), (name, text, place, reply, target.language)
        html = letter_message(
            petition,
            targets[0],
            Supporter(NAMES[0], "", MESSAGES[1], "a@example.nl", False),
            rendered=rendered,
        ).html
    assert "Anne &lt;b&gt;&amp;amp; &#39;Bob&#34;" in html and "Regel &lt;twee&gt;" in html
    assert "value7c3e9b" not in html
    # Per target and reply choice, with and without each personal value: not per supporter.
    assert len(rendered) <= 2 * 2 * 2**3


def test_a_flag_given_as_personal_value_is_kept_as_it_is(app):
    factories.petition()
    from campaign.mail import PersonalOnly, render_personal

    with app.test_request_context():
        cache: dict = {}
        for flag in (True, False):
            message = render_personal(
                "letter",
                "nl",
                ["a@example.org"],
                cache=cache,
                cache_key=("flag", flag),
                shared={
                    "petition": factories.petition(slug=f"p-{flag}"),
                    "target": factories.target(email=f"t-{flag}@example.org"),
                    "petition_url": "https://x.example",
                },
                personal={"supporter": PersonalOnly(name="A", place="B", message="", reply_to_me=flag)},
            )
            replies = "rechtstreeks naar de ondertekenaar" in message.body
            assert replies is flag
