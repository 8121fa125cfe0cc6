"""Every mail carries the organisation's identity: the logo inline (cid:), who sent it and why, how
to reach us; and machine-made mail says so (Auto-Submitted), every kind but a supporter's letter."""

from pathlib import Path

import pytest

from campaign.mail import PERSONAL_TEMPLATES, mail_headers
from campaign.mail_logo import LOGO_CID
from tests import factories
from tests.helpers import sign

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "email"
KINDS = sorted(path.name.removesuffix(".subject.txt") for path in TEMPLATES.glob("*.subject.txt"))


def test_there_are_mail_kinds_to_check():
    assert {"confirm", "already_signed", "update", "letter", "digest", "handover"} <= set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_mail_uses_the_layout_and_says_whether_a_machine_sent_it(kind):
    assert '{% extends "email/_layout.html" %}' in (TEMPLATES / f"{kind}.html").read_text()
    headers = mail_headers(kind, "nl")
    if kind in PERSONAL_TEMPLATES:  # a supporter's own letter to an official
        assert "Auto-Submitted" not in headers
    else:
        assert headers["Auto-Submitted"] == "auto-generated"


def test_the_confirmation_mail_shows_the_logo_inline_and_says_who_sent_it(app, client, mailbox, run_jobs):
    petition = factories.petition()
    sign(client, petition.slug, email="merk@example.nl")
    run_jobs()
    (message,) = mailbox.wait_for(1)
    assert message["Auto-Submitted"] == "auto-generated"
    related = next(part for part in message.walk() if part.get_content_type() == "multipart/related")
    html_part, logo = related.get_payload()
    assert html_part.get_content_type() == "text/html"
    html = html_part.get_content()
    assert f'src="cid:{LOGO_CID}"' in html
    assert logo.get_content_type() == "image/png" and logo["Content-ID"] == f"<{LOGO_CID}>"
    assert logo.get_content_disposition() == "inline"
    assert logo.get_payload(decode=True) == (Path(app.static_folder) / "img" / "logo-mail.png").read_bytes()
    assert app.config["ORG_NAME"] in html and f"mailto:{app.config['ORG_EMAIL']}" in html
    assert "omdat dit adres werd ingevuld bij het tekenen van een petitie" in html
    assert "http" not in logo.as_string()[:200]  # nothing to fetch
    plain = message.get_body(("plain",)).get_content()
    assert petition.title.replace("\xad", "") in plain.replace("\xad", "")
