"""Words and figures the studio shows: sources per signature (signing with ?bron=/utm_source, the
dashboard and the export), the studio home, Markdown as readable text in mail, counts through ngettext,
and the audit log in words."""

import pytest

from campaign.extensions import db
from campaign.models import Signature
from campaign.petitions.plaintext import markdown_to_text
from campaign.signing.sources import clean_source
from tests import factories
from tests.delivery_helpers import confirmed, petition_with_targets
from tests.helpers import sign
from tests.studio_support import logged_in, post


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("Nieuwsbrief", "nieuwsbrief"),
        ("  instagram_story ", "instagram_story"),
        ("<script>alert(1)</script>", "script-alert-1-script"),
        ("a" * 100, "a" * 64),
        ("", ""),
        (None, ""),
    ],
)
def test_a_source_is_kept_short_and_plain(raw, clean):
    assert clean_source(raw) == clean


def test_the_source_of_the_link_reaches_the_signature_the_dashboard_and_the_export(app, client):
    petition = factories.petition()
    page = client.get(f"/petitions/{petition.slug}?bron=Nieuwsbrief").get_data(as_text=True)
    assert 'name="source" type="hidden" value="nieuwsbrief"' in page
    sign(client, petition.slug, email="a@example.nl", source="nieuwsbrief")
    sign(client, petition.slug, email="b@example.nl", source="x" * 200)
    sign(client, petition.slug, email="c@example.nl")
    sources = sorted(s.source for s in db.session.execute(db.select(Signature)).scalars())
    assert sources == ["", "nieuwsbrief", "x" * 64]
    for signature in db.session.execute(db.select(Signature)).scalars():
        signature.status = "confirmed"
    db.session.commit()
    campaigner = logged_in(app, "campaigner")
    dashboard = campaigner.get(f"/studio/petitions/{petition.id}").get_data(as_text=True)
    assert "<td>nieuwsbrief</td>" in dashboard and "(geen bron)" in dashboard
    export = campaigner.get(f"/studio/petitions/{petition.id}/signatures.csv").get_data(as_text=True)
    assert export.splitlines()[0].endswith(",bron") and any(
        line.endswith(",nieuwsbrief") for line in export.splitlines()
    )


def test_utm_source_counts_when_there_is_no_bron(app, client):
    petition = factories.petition()
    page = client.get(f"/petitions/{petition.slug}?utm_source=Mastodon").get_data(as_text=True)
    assert 'value="mastodon"' in page


def test_markdown_reads_as_text():
    text = markdown_to_text(
        "## Waarom nu?\n\nWij vragen een **verbod**. Lees [het rapport](https://example.org/r).\n\n"
        "- een\n- twee\n\n1. eerst\n2. dan\n\n> citaat"
    )
    assert text == (
        "Waarom nu?\n==========\n\nWij vragen een verbod. Lees het rapport (https://example.org/r).\n\n"
        "- een\n- twee\n\n1. eerst\n2. dan\n\n> citaat\n"
    )


def test_letters_and_hand_overs_read_well_in_plain_text_and_say_one_signature(app, run_jobs, mailbox):
    from campaign.models.base import utcnow
    from campaign.petitions import close_petition

    petition, _targets = petition_with_targets(n_targets=1, handover=True, letters=False)
    petition.body = "## Waarom nu?\n\nEen **verbod** op gezichtsherkenning."
    db.session.commit()
    confirmed(petition)
    close_petition(petition, None, utcnow())
    db.session.commit()
    run_jobs()
    [message] = [m for m in mailbox.wait_for(1) if "Overhandiging" in m["Subject"]]
    assert message["Subject"].endswith(": 1 handtekening")
    text = message.get_body(("plain",)).get_content()
    assert "ondertekend door 1 persoon" in text
    assert "Waarom nu?" in text and "**" not in text and "##" not in text


def test_the_studio_home_shows_what_needs_the_campaigner(app):
    from datetime import timedelta

    from campaign.models import Delivery
    from campaign.models.base import utcnow

    closing = factories.petition(slug="sluit-snel", title="Sluit snel")
    closing.closes_at = utcnow() + timedelta(days=2)
    other, (target, _second) = petition_with_targets(slug="met-fouten")
    db.session.add(
        Delivery(kind="letter", key="x", petition_id=other.id, target_id=target.id, status="failed")
    )
    flagged = confirmed(closing, email="bot@example.nl")
    flagged.flag = "ip_burst"
    db.session.commit()
    home = logged_in(app, "viewer").get("/studio/").get_data(as_text=True)
    assert "1 verdachte handtekening wacht op uw oordeel." in home
    assert "1 bezorging aan een doelwit is mislukt." in home
    assert "Sluit snel</a>: sluit op" in home
    assert 'class="spark-bar"' in home and "Open petities" in home


def test_the_audit_log_reads_in_words(app):
    admin = logged_in(app, "admin")
    campaigner = logged_in(app, "campaigner")
    post(
        campaigner, "/studio/targets/new", {"name": "Minister X", "email": "x@example.org", "language": "nl"}
    )
    page = admin.get("/studio/audit").get_data(as_text=True)
    assert "Doelwit toegevoegd" in page and "Doelwit: Minister X" in page and "Ingelogd" in page
    english = admin.get("/studio/audit?lang=en").get_data(as_text=True)
    assert "Target added" in english or "Doelwit toegevoegd" in english
