"""campaign.mailwire writes a message's bytes directly: the very bytes the email package writes for
it (campaign.mail.WIRE_POLICY), over subjects, names, addresses and bodies that make the email
package encode, fold or re-end lines; and it declines the shapes it does not write."""

import random
import re
import smtplib
import time
from pathlib import Path

import flask_mail
import pytest

from campaign.mail import Message
from campaign.mail_logo import LOGO_CID
from campaign.mailwire import WIRE_POLICY, address, envelope, header_line, wire_bytes

BOUNDARY = re.compile(rb"=_[0-9a-f]{32}")
LOGO = Path(__file__).resolve().parent.parent / "static" / "img" / "logo-mail.png"

SUBJECTS = [
    "Bevestig je handtekening",
    "Bevestig je handtekening: Stop de ‘uitzetting’ nu",
    "Een heel lange onderwerpregel die ruim over de achtenzeventig tekens gaat en dus gevouwen wordt",
    "Twee  spaties en een\ttab",
    " begint met een spatie",
    "Підтвердіть свій підпис під петицією про права людини в Нідерландах сьогодні",
    "أكد توقيعك",
    "x" * 120,
    "",
]
ADDRESSES = [
    "a@example.nl",
    "voor.naam+tag@sub.example.org",
    "o'brien@example.ie",
    "jorg@exämple.nl",  # IDN domain
    ("Minister van Justitie", "minister@example.org"),
    ("Zoë Ĳsselmeer via Amnesty", "petities@example.org"),
    ('Anne, Bob & "co"', "anne@example.org"),
    ("", "leeg@example.org"),
    "Naam Achternaam <naam@example.org>",
    "a..b@example.nl",
    ".a@example.nl",
]
BODIES = [
    "Beste Jörg,\n\nKlik hier.\n",
    "Plain ASCII only\r\nwith CRLF\rand CR\n",
    "From the start, a line that mbox would mangle\nFrom here too\n",
    "geen regeleinde aan het eind",
    "",
    "a" * 1200 + "\n" + "lange regel ☃" * 100,
]


def _normalised(data: bytes) -> bytes:
    """Boundaries are random: number them in the order they appear."""
    seen: dict[bytes, bytes] = {}
    return BOUNDARY.sub(lambda m: seen.setdefault(m.group(), b"=_boundary%d" % len(seen)), data)


def _email_package_bytes(message: Message) -> bytes:
    return message._message().as_bytes(policy=WIRE_POLICY)


def _messages(seed: int, n: int):
    chance = random.Random(seed)
    for _ in range(n):
        html = chance.choice([None, "<p>Beste <b>Jörg</b></p>\n", "<p>ascii</p>"])
        message = Message(
            subject=chance.choice(SUBJECTS),
            recipients=[chance.choice(ADDRESSES) for _ in range(chance.choice([1, 1, 2]))],
            body=chance.choice(BODIES),
            html=html,
            sender=chance.choice([None, ("Anna via Amnesty", "petities@example.org"), "x@example.org"]),
            reply_to=chance.choice([None, "anna@example.nl", ("Anna", "anna@example.nl")]),
            extra_headers=chance.choice(
                [
                    None,
                    {"Content-Language": "nl", "Auto-Submitted": "auto-generated"},
                    {"List-Unsubscribe": "<https://example.org/" + "u" * 90 + ">"},
                ]
            ),
        )
        message.date = time.time() - chance.randrange(10**8)
        if html and chance.random() < 0.5:  # the logo inline, as with_logo adds it
            message.inline_images = ((LOGO_CID, LOGO.read_bytes()),)
        yield message


def test_the_written_bytes_are_the_email_packages_bytes(app):
    with app.app_context():
        compared = 0
        for message in _messages(seed=17, n=400):
            written = wire_bytes(message)
            assert written is not None
            assert _normalised(written) == _normalised(_email_package_bytes(message)), message.subject
            compared += 1
    assert compared == 400


def test_an_address_is_what_flask_mail_makes_of_it():
    """Names of every length around one encoded word's room, in several scripts, with the characters
    that Q-encoding escapes or that would need quotes: the same text as sanitize_address."""
    chance = random.Random(2026)
    letters = "abcXYZ09 .,;:<>@\"'()_=?!*+-/ëĳзيå☃\t"
    names = ["", "Anna", "Anna via Amnesty", "Zoë Ĳsselmeer via Amnesty International Nederland"]
    names += [
        "".join(chance.choice(letters) for _ in range(length)) for length in range(1, 90) for _ in range(6)
    ]
    for name in names:
        for plain in ("petities@example.org", "a.b+c@sub.example.nl"):
            assert address((name, plain)) == flask_mail.sanitize_address((name, plain)), name
    assert address(("Anna", "jorg@exämple.nl")) == flask_mail.sanitize_address(("Anna", "jorg@exämple.nl"))


def test_the_envelope_address_is_the_one_smtplib_would_send():
    for value in [*ADDRESSES, ("Zoë", "z@example.org"), ("Zoë", "z@exämple.org"), "Zoë <z@example.org>"]:
        assert f"<{envelope(value)}>" == smtplib.quoteaddr(flask_mail.sanitize_address(value)), value


def test_a_named_sender_is_parsed_once_for_every_mail_it_sends(monkeypatch):
    parsed = []
    real = flask_mail.sanitize_address
    monkeypatch.setattr(flask_mail, "sanitize_address", lambda value: parsed.append(value) or real(value))
    sender = "Petities van de afdeling <petities-once@example.org>"
    assert {envelope(sender) for _ in range(50)} == {"petities-once@example.org"}
    assert parsed == [sender]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("Date", "Wed, 02 Dec 2026 05:58:45 +0000"),
        ("Message-ID", "<179619112572.8064.13947989673306600387@localhost>"),
        ("Message-ID", "<179619112572.8064.13947989673306600387@" + "h" * 40 + ".example.org>"),
        ("To", "a@example.nl"),
        ("Subject", "ends with a space "),
        ("Subject", "a" * 70),
        ("Subject", "a" * 71),
    ],
)
def test_a_header_line_is_folded_as_the_policy_folds_it(name, value):
    assert header_line(name, value) == WIRE_POLICY.fold(name, value)


def test_shapes_it_does_not_write_go_to_the_email_package(app):
    with app.app_context():
        with_attachment = Message(subject="s", recipients=["a@example.nl"], body="b")
        with_attachment.attach("a.csv", "text/csv", b"a,b\r\n")
        with_cc = Message(subject="s", recipients=["a@example.nl"], body="b", cc=["c@example.nl"])
        latin = Message(subject="s", recipients=["a@example.nl"], body="b", charset="iso-8859-1")
        for message in (with_attachment, with_cc, latin):
            message.date = time.time()
            assert wire_bytes(message) is None
            assert b"Subject: s" in message.as_bytes()  # still written, the slow way
