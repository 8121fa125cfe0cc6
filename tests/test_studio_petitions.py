"""Campaigners write, preview, publish, close, reopen and archive petitions; slugs stay reachable."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest

from campaign.extensions import db
from campaign.models import AuditEvent, Petition, PetitionStatus
from campaign.models.base import utcnow
from tests import factories
from tests.studio_support import logged_in, post

XSS_BODY = """Hallo <script>alert('x')</script>

<img src=x onerror="alert(1)">

[klik](javascript:alert(1)) en [goed](https://example.org)

<a href="javascript:alert(2)" onclick="alert(3)">raw</a>
"""


def petition_form(theme, target_ids=(), **fields) -> dict:
    db.session.commit()  # the factories' theme must be visible to the request's own session
    data = {
        "theme_id": theme.id,
        "title": "Stop gezichtsherkenning",
        "slug": "stop-gezichtsherkenning",
        "summary": "Kort.",
        "body": "Wij vragen **een verbod**.",
        "goal": "500",
        "language": "nl",
        "opens_at": "",
        "closes_at": "",
        "target_ids": [str(i) for i in target_ids],
    }
    data.update(fields)
    return data


@pytest.fixture
def campaigner(app):
    return logged_in(app, "campaigner")


def stored(slug="stop-gezichtsherkenning") -> Petition:
    db.session.expire_all()
    return db.session.execute(db.select(Petition).where(Petition.slug == slug)).scalar_one()


def test_create_with_two_targets_preview_and_publish(app, campaigner):
    theme = factories.theme("technologie")
    one, two = factories.target(), factories.target(name="Commissie", email="commissie@example.org")
    response = post(
        campaigner,
        "/studio/petitions/new",
        petition_form(theme, [one.id, two.id], closes_at="2099-01-31T17:00"),
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    petition = stored()
    assert petition.status == PetitionStatus.DRAFT and petition.theme.slug == "technologie"
    assert {t.email for t in petition.targets} == {"minister@example.org", "commissie@example.org"}
    assert petition.closes_at.hour == 16  # 17:00 in Amsterdam in winter is 16:00 UTC
    assert "<strong>een verbod</strong>" in petition.body_html
    assert campaigner.get("/petitions/stop-gezichtsherkenning").status_code == 404  # drafts are not public

    preview = campaigner.get(f"/studio/petitions/{petition.id}/preview").get_data(as_text=True)
    assert "Voorbeeld" in preview and "<strong>een verbod</strong>" in preview and "Commissie" in preview
    assert 'class="petition"' in preview  # the public template itself

    assert post(campaigner, f"/studio/petitions/{petition.id}/publish").status_code == 303
    assert stored().status == PetitionStatus.OPEN and stored().published_at is not None
    assert campaigner.get("/petitions/stop-gezichtsherkenning").status_code == 200
    actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
    assert "petition.create" in actions and "petition.publish" in actions


def test_xss_in_the_body_is_neutralised_on_the_public_page(app, campaigner):
    theme = factories.theme()
    post(campaigner, "/studio/petitions/new", petition_form(theme, body=XSS_BODY))
    petition = stored()
    post(campaigner, f"/studio/petitions/{petition.id}/publish")
    page = campaigner.get("/petitions/stop-gezichtsherkenning").get_data(as_text=True)
    body = page[page.index('<div class="body">') : page.index("</div>", page.index('<div class="body">'))]
    tags = Tags()
    tags.feed(body)
    assert not {"script", "img", "iframe"} & {name for name, _ in tags.found}
    for name, attributes in tags.found:
        assert not any(key.startswith("on") for key, _ in attributes), (name, attributes)
        assert not any((value or "").strip().lower().startswith("javascript:") for _, value in attributes)
    assert ("a", [("href", "https://example.org"), ("rel", "noopener noreferrer nofollow")]) in tags.found
    assert "&lt;script&gt;" in body  # raw HTML is shown as text, not run


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("slug", "Met Hoofdletters!", "kleine letters"),
        ("title", "", "Vul een titel in"),
        ("goal", "0", "doel vanaf 1"),
        ("goal", "veel", 'id="goal-error"'),
        ("closes_at", "gisteren", 'id="closes_at-error"'),
        ("theme_id", "999999", 'id="theme_id-error"'),
        ("language", "fr", 'id="language-error"'),
        ("target_ids", ["999999"], 'id="target_ids-error"'),
        # A line break would add headers to every mail of the petition (issue 15, finding 6).
        ("title", "Stop\r\nBcc: iedereen@example.org", "Gebruik geen regeleinden"),
        ("title", "Stop\u2028nu", "Gebruik geen regeleinden"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(app, campaigner, field, value, message):
    theme = factories.theme()
    response = post(campaigner, "/studio/petitions/new", petition_form(theme, **{field: value}))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count()).select_from(Petition)).scalar() == 0


def test_closing_before_opening_is_refused(app, campaigner):
    theme = factories.theme()
    response = post(
        campaigner,
        "/studio/petitions/new",
        petition_form(theme, opens_at="2030-02-01T10:00", closes_at="2030-01-01T10:00"),
    )
    assert response.status_code == 400 and "na de openingsdatum" in response.get_data(as_text=True)


def test_a_slug_in_use_is_refused(app, campaigner):
    factories.petition(slug="stop-gezichtsherkenning")
    response = post(campaigner, "/studio/petitions/new", petition_form(factories.theme()))
    assert response.status_code == 400 and "al in gebruik" in response.get_data(as_text=True)


def test_draft_slug_changes_freely(app, campaigner):
    petition = factories.petition(slug="concept", status=PetitionStatus.DRAFT)
    response = post(
        campaigner,
        f"/studio/petitions/{petition.id}/edit",
        petition_form(petition.theme, slug="nieuw-concept"),
    )
    assert response.status_code == 303
    assert stored("nieuw-concept").id == petition.id


def test_published_slug_changes_only_when_confirmed_and_the_old_one_redirects(app, campaigner, client):
    petition = factories.petition(slug="oud-adres", status=PetitionStatus.DRAFT)
    post(campaigner, f"/studio/petitions/{petition.id}/publish")
    form = petition_form(petition.theme, slug="nieuw-adres")
    refused = post(campaigner, f"/studio/petitions/{petition.id}/edit", form)
    assert refused.status_code == 400 and "Bevestig" in refused.get_data(as_text=True)
    assert stored("oud-adres").id == petition.id  # nothing changed

    form["confirm_slug_change"] = "y"
    assert post(campaigner, f"/studio/petitions/{petition.id}/edit", form).status_code == 303
    moved = client.get("/petitions/oud-adres")
    assert moved.status_code == 301 and moved.headers["Location"].endswith("/petitions/nieuw-adres")
    assert client.get("/petitions/oud-adres/count.json").status_code in (301, 404)
    # The old slug stays reserved for this petition: nobody else can take it.
    other = post(campaigner, "/studio/petitions/new", petition_form(petition.theme, slug="oud-adres"))
    assert other.status_code == 400


def test_close_reopen_archive(app, campaigner, client):
    petition = factories.petition(slug="levensloop")
    url = f"/studio/petitions/{petition.id}"
    assert post(campaigner, f"{url}/close").status_code == 303
    assert stored("levensloop").status == PetitionStatus.CLOSED and stored("levensloop").closed_at
    assert post(campaigner, f"{url}/close").status_code == 409  # not open any more
    assert post(campaigner, f"{url}/reopen").status_code == 303
    assert stored("levensloop").status == PetitionStatus.OPEN
    assert post(campaigner, f"{url}/archive").status_code == 409  # close first
    post(campaigner, f"{url}/close")
    assert post(campaigner, f"{url}/archive").status_code == 303
    assert client.get("/petitions/levensloop").status_code == 404
    assert post(campaigner, f"{url}/publish").status_code == 409


def test_reopen_refused_after_the_closing_date(app, campaigner):
    petition = factories.petition(slug="verlopen", status=PetitionStatus.CLOSED)
    petition.closes_at = utcnow() - timedelta(days=1)
    db.session.commit()
    response = post(campaigner, f"/studio/petitions/{petition.id}/reopen")
    assert response.status_code == 409 and "sluitingsdatum" in response.get_data(as_text=True)


def test_the_cron_closes_petitions_past_their_closing_date(app):
    from workers.petitions import close_due

    due = factories.petition(slug="te-laat")
    due.closes_at = utcnow() - timedelta(minutes=1)
    later = factories.petition(slug="nog-open")
    db.session.commit()
    assert close_due() == 1
    assert close_due() == 0  # safe to run twice
    assert stored("te-laat").status == PetitionStatus.CLOSED
    assert stored("nog-open").status == PetitionStatus.OPEN
    assert later.id


def test_the_cron_job_is_scheduled(app):
    from workers.schedule import recurring_jobs

    assert any(name == "workers.petitions.close_due" for name, _, _ in recurring_jobs(app.config))


def test_dashboard_shows_counts_and_progress(app, campaigner, run_jobs):
    from tests.helpers import sign

    petition = factories.petition(slug="dashboard", goal=10)
    sign(app.test_client(), petition.slug)
    page = campaigner.get(f"/studio/petitions/{petition.id}").get_data(as_text=True)
    assert "Niet bevestigd" in page and "<progress" in page
    assert ">1</td>" in page  # one pending


def test_unknown_petition_is_404(app, campaigner):
    assert campaigner.get("/studio/petitions/999999").status_code == 404
    assert post(campaigner, "/studio/petitions/999999/publish").status_code == 404
