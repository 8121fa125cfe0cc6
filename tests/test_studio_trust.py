"""The studio asks before anything outward or irreversible, and lets a hand-over be cancelled inside
its undo window; petitions get their web address from the title, officials inline with delivery
defaults, and can be duplicated; erasing a person shows what it touches first."""

import re

import pytest

from campaign.delivery.settings import settings_for, update_settings
from campaign.extensions import db
from campaign.models import AuditEvent, Delivery, DeliveryStatus, Petition, Signature, Target
from campaign.petitions.slugs import slug_for, unique_slug
from tests import factories
from tests.delivery_helpers import confirmed
from tests.studio_support import logged_in, post


@pytest.fixture
def campaigner(app):
    return logged_in(app, "campaigner")


def with_handover(slug="overhandig"):
    petition = factories.petition(slug=slug)
    petition.targets = [
        factories.target(name="Minister A", email="a@example.org"),
        factories.target(name="Kamerlid B", email="b@example.org"),
    ]
    update_settings(petition, handover=True)
    db.session.commit()
    return petition


def test_closing_first_says_who_receives_what_then_waits_and_can_be_cancelled(
    app, campaigner, run_jobs, mailbox
):
    petition = with_handover()
    confirmed(petition)
    url = f"/studio/petitions/{petition.id}"
    dashboard = campaigner.get(url).get_data(as_text=True)
    assert (
        f'href="{url}/close"' in dashboard and f'action="{url}/close"' not in dashboard
    )  # a link, not a post

    page = campaigner.get(f"{url}/close").get_data(as_text=True)
    assert "Over 10 minuten" in page and "a@example.org" in page and "b@example.org" in page
    assert "volledige lijst" in page and "annuleren" in page and "heropenen" in page
    assert db.session.get(Petition, petition.id).status == "open"  # the page changed nothing

    assert post(campaigner, f"{url}/close", token_page=f"{url}/close").status_code == 303
    db.session.commit()  # a fresh read below (and no open read while the worker writes)
    rows = db.session.execute(db.select(Delivery).filter_by(kind="handover")).scalars().all()
    assert len(rows) == 2 and all(r.status == DeliveryStatus.QUEUED and r.undo_until for r in rows)
    run_jobs()
    assert mailbox.messages == []  # inside the window nothing leaves
    assert "Overhandiging annuleren" in campaigner.get(url).get_data(as_text=True)

    assert post(campaigner, f"{url}/deliveries/cancel", token_page=url).status_code == 303
    db.session.commit()
    assert {r.status for r in db.session.execute(db.select(Delivery)).scalars()} == {"cancelled"}
    assert db.session.execute(db.select(AuditEvent).filter_by(action="delivery.cancel")).scalar_one()
    again = post(campaigner, f"{url}/deliveries/cancel", token_page=url)  # nothing left to cancel
    assert "Er wacht niets meer" in campaigner.get(again.headers["Location"]).get_data(as_text=True)


def test_a_hand_over_past_its_window_leaves_and_cannot_be_cancelled(app, campaigner, run_jobs, mailbox):
    from datetime import timedelta

    from campaign.delivery.queue import cancel_pending, queue_handover
    from campaign.models.base import utcnow

    petition = with_handover()
    confirmed(petition)
    queue_handover(petition, utcnow() - timedelta(minutes=11), force=True, hold=timedelta(minutes=10))
    db.session.commit()
    assert cancel_pending(petition.id, utcnow()) == 0
    db.session.commit()
    run_jobs()
    assert len(mailbox.wait_for(2)) == 2


def test_closing_by_the_cron_hands_over_at_once(app, run_jobs, mailbox):
    from campaign.models.base import utcnow
    from campaign.petitions import close_petition

    petition = with_handover()
    confirmed(petition)
    close_petition(petition, None, utcnow())
    db.session.commit()
    run_jobs()
    assert len(mailbox.wait_for(2)) == 2


def test_hand_over_now_asks_first_and_a_cancelled_one_can_be_queued_again(app, campaigner):
    petition = with_handover()
    url = f"/studio/petitions/{petition.id}/deliveries/handover"
    page = campaigner.get(url).get_data(as_text=True)
    assert "Ja, overhandig aan deze doelwitten" in page and "a@example.org" in page
    assert db.session.execute(db.select(Delivery)).first() is None
    post(campaigner, url, token_page=url)
    post(campaigner, f"/studio/petitions/{petition.id}/deliveries/cancel", token_page=url)
    post(campaigner, url, token_page=url)
    db.session.commit()
    statuses = db.session.execute(db.select(Delivery.status)).scalars().all()
    assert statuses == ["queued", "queued"]


@pytest.mark.parametrize("status,allowed", [("open", False), ("closed", True)])
def test_archiving_asks_first_and_says_it_cannot_be_undone(app, campaigner, status, allowed):
    petition = factories.petition(status=status)
    page = campaigner.get(f"/studio/petitions/{petition.id}/archive").get_data(as_text=True)
    assert ("niet worden teruggedraaid" in page) is allowed
    assert ("Sluit de petitie voor u haar archiveert." in page) is not allowed
    assert db.session.get(Petition, petition.id).status == status


def test_invalidating_one_signature_asks_first(app, campaigner):
    petition = factories.petition()
    signature = confirmed(petition, email="bot@example.nl")
    listing = campaigner.get(f"/studio/petitions/{petition.id}/signatures").get_data(as_text=True)
    assert f'href="/studio/signatures/{signature.id}/invalidate"' in listing
    page = campaigner.get(f"/studio/signatures/{signature.id}/invalidate").get_data(as_text=True)
    assert "bot@example.nl" in page and "telt niet meer mee" in page
    assert db.session.get(Signature, signature.id).status == "confirmed"


def test_erasing_a_person_shows_what_it_touches_and_needs_the_confirmation(app):
    one, two = factories.petition("een"), factories.petition("twee", title="Tweede petitie")
    confirmed(one, email="kim@example.nl")
    confirmed(two, email="Kim@Example.nl")
    admin = logged_in(app, "admin")
    first = post(admin, "/studio/privacy/erase", {"email": "kim@example.nl"}, token_page="/studio/privacy")
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and "2 handtekeningen met dit adres worden gewist" in page
    assert "Tweede petitie" in page and "niet worden teruggedraaid" in page
    assert {s.email for s in db.session.execute(db.select(Signature)).scalars()} == {
        "kim@example.nl",
        "Kim@Example.nl",
    }
    done = post(
        admin,
        "/studio/privacy/erase",
        {"email": "kim@example.nl", "confirmed": "yes"},
        token_page="/studio/privacy",
    )
    assert done.status_code == 303
    db.session.commit()
    assert {s.email for s in db.session.execute(db.select(Signature)).scalars()} == {""}


@pytest.mark.parametrize(
    "title,slug",
    [
        ("Stop gezichtsherkenning!", "stop-gezichtsherkenning"),
        ("Één Straße voor Kyïv", "een-strasse-voor-kyiv"),
        ("Стоп війні", "stop-viini"),
        ("!!!", "petitie"),
    ],
)
def test_slug_from_the_title_is_transliterated(title, slug):
    assert slug_for(title) == slug


def test_slug_from_the_title_is_unique_among_current_and_retired(app):
    factories.petition(slug="geen-kinderen-in-cellen")
    from campaign.models import PetitionSlug

    other = factories.petition(slug="iets-anders")
    db.session.add(PetitionSlug(slug="geen-kinderen-in-cellen-2", petition_id=other.id))
    db.session.commit()
    assert unique_slug("Geen kinderen in cellen") == "geen-kinderen-in-cellen-3"


def test_saving_without_a_web_address_takes_it_from_the_title(app, campaigner):
    theme = factories.theme()
    db.session.commit()
    factories.petition(slug="vrijheid-van-demonstratie")
    response = post(
        campaigner,
        "/studio/petitions/new",
        {
            "theme_id": theme.id,
            "title": "Vrijheid van demonstratie",
            "slug": "",
            "goal": "1000",
            "language": "nl",
        },
    )
    assert response.status_code == 303
    created = db.session.execute(db.select(Petition).order_by(Petition.id.desc())).scalars().first()
    assert created.slug == "vrijheid-van-demonstratie-2"
    assert campaigner.get("/studio/slug-for?title=Vrijheid van demonstratie").get_json() == {
        "slug": "vrijheid-van-demonstratie-3"  # the next one, now that -2 is taken
    }


def test_an_official_added_inline_gets_the_default_delivery(app, campaigner):
    theme = factories.theme()
    db.session.commit()
    existing = factories.target(name="Minister", email="minister@example.org")
    response = post(
        campaigner,
        "/studio/petitions/new",
        {
            "theme_id": theme.id,
            "title": "Open de grenzen",
            "goal": "1000",
            "language": "nl",
            "target_ids": [str(existing.id)],
            "new_target_name": "Burgemeester",
            "new_target_email": "burgemeester@example.org",
            "delivery_digest": "daily",
            "delivery_handover": "y",
        },
    )
    assert response.status_code == 303
    petition = db.session.execute(db.select(Petition).filter_by(slug="open-de-grenzen")).scalar_one()
    assert sorted(t.email for t in petition.targets) == ["burgemeester@example.org", "minister@example.org"]
    settings = settings_for(petition.id)
    assert (settings.digest, settings.handover, settings.letters) == ("daily", True, False)


def test_a_bad_inline_official_is_named_and_nothing_is_stored(app, campaigner):
    theme = factories.theme()
    db.session.commit()
    response = post(
        campaigner,
        "/studio/petitions/new",
        {
            "theme_id": theme.id,
            "title": "X",
            "goal": "10",
            "language": "nl",
            "new_target_name": "Iemand",
            "new_target_email": "geen-adres",
        },
    )
    assert response.status_code == 400
    assert 'id="new_target_email-error"' in response.get_data(as_text=True)
    assert db.session.execute(db.select(Petition)).first() is None
    assert db.session.execute(db.select(Target)).first() is None


def test_targets_added_later_get_the_defaults_too(app, campaigner):
    petition = factories.petition(status="draft")
    target = factories.target()
    form = campaigner.get(f"/studio/petitions/{petition.id}/edit").get_data(as_text=True)
    assert '<label for="target_ids"' not in form and "<legend>" in form  # Nu: no label for a list
    post(
        campaigner,
        f"/studio/petitions/{petition.id}/edit",
        {
            "theme_id": petition.theme_id,
            "title": petition.title,
            "slug": petition.slug,
            "goal": "100",
            "language": "nl",
            "target_ids": [str(target.id)],
        },
    )
    settings = settings_for(petition.id)
    assert settings is not None and (settings.digest, settings.handover) == ("daily", True)


def test_duplicating_copies_the_text_targets_and_delivery_not_the_signatures(app, campaigner):
    petition = with_handover()
    confirmed(petition)
    response = post(campaigner, f"/studio/petitions/{petition.id}/duplicate")
    assert response.status_code == 303
    copy = db.session.execute(db.select(Petition).order_by(Petition.id.desc())).scalars().first()
    assert response.headers["Location"].endswith(f"/studio/petitions/{copy.id}/edit")
    assert copy.status == "draft" and copy.title.startswith("Kopie van") and copy.body == petition.body
    assert copy.slug.startswith("kopie-van") and copy.slug != petition.slug
    assert [t.email for t in copy.targets] == ["b@example.org", "a@example.org"] or len(copy.targets) == 2
    assert settings_for(copy.id).handover is True
    assert db.session.execute(db.select(Signature).filter_by(petition_id=copy.id)).first() is None


def test_a_draft_preview_shows_the_form_that_stores_nothing(app, campaigner, mailbox):
    petition = factories.petition(status="draft")
    url = f"/studio/petitions/{petition.id}/preview"
    page = campaigner.get(url).get_data(as_text=True)
    assert "gesloten" not in page and 'class="sign-form"' in page and f'action="{url}"' in page
    assert "Voorbeeld" in page
    invalid = post(campaigner, url, {"name": "", "email": "x"}, token_page=url)
    assert invalid.status_code == 400 and "Vul uw naam in." in invalid.get_data(as_text=True)
    valid = post(
        campaigner,
        url,
        {"name": "Anna", "email": "anna@example.nl", "postcode": "3511 AB", "country": "NL", "consent": "y"},
        token_page=url,
    )
    assert valid.status_code == 200 and "er is niets opgeslagen" in valid.get_data(as_text=True).lower()
    assert db.session.execute(db.select(Signature)).first() is None and mailbox.messages == []


def test_the_live_markdown_preview_renders_and_sanitises(app, campaigner):
    response = post(campaigner, "/studio/markdown-preview", {"source": "**vet** <script>x</script>"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<strong>vet</strong>" in html and "<script>" not in html
    assert re.search(r"&lt;script&gt;", html)


def test_blocking_a_domain_first_says_what_it_reaches(app):
    from campaign.models import AbuseRule

    petition = factories.petition()
    confirmed(petition, email="a@spam.example")
    confirmed(petition, email="b@mail.spam.example")
    confirmed(petition, email="c@example.nl")
    admin = logged_in(app, "admin")
    data = {"kind": "domain", "value": "Spam.Example", "action": "block"}
    page = post(admin, "/studio/abuse/rules", data, token_page="/studio/abuse")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "2 bestaande handtekeningen" in html and "Verwijder de regel" in html
    assert db.session.execute(db.select(AbuseRule)).first() is None
    done = post(admin, "/studio/abuse/rules", {**data, "confirmed": "yes"}, token_page="/studio/abuse")
    assert done.status_code == 303
    db.session.commit()
    assert db.session.execute(db.select(AbuseRule.value)).scalars().all() == ["spam.example"]
