"""Impact & Learning around the report: outcomes with evidence and contribution, outside reviewers
with a personal link that reaches its own subject only and expires, lessons on closing a petition,
and /impact per theme and period with open data."""

import io
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from campaign.extensions import db
from campaign.models import Evidence, Lesson, Outcome, Review, ReviewStatus
from campaign.models.base import utcnow
from tests import factories
from tests.conftest import csrf_token
from tests.report_seed import PERIOD, seed_period
from tests.studio_support import logged_in, post

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def config_overrides(tmp_path):
    return {"MEDIA_DIR": str(tmp_path / "media"), "EVIDENCE_MAX_BYTES": 4096}


@pytest.fixture
def seeded(app):
    return seed_period()


@pytest.fixture
def campaigner(app):
    return logged_in(app, "campaigner")


# --- outcomes: contribution and contributing parties ---


def test_outcome_records_contribution_and_other_parties(app, campaigner):
    petition = factories.petition()
    form = {
        "petition_id": str(petition.id),
        "theme_id": "",
        "change_type": "law",
        "happened_on": "2026-10-01",
        "title": "Verbod aangenomen",
        "contribution": "decisive",
        "contributors": ["international_secretariat", "partners"],
        "contributors_other": "Bits of Freedom,  Controle Alt Delete ",
    }
    response = post(campaigner, "/studio/impact/new", form, token_page="/studio/impact/new")
    assert response.status_code == 303, response.get_data(as_text=True)
    outcome = db.session.execute(db.select(Outcome)).scalar_one()
    assert (outcome.contribution, outcome.contributors) == ("decisive", "international_secretariat,partners")
    assert outcome.contributor_names == [
        "Internationaal secretariaat",
        "Partnerorganisaties",
        "Bits of Freedom",
        "Controle Alt Delete",
    ]
    bad = post(
        campaigner, "/studio/impact/new", {**form, "contribution": "huge"}, token_page="/studio/impact/new"
    )
    assert bad.status_code == 400 and "Kies een van de mogelijkheden uit de lijst." in bad.get_data(
        as_text=True
    )
    wrong_party = post(
        campaigner, "/studio/impact/new", {**form, "contributors": ["nato"]}, token_page="/studio/impact/new"
    )
    assert wrong_party.status_code == 400
    assert db.session.execute(db.select(db.func.count(Outcome.id))).scalar_one() == 1


# --- evidence ---


def _upload(client, outcome, name, data, links=""):
    page = f"/studio/impact/{outcome.id}/edit"
    return client.post(
        f"/studio/impact/{outcome.id}/evidence",
        data={"csrf_token": csrf_token(client, page), "links": links, "document": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_evidence_document_is_stored_and_served_to_studio_users_only(app, client, seeded, campaigner):
    outcome = seeded.law_outcome
    response = _upload(
        campaigner, outcome, "../../Besluit minister.pdf", PDF, links="https://example.org/a\n"
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    document = db.session.execute(db.select(Evidence).where(Evidence.stored_name != "")).scalar_one()
    stored = Path(app.config["MEDIA_DIR"]) / "evidence" / document.stored_name
    assert stored.read_bytes() == PDF and document.file_name == "Besluit minister.pdf"
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", document.stored_name)
    urls = {item.url for item in db.session.execute(db.select(Evidence)).scalars()}
    assert "https://example.org/a" in urls

    viewer = logged_in(app, "viewer")
    served = viewer.get(f"/studio/impact/evidence/{document.id}")
    assert served.status_code == 200 and served.data == PDF
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert client.get(f"/studio/impact/evidence/{document.id}").status_code in (302, 303)  # not logged in
    assert "Besluit minister.pdf" not in client.get("/impact").get_data(as_text=True)

    delete = post(campaigner, f"/studio/impact/evidence/{document.id}/delete", token_page="/studio/impact")
    assert delete.status_code == 303 and not stored.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Dit soort bestand nemen we niet aan"),
        ("nep.pdf", b"\x89PNG\r\n\x1a\n....", "De inhoud van het bestand past niet bij PDF"),
        ("groot.pdf", b"%PDF-" + b"x" * 5000, "Het bestand is te groot"),
        ("leeg.pdf", b"", "Het bestand is leeg"),
    ],
)
def test_bad_documents_are_refused_and_nothing_is_stored(app, seeded, campaigner, name, data, message):
    response = _upload(campaigner, seeded.law_outcome, name, data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count(Evidence.id))).scalar_one() == 1  # the seeded link
    folder = Path(app.config["MEDIA_DIR"]) / "evidence"
    assert not folder.exists() or not any(folder.iterdir())


def test_evidence_links_must_be_http_and_an_upload_needs_its_csrf_token(app, seeded, campaigner):
    response = _upload(campaigner, seeded.law_outcome, "", b"", links="javascript:alert(1)")
    assert response.status_code == 400 and "http://" in response.get_data(as_text=True)
    forged = campaigner.post(
        f"/studio/impact/{seeded.law_outcome.id}/evidence",
        data={"links": "https://example.org/b"},
        content_type="multipart/form-data",
    )
    assert forged.status_code == 400
    assert db.session.execute(db.select(db.func.count(Evidence.id))).scalar_one() == 1


# --- external validation ---


def _invite(campaigner, outcome, **fields):
    data = {
        "name": "Prof. A. de Vries",
        "email": "a.devries@example.org",
        "affiliation": "Universiteit Leiden",
    }
    data.update(fields)
    page = f"/studio/impact/{outcome.id}/edit"
    return post(campaigner, f"/studio/impact/{outcome.id}/reviews", data, token_page=page)


def _review_link(mailbox) -> str:
    [message] = [m for m in mailbox.messages if "beoordelen" in m["Subject"]]
    body = message.get_body(("plain",)).get_content()
    return re.search(r"https://petities\.test\.example(/review/[\w-]+)", body).group(1)


def test_reviewer_confirms_an_outcome_through_the_link(app, client, mailbox, run_jobs, seeded, campaigner):
    assert _invite(campaigner, seeded.law_outcome, public="y").status_code == 303
    run_jobs()
    link = _review_link(mailbox)
    page = client.get(link)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Kamer neemt verbod op gezichtsherkenning aan" in html
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    assert "Politie stopt met profileren" not in html  # another outcome is not shown

    token = csrf_token(client, link)
    answer = client.post(
        link, data={"csrf_token": token, "status": "qualified", "comment": "Klopt, maar de motie was breder."}
    )
    assert answer.status_code == 303
    review = db.session.execute(db.select(Review)).scalar_one()
    assert (review.status, review.comment) == (ReviewStatus.QUALIFIED, "Klopt, maar de motie was breder.")

    studio = campaigner.get(f"/studio/impact/{seeded.law_outcome.id}/edit").get_data(as_text=True)
    assert "Bevestigd met kanttekening" in studio and "Klopt, maar de motie was breder." in studio
    report = campaigner.get(f"/studio/reports/{PERIOD}").get_data(as_text=True)
    assert "Bevestigd met kanttekening" in report and "Universiteit Leiden" in report
    public = client.get(f"/impact?periode={PERIOD}").get_data(as_text=True)
    assert "Gevalideerd door Universiteit Leiden" in public and "a.devries@example.org" not in public


def test_a_review_not_made_public_stays_in_the_studio(app, client, mailbox, run_jobs, seeded, campaigner):
    _invite(campaigner, seeded.law_outcome)
    run_jobs()
    link = _review_link(mailbox)
    client.post(link, data={"csrf_token": csrf_token(client, link), "status": "confirmed", "comment": ""})
    assert db.session.execute(db.select(Review.status)).scalar_one() == "confirmed"
    assert "Gevalideerd door" not in client.get("/impact").get_data(as_text=True)


def test_a_link_reaches_its_own_review_only_and_expires(app, client, mailbox, run_jobs, seeded, campaigner):
    _invite(campaigner, seeded.law_outcome)
    _invite(campaigner, seeded.lives_outcome, email="ander@example.org")
    run_jobs()
    first = db.session.execute(
        db.select(Review).where(Review.outcome_id == seeded.law_outcome.id)
    ).scalar_one()
    other = db.session.execute(
        db.select(Review).where(Review.outcome_id == seeded.lives_outcome.id)
    ).scalar_one()
    link = f"/review/{first.token}"
    # Extra fields naming the other review or outcome change nothing but this review's own verdict.
    client.post(
        link,
        data={
            "csrf_token": csrf_token(client, link),
            "status": "contested",
            "comment": "Dit kwam door een rechtszaak.",
            "outcome_id": str(seeded.lives_outcome.id),
            "review_id": str(other.id),
            "token": other.token,
        },
    )
    db.session.expire_all()
    assert (first.status, other.status) == ("contested", "pending")
    assert first.outcome_id == seeded.law_outcome.id and other.comment == ""
    assert (
        db.session.get(Outcome, seeded.lives_outcome.id).title == "Politie stopt met profileren bij controles"
    )

    # Contesting needs a reason; a wrong choice is named; no 500s.
    token = csrf_token(client, link)
    empty = client.post(link, data={"csrf_token": token, "status": "contested", "comment": ""})
    assert empty.status_code == 400 and "Licht uw kanttekening of bezwaar kort toe." in empty.get_data(
        as_text=True
    )
    odd = client.post(link, data={"csrf_token": token, "status": "approve"})
    assert odd.status_code == 400
    assert client.post(link, data={"status": "confirmed"}).status_code == 400  # no CSRF token
    assert client.get("/review/onbekend-token").status_code == 404
    assert client.get("/review/" + "x" * 500).status_code == 404

    first.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    expired = client.get(link)
    assert expired.status_code == 410 and "verlopen" in expired.get_data(as_text=True)
    assert client.post(link, data={"csrf_token": token, "status": "confirmed"}).status_code == 410
    db.session.expire_all()
    assert first.status == "contested"


def test_revoking_ends_a_link_and_reviewer_input_is_validated(
    app, client, mailbox, run_jobs, seeded, campaigner
):
    bad = _invite(campaigner, seeded.law_outcome, email="geen-adres")
    assert bad.status_code == 400 and "Dit e-mailadres klopt niet." in bad.get_data(as_text=True)
    _invite(campaigner, seeded.law_outcome)
    review = db.session.execute(db.select(Review)).scalar_one()
    viewer = logged_in(app, "viewer")
    assert post(viewer, f"/studio/reviews/{review.id}/revoke").status_code == 403  # least privilege
    assert post(campaigner, f"/studio/reviews/{review.id}/revoke").status_code == 303
    assert client.get(f"/review/{review.token}").status_code == 410
    run_jobs()
    assert not [m for m in mailbox.messages if "beoordelen" in m["Subject"]]  # revoked before it left


def test_a_report_can_be_reviewed_as_a_whole(app, client, mailbox, run_jobs, seeded, campaigner):
    page = f"/studio/reports/{PERIOD}?theme=discriminatie"
    data = {
        "name": "Mw. B. Jansen",
        "email": "b.jansen@example.org",
        "affiliation": "College voor de Rechten van de Mens",
    }
    response = post(
        campaigner, f"/studio/reports/{PERIOD}/reviews?theme=discriminatie", data, token_page=page
    )
    assert response.status_code == 303
    run_jobs()
    link = _review_link(mailbox)
    html = client.get(link).get_data(as_text=True)
    assert "Viermaandenrapportage september-december 2025" in html and "Stop etnisch profileren" in html
    assert "Stop gezichtsherkenning" not in html  # the theme's report only
    client.post(
        link, data={"csrf_token": csrf_token(client, link), "status": "confirmed", "comment": "Volledig."}
    )
    report = campaigner.get(page).get_data(as_text=True)
    assert "College voor de Rechten van de Mens" in report and "Volledig." in report
    whole = campaigner.get(f"/studio/reports/{PERIOD}").get_data(as_text=True)
    assert "Volledig." not in whole  # a review of the theme's report is not one of the section's


# --- lessons learned ---


def test_closing_a_petition_asks_for_its_lessons(app, campaigner):
    petition = factories.petition()
    closed = post(
        campaigner, f"/studio/petitions/{petition.id}/close", token_page=f"/studio/petitions/{petition.id}"
    )
    assert closed.status_code == 303 and closed.headers["Location"].endswith(
        f"/studio/petitions/{petition.id}/lessons"
    )
    page = f"/studio/petitions/{petition.id}/lessons"
    empty = post(campaigner, page, {"what_worked": " ", "what_we_change": ""}, token_page=page)
    assert empty.status_code == 400 and "Schrijf op wat werkte" in empty.get_data(as_text=True)
    saved = post(
        campaigner,
        page,
        {"what_worked": "Korte video's.", "what_we_change": "Eerder beginnen."},
        token_page=page,
    )
    assert saved.status_code == 303
    lesson = db.session.get(Lesson, petition.id)
    assert (lesson.what_worked, lesson.what_we_change) == ("Korte video's.", "Eerder beginnen.")
    theme_page = campaigner.get("/studio/themes/technologie").get_data(as_text=True)
    assert "Korte video&#39;s." in theme_page and "Eerder beginnen." in theme_page


def test_lessons_wait_for_the_petition_to_close(app, campaigner):
    petition = factories.petition()
    page = f"/studio/petitions/{petition.id}/lessons"
    response = post(campaigner, page, {"what_worked": "Iets."}, token_page=page)
    assert response.status_code == 400 and "gesloten" in response.get_data(as_text=True)
    assert db.session.get(Lesson, petition.id) is None
    assert campaigner.get("/studio/themes/bestaat-niet").status_code == 404


# --- /impact per theme and period, open data ---


def test_impact_per_period_and_theme_shows_how_supporters_contributed(client, seeded):
    html = client.get(f"/impact?periode={PERIOD}&thema=technologie").get_data(as_text=True)
    assert "<strong>7</strong> handtekeningen" in html and "<strong>3</strong> brieven aan beslissers" in html
    assert "Kamer neemt verbod op gezichtsherkenning aan" in html and "Oud resultaat" not in html
    bad = client.get("/impact?periode=2025-9")
    assert bad.status_code == 400 and "Deze periode bestaat niet." in bad.get_data(as_text=True)


def test_open_data_per_period_and_theme_without_personal_data(client, seeded):
    response = client.get("/impact.json")
    assert response.status_code == 200
    data = response.get_json()
    [period] = [p for p in data["periods"] if p["period"] == PERIOD]
    assert period["total"]["signatures"] == 9 and period["so_far"] is False
    themes = {item["slug"]: item for item in period["themes"]}
    assert themes["technologie"]["signatures"] == 7 and themes["discriminatie"]["signatures"] == 2
    assert themes["technologie"]["deliveries"]["letter"] == 3
    assert themes["discriminatie"]["deliveries"]["handover"] == 1
    assert themes["technologie"]["outcomes"]["law"] == 1 and themes["discriminatie"]["outcomes"]["lives"] == 1
    [law] = [o for o in period["outcomes"] if o["change_type"] == "law"]
    assert law["contribution"] == "significant" and "Bits of Freedom" in law["contributors"]
    text = json.dumps(data) + client.get("/impact.csv").get_data(as_text=True)
    assert "Geheime Naam" not in text and "@example" not in text and "3511" not in text
    rows = client.get("/impact.csv").get_data(as_text=True).splitlines()
    assert rows[0].startswith("period,start,end,theme,signatures,deliveries_letter")
    assert f"{PERIOD},2025-09-01,2026-01-01,technologie,7,3," in "\n".join(rows)


# --- officials' responses ---


def test_officials_responses_are_recorded_and_reported(app, seeded, campaigner):
    target = factories.target(name="Staatssecretaris Digitalisering", email="staatssecretaris@example.org")
    seeded.tech.targets.append(target)
    db.session.commit()
    page = f"/studio/petitions/{seeded.tech.id}/responses"
    answer = {
        "target_id": str(target.id),
        "received_on": "2025-11-02",
        "summary": "Toegezegd de motie uit te voeren.",
    }
    assert post(campaigner, page, answer, token_page=page).status_code == 303
    assert "Toegezegd de motie uit te voeren." in campaigner.get(page).get_data(as_text=True)

    future = post(campaigner, page, {**answer, "received_on": "2999-01-01"}, token_page=page)
    assert future.status_code == 400 and "Deze datum ligt in de toekomst." in future.get_data(as_text=True)
    empty = post(campaigner, page, {**answer, "summary": "  "}, token_page=page)
    assert empty.status_code == 400 and "Vat de reactie kort samen." in empty.get_data(as_text=True)
    stranger = factories.target(name="Niet Dit Doelwit", email="anders@example.org")
    wrong = post(campaigner, page, {**answer, "target_id": str(stranger.id)}, token_page=page)
    assert wrong.status_code == 400 and "Kies een van de mogelijkheden uit de lijst." in wrong.get_data(
        as_text=True
    )
    assert post(campaigner, page, {**answer, "target_id": "x"}, token_page=page).status_code == 400
    assert post(campaigner, page, {**answer, "received_on": "morgen"}, token_page=page).status_code == 400

    report = campaigner.get(f"/studio/reports/{PERIOD}").get_data(as_text=True)
    assert (
        '<th scope="row">Reacties van beslissers</th><td class="num">1</td><td class="num">0</td>' in report
    )
    assert "Staatssecretaris Digitalisering" in report and "Toegezegd de motie uit te voeren." in report
    csv_text = campaigner.get(f"/studio/reports/{PERIOD}.csv").get_data(as_text=True)
    assert "reacties van beslissers,1,0,0" in csv_text
