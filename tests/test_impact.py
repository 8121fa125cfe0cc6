"""The impact log: campaigners record outcomes in the studio; the petition page, the theme page,
/impact and /metrics show them. Bad input gets a Dutch message and a 4xx."""

import re
from datetime import date

import pytest

from campaign.extensions import db
from campaign.impact import OutcomeDetails, OutcomeError, checked_source_url, record_outcome
from campaign.models import AuditEvent, Outcome, PetitionStatus
from tests import factories
from tests.studio_support import logged_in, post

LAW = {
    "change_type": "law",
    "happened_on": "2026-10-01",
    "title": "Kamer neemt verbod op gezichtsherkenning aan",
    "description": "Een meerderheid stemde voor de motie.",
    "source_url": "https://www.tweedekamer.nl/motie/123",
}


def outcome_form(petition=None, theme=None, **changes):
    data = {
        **LAW,
        "petition_id": str(petition.id) if petition else "",
        "theme_id": str(theme.id) if theme else "",
    }
    data.update(changes)
    return data


def test_campaigner_records_a_law_outcome_that_shows_everywhere(app, client):
    petition = factories.petition(slug="stop-gezichtsherkenning")
    campaigner = logged_in(app, "campaigner")

    response = post(campaigner, "/studio/impact/new", outcome_form(petition), token_page="/studio/impact/new")
    assert response.status_code == 303, response.get_data(as_text=True)
    [outcome] = db.session.execute(db.select(Outcome)).scalars().all()
    assert (outcome.petition_id, outcome.theme_id, outcome.change_type) == (
        petition.id,
        petition.theme_id,
        "law",
    )
    assert outcome.created_by is not None
    [event] = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "outcome.record")).scalars()
    assert event.subject == f"outcome:{outcome.id}"

    title = LAW["title"]
    petition_page = client.get(f"/petitions/{petition.slug}").get_data(as_text=True)
    assert title in petition_page and "Verandering in wet- en regelgeving" in petition_page
    assert 'href="https://www.tweedekamer.nl/motie/123"' in petition_page
    assert title in client.get("/themes/technologie").get_data(as_text=True)
    assert title in client.get("/impact").get_data(as_text=True)
    assert title in client.get("/impact?type=law&thema=technologie").get_data(as_text=True)
    assert title not in client.get("/impact?type=lives").get_data(as_text=True)
    assert title not in client.get("/impact?thema=discriminatie").get_data(as_text=True)
    metrics = client.get("/metrics.json").get_json()
    assert metrics["outcomes"]["law"] == 1
    assert next(t for t in metrics["themes"] if t["slug"] == "technologie")["outcomes"]["law"] == 1
    assert re.search(
        r'href="/impact\?type=law">[^<]+</a>: <strong>1</strong>',
        client.get("/metrics").get_data(as_text=True),
    )


def test_an_outcome_for_a_whole_theme(app, client):
    theme = factories.theme("bedrijven")
    campaigner = logged_in(app, "campaigner")
    response = post(
        campaigner,
        "/studio/impact/new",
        outcome_form(theme=theme, change_type="accountability", title="Bedrijf stelt onderzoek in"),
    )
    assert response.status_code == 303
    page = client.get("/themes/bedrijven").get_data(as_text=True)
    assert "Bedrijf stelt onderzoek in" in page and "Verandering in accountability" in page


@pytest.mark.parametrize(
    "changes,field_message",
    [
        ({"source_url": "javascript:alert(1)"}, "http:// of https://"),
        ({"source_url": "ftp://example.org/file"}, "http:// of https://"),
        ({"source_url": "https://"}, "http:// of https://"),
        ({"title": ""}, "Geef een korte titel."),
        ({"title": "x" * 201}, "Maximaal 200 tekens."),
        ({"happened_on": "31-13-2026"}, "Geef een geldige datum."),
        ({"change_type": "revolution"}, "Kies een van de mogelijkheden uit de lijst."),
        ({"petition_id": "", "theme_id": ""}, "Kies een petitie of een thema."),
        ({"petition_id": "999999"}, "Kies een van de mogelijkheden uit de lijst."),
    ],
)
def test_bad_outcome_input_is_400_with_the_problem_named(app, changes, field_message):
    petition = factories.petition()
    campaigner = logged_in(app, "campaigner")
    response = post(campaigner, "/studio/impact/new", outcome_form(petition, **changes))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert field_message in html and "Not a valid" not in html
    assert db.session.execute(db.select(Outcome)).first() is None


def test_source_url_check_keeps_http_links_only():
    assert checked_source_url(" https://nos.nl/artikel/1 ") == "https://nos.nl/artikel/1"
    assert checked_source_url("") == ""
    for bad in ["data:text/html,hoi", "//example.org", 'https://example.org/"onmouseover=x', "mailto:a@b.nl"]:
        with pytest.raises(OutcomeError):
            checked_source_url(bad)


def test_campaigner_edits_and_deletes_an_outcome_with_audit(app, client):
    petition = factories.petition()
    outcome = record_outcome(
        OutcomeDetails("lives", date(2026, 5, 1), "Vrijgelaten", petition_id=petition.id), None
    )
    db.session.commit()
    campaigner = logged_in(app, "campaigner")

    edit_url = f"/studio/impact/{outcome.id}/edit"
    assert "Vrijgelaten" in campaigner.get(edit_url).get_data(as_text=True)
    response = post(
        campaigner, edit_url, outcome_form(petition, title="Vrijgelaten na 3 jaar", change_type="lives")
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Outcome, outcome.id).title == "Vrijgelaten na 3 jaar"

    assert post(campaigner, f"/studio/impact/{outcome.id}/delete").status_code == 303
    assert db.session.execute(db.select(Outcome.id)).first() is None
    actions = set(db.session.execute(db.select(AuditEvent.action)).scalars())
    assert {"outcome.update", "outcome.delete"} <= actions
    assert post(campaigner, f"/studio/impact/{outcome.id}/delete").status_code == 404
    assert "Vrijgelaten" not in client.get("/impact").get_data(as_text=True)


def test_viewer_reads_the_log_but_cannot_record(app):
    petition = factories.petition()
    record_outcome(OutcomeDetails("law", date(2026, 5, 1), "Wet aangenomen", petition_id=petition.id), None)
    db.session.commit()
    viewer = logged_in(app, "viewer")
    page = viewer.get("/studio/impact")
    assert page.status_code == 200 and "Wet aangenomen" in page.get_data(as_text=True)
    assert "/studio/impact/new" not in page.get_data(as_text=True)
    assert viewer.get("/studio/impact/new").status_code == 403
    assert post(viewer, "/studio/impact/new", outcome_form(petition)).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, app):
    response = client.get("/studio/impact/new")
    assert response.status_code == 302 and "/studio/login" in response.headers["Location"]


def test_recording_needs_a_csrf_token(app):
    petition = factories.petition()
    campaigner = logged_in(app, "campaigner")
    response = campaigner.post("/studio/impact/new", data=outcome_form(petition))
    assert response.status_code == 400
    assert db.session.execute(db.select(Outcome)).first() is None


@pytest.mark.parametrize(
    "query,message",
    [
        ("thema=bestaat-niet", "Dit thema bestaat niet."),
        ("type=revolutie", "Dit type verandering bestaat niet."),
        ("pagina=nul", "Dit paginanummer klopt niet."),
        ("pagina=0", "Dit paginanummer klopt niet."),
    ],
)
def test_bad_impact_filters_are_400_in_dutch(client, app, query, message):
    response = client.get(f"/impact?{query}")
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_impact_pages_through_outcomes(client, app):
    petition = factories.petition()
    for day in range(1, 26):
        record_outcome(
            OutcomeDetails(
                "civil_society", date(2026, 1, day), f"Artikel {day:02d}", petition_id=petition.id
            ),
            None,
        )
    db.session.commit()
    first = client.get("/impact").get_data(as_text=True)
    assert "Artikel 25" in first and "Artikel 05" not in first and "pagina=2" in first
    second = client.get("/impact?pagina=2").get_data(as_text=True)
    assert "Artikel 05" in second and "Artikel 25" not in second


def test_outcomes_of_unpublished_petitions_do_not_link_to_them(client, app):
    draft = factories.petition(slug="geheim", status=PetitionStatus.DRAFT, title="Geheime petitie")
    record_outcome(OutcomeDetails("law", date(2026, 2, 2), "Wet", petition_id=draft.id), None)
    db.session.commit()
    html = client.get("/impact").get_data(as_text=True)
    assert "Wet" in html and "Geheime petitie" not in html and "/petitions/geheim" not in html
