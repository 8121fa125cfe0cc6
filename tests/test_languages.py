"""Every supporter in their own language: ?lang=, cookie, Accept-Language among a petition's published
translations; hreflang, the switcher, lang on text in another language, right to left; petition
translations in the studio; mails in the signer's language; the letter to officials stays Dutch."""

import re

from campaign.demo_translations import seed_demo_translations
from campaign.extensions import db
from campaign.models import Petition, PetitionTranslation
from campaign.models.base import utcnow
from campaign.petitions.markup import render_markdown
from campaign.seeding import seed_demo
from tests import factories
from tests.delivery_helpers import confirmed, deliver_all, letters_to, petition_with_targets
from tests.helpers import sign
from tests.studio_support import logged_in, post


def translate(petition, language, title, published=True, **fields):
    body = fields.pop("body", "Tekst")
    petition.translations.append(
        PetitionTranslation(
            language=language,
            title=title,
            summary=fields.pop("summary", f"summary {language}"),
            body=body,
            body_html=render_markdown(body),
            share_text="",
            published_at=utcnow() if published else None,
        )
    )
    petition.updated_at = utcnow()
    db.session.commit()


def html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


def test_lang_argument_picks_the_page_language_and_is_remembered(app, client):
    factories.petition()
    response = client.get("/?lang=ar")
    assert response.status_code == 200
    assert html_tag(response.get_data(as_text=True)) == '<html lang="ar" dir="rtl">'
    assert "lang=ar" in response.headers["Set-Cookie"]
    # The next page, without ?lang, stays Arabic (the cookie), and links carry the choice on.
    page = client.get("/petitions/test-petitie").get_data(as_text=True)
    assert html_tag(page) == '<html lang="ar" dir="rtl">'
    assert 'href="/petitions/test-petitie?lang=ar"' in client.get("/?lang=ar").get_data(as_text=True)
    # An unknown code changes nothing and is not remembered.
    response = client.get("/?lang=xx")
    assert html_tag(response.get_data(as_text=True)) == '<html lang="ar" dir="rtl">'
    assert "Set-Cookie" not in response.headers or "lang=xx" not in response.headers["Set-Cookie"]


def test_old_language_route_still_works(app, client):
    response = client.get("/taal/uk?next=/privacy")
    assert response.status_code == 303 and response.headers["Location"] == "/privacy"
    assert html_tag(client.get("/privacy").get_data(as_text=True)) == '<html lang="uk" dir="ltr">'


def test_accept_language_only_among_the_petitions_published_translations(app, client):
    petition = factories.petition(title="Stop de test")
    translate(petition, "en", "Stop the test")
    translate(petition, "ar", "أوقفوا الاختبار", published=False)
    english = client.get(f"/petitions/{petition.slug}", headers={"Accept-Language": "en-GB,en;q=0.9"})
    page = english.get_data(as_text=True)
    assert html_tag(page) == '<html lang="en" dir="ltr">' and "<h1>Stop the test</h1>" in page
    # Arabic is not published: the browser's wish falls back to Dutch, and the draft stays hidden.
    arabic = client.get(f"/petitions/{petition.slug}", headers={"Accept-Language": "ar"}).get_data(
        as_text=True
    )
    assert html_tag(arabic) == '<html lang="nl" dir="ltr">' and "أوقفوا" not in arabic
    # Pages without a translated text do not follow the browser (Dutch supporters, English browsers).
    home = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert html_tag(home) == '<html lang="nl" dir="ltr">'


def test_hreflang_and_switcher(app, client):
    petition = factories.petition(title="Stop de test")
    translate(petition, "ar", "أوقفوا الاختبار")
    translate(petition, "en", "Stop the test", published=False)
    page = client.get(f"/petitions/{petition.slug}").get_data(as_text=True)
    alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page)
    assert [code for code, _ in alternates] == ["nl", "ar", "x-default"]
    assert alternates[0][1] == alternates[2][1] == app.config["PUBLIC_URL"] + f"/petitions/{petition.slug}"
    assert alternates[1][1] == app.config["PUBLIC_URL"] + f"/petitions/{petition.slug}?lang=ar"
    canonical = re.search(
        r'<link rel="canonical" href="([^"]+)">',
        client.get(f"/petitions/{petition.slug}?lang=ar").get_data(as_text=True),
    )
    assert canonical.group(1) == alternates[1][1]  # a translation is its own page
    # The switcher names each language in that language, marked with its own lang and direction.
    assert '<a href="/petitions/test-petitie?lang=ar" lang="ar" dir="rtl" hreflang="ar">العربية</a>' in page
    assert 'lang="uk" dir="ltr" hreflang="uk">Українська</a>' in page
    assert 'lang="en" dir="ltr" hreflang="en">English</a>' in page


def test_text_in_another_language_carries_its_own_lang(app, client):
    petition = factories.petition(title="Stop de test")
    translate(petition, "en", "Stop the test")
    # Ukrainian interface, no Ukrainian text: the Dutch original, marked as Dutch.
    page = client.get(f"/petitions/{petition.slug}?lang=uk").get_data(as_text=True)
    assert html_tag(page) == '<html lang="uk" dir="ltr">'
    assert '<h1 lang="nl" dir="ltr">Stop de test</h1>' in page
    assert '<div class="body" lang="nl" dir="ltr">' in page
    # English: the translation, in the page's own language, with a way to the original.
    page = client.get(f"/petitions/{petition.slug}?lang=en").get_data(as_text=True)
    assert "<h1>Stop the test</h1>" in page and 'href="/petitions/test-petitie?lang=nl" hreflang="nl"' in page


def test_a_translation_updates_the_cached_page(app, client):
    petition = factories.petition(title="Stop de test")
    assert "Stop the test" not in client.get(f"/petitions/{petition.slug}?lang=en").get_data(as_text=True)
    translate(petition, "en", "Stop the test")
    assert "<h1>Stop the test</h1>" in client.get(f"/petitions/{petition.slug}?lang=en").get_data(
        as_text=True
    )


def test_campaigner_writes_and_publishes_a_translation(app):
    petition = factories.petition(title="Stop de test")
    studio = logged_in(app, "campaigner")
    url = f"/studio/petitions/{petition.id}/translations/ar"
    assert studio.get(url).status_code == 200
    # A title is required; the problem is named, nothing stored.
    response = post(studio, url, {"title": "", "body": "نص"})
    assert response.status_code == 400 and "Vul een titel in." in response.get_data(as_text=True)
    assert db.session.execute(db.select(PetitionTranslation)).scalars().all() == []
    response = post(studio, url, {"title": "أوقفوا الاختبار", "summary": "ملخص", "body": "**نص**"})
    assert response.status_code == 303
    public = app.test_client()
    assert "أوقفوا" not in public.get(f"/petitions/{petition.slug}?lang=ar").get_data(as_text=True)
    post(studio, url, {"title": "أوقفوا الاختبار", "summary": "ملخص", "body": "**نص**", "published": "y"})
    page = public.get(f"/petitions/{petition.slug}?lang=ar").get_data(as_text=True)
    assert "<h1>أوقفوا الاختبار</h1>" in page and "<strong>نص</strong>" in page
    overview = studio.get(f"/studio/petitions/{petition.id}/translations").get_data(as_text=True)
    assert "Gepubliceerd" in overview and "Oorspronkelijke tekst" in overview
    # Its own language is no translation; an unknown language does not exist.
    assert studio.get(f"/studio/petitions/{petition.id}/translations/nl").status_code == 404
    assert studio.get(f"/studio/petitions/{petition.id}/translations/xx").status_code == 404
    assert post(studio, f"{url}/delete").status_code == 303
    assert db.session.execute(db.select(PetitionTranslation)).scalars().all() == []


def test_a_viewer_may_read_but_not_write_translations(app):
    petition = factories.petition()
    viewer = logged_in(app, "viewer")
    assert viewer.get(f"/studio/petitions/{petition.id}/translations").status_code == 200
    response = post(
        viewer, f"/studio/petitions/{petition.id}/translations/en", {"title": "x", "published": "y"}
    )
    assert response.status_code == 403
    assert db.session.execute(db.select(PetitionTranslation)).scalars().all() == []


def test_confirmation_mail_in_the_signers_language(app, client, mailbox, run_jobs):
    petition = factories.petition(title="Stop de test")
    translate(petition, "uk", "Зупиніть тест")
    client.get(f"/petitions/{petition.slug}?lang=uk")
    sign(client, petition.slug, name="Олена Коваль", email="olena@example.nl")
    run_jobs()
    (message,) = mailbox.wait_for(1)
    assert message["Content-Language"] == "uk"
    assert message["Auto-Submitted"] == "auto-generated"
    assert (
        "Зупиніть тест" in str(message.get("Subject"))
        or "Зупиніть тест" in message.get_body(("plain",)).get_content()
    )
    html = message.get_body(("html",)).get_content()
    assert '<html lang="uk" dir="ltr">' in html and "<bdi>Олена Коваль</bdi>" in html
    assert "?lang=uk" in message.get_body(("plain",)).get_content()


def test_arabic_mail_is_right_to_left_and_the_letter_stays_dutch(app, client, mailbox, run_jobs):
    petition, (target,) = petition_with_targets(n_targets=1)
    translate(petition, "ar", "أوقفوا الاختبار")
    confirmed(petition, name="فاطمة", email="fatima@example.nl", locale="ar", message="رسالتي الشخصية")
    deliver_all(run_jobs)
    (letter,) = letters_to(mailbox.messages, target.email)
    assert letter["Content-Language"] == "nl" and letter["Auto-Submitted"] is None
    text = letter.get_body(("plain",)).get_content()
    assert petition.title in text and "أوقفوا" not in text
    assert "رسالتي الشخصية" in text  # the supporter's own words, as written
    client.get(f"/petitions/{petition.slug}?lang=ar")
    sign(client, petition.slug, name="سارة", email="sara@example.nl")
    run_jobs()
    (confirmation,) = [m for m in mailbox.wait_for(2) if m["X-Envelope-To"] == "sara@example.nl"]
    assert confirmation["Content-Language"] == "ar"
    assert '<html lang="ar" dir="rtl">' in confirmation.get_body(("html",)).get_content()


def test_demo_petition_readable_in_dutch_english_and_arabic(app, client):
    seed_demo()
    db.session.commit()
    assert seed_demo_translations(utcnow()) == 0  # idempotent: already there
    petition = db.session.execute(
        db.select(Petition).where(Petition.slug == "eerlijke-asielprocedure")
    ).scalar_one()
    assert set(petition.published_languages()) >= {"nl", "en", "ar"}
    page = client.get(f"/petitions/{petition.slug}?lang=ar").get_data(as_text=True)
    assert "إجراءات لجوء عادلة للجميع" in page and "محتوى تجريبي" in page
    page = client.get(f"/petitions/{petition.slug}?lang=en").get_data(as_text=True)
    assert "A fair asylum procedure for everyone" in page and "Demo content" in page
