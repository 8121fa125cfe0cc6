"""Signatures in the studio: search, filters, invalidation (with a preview count) and the streamed CSV."""

import csv
import io
import secrets
import tracemalloc
from datetime import timedelta

import pytest
from sqlalchemy import insert

from campaign.extensions import db
from campaign.metrics.counts import forget_cached_counts, petition_count
from campaign.models import AuditEvent, Signature, SignatureStatus
from campaign.models.base import utcnow
from tests import factories
from tests.studio_support import logged_in, post


def add_signature(petition, name, email, postcode="1234 AB", status=SignatureStatus.CONFIRMED, days_ago=0):
    now = utcnow() - timedelta(days=days_ago)
    signature = Signature(
        petition_id=petition.id,
        name=name,
        email=email,
        email_normalised=email.lower(),
        postcode=postcode,
        consent_version="t",
        token=secrets.token_urlsafe(16),
        status=status,
        created_at=now,
        confirmed_at=now if status == SignatureStatus.CONFIRMED else None,
        confirmed_on=now.date() if status == SignatureStatus.CONFIRMED else None,
    )
    db.session.add(signature)
    db.session.commit()
    return signature


@pytest.fixture
def petition(app):
    petition = factories.petition(slug="moderatie")
    add_signature(petition, "Anna de Vries", "anna@example.nl", "3511 AB")
    add_signature(petition, "Bram Bot", "bot1@spam.example", "9999 ZZ")
    add_signature(petition, "Bram Bot", "bot2@spam.example", "9999 ZZ", status=SignatureStatus.PENDING)
    add_signature(petition, "Oud", "oud@example.nl", days_ago=10)
    return petition


@pytest.fixture
def campaigner(app):
    return logged_in(app, "campaigner")


def public_count(petition, run_jobs) -> int:
    from workers.tally import fold

    fold()
    run_jobs()
    forget_cached_counts()
    return petition_count(petition.id).confirmed


def search(client, petition, **fields):
    data = {"q": "", "status": "", "since": "", "until": ""}
    data.update(fields)
    response = post(client, f"/studio/petitions/{petition.id}/signatures", data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    "fields,shown,hidden",
    [
        ({"q": "anna"}, ["anna@example.nl"], ["bot1@spam.example"]),
        ({"q": "SPAM.example"}, ["bot1@spam.example", "bot2@spam.example"], ["anna@example.nl"]),
        ({"q": "3511ab"}, ["anna@example.nl"], ["bot1@spam.example"]),
        ({"status": "pending"}, ["bot2@spam.example"], ["bot1@spam.example"]),
        (
            {"until": (utcnow() - timedelta(days=5)).date().isoformat()},
            ["oud@example.nl"],
            ["anna@example.nl"],
        ),
        (
            {"since": (utcnow() - timedelta(days=1)).date().isoformat()},
            ["anna@example.nl"],
            ["oud@example.nl"],
        ),
        ({"q": "%"}, [], ["anna@example.nl"]),  # LIKE wildcards are searched literally
    ],
)
def test_search_and_filters(app, campaigner, petition, fields, shown, hidden):
    page = search(campaigner, petition, **fields)
    assert all(email in page for email in shown) and not any(email in page for email in hidden)


def test_the_search_never_goes_into_a_url(app, campaigner, petition):
    response = post(campaigner, f"/studio/petitions/{petition.id}/signatures", {"q": "anna@example.nl"})
    assert "anna" not in response.headers["Location"]
    page = campaigner.get(response.headers["Location"]).get_data(as_text=True)
    assert "anna@example.nl" not in page.split("<table", 1)[0].split("<form", 1)[0]


def test_the_search_never_goes_into_the_session_cookie(app, campaigner, petition):
    from flask.sessions import SecureCookieSessionInterface

    response = post(campaigner, f"/studio/petitions/{petition.id}/signatures", {"q": "anna@example.nl"})
    cookie = campaigner.get_cookie("session").value
    # The cookie is signed, not encrypted: anyone holding it can read it. Read it as they would.
    session = SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie)
    assert "anna" not in repr(session) and "anna" not in str(response.headers)
    page = campaigner.get(response.headers["Location"]).get_data(as_text=True)
    assert "anna@example.nl" in page and "bot1@spam.example" not in page  # the filter still applies
    other = logged_in(app, "campaigner", "tweede@example.org")
    assert "bot1@spam.example" in other.get(f"/studio/petitions/{petition.id}/signatures").get_data(
        as_text=True
    )


def test_a_bad_date_is_named(app, campaigner, petition):
    response = post(campaigner, f"/studio/petitions/{petition.id}/signatures", {"since": "morgen"})
    assert response.status_code == 400 and 'id="since-error"' in response.get_data(as_text=True)


def test_invalidate_one_and_the_public_count_drops(app, campaigner, petition, run_jobs):
    assert public_count(petition, run_jobs) == 3
    bot = db.session.execute(db.select(Signature).where(Signature.email == "bot1@spam.example")).scalar_one()
    response = post(campaigner, f"/studio/signatures/{bot.id}/invalidate")
    assert response.status_code == 303
    assert public_count(petition, run_jobs) == 2
    again = post(campaigner, f"/studio/signatures/{bot.id}/invalidate")
    assert again.status_code == 303 and public_count(petition, run_jobs) == 2
    event = db.session.execute(
        db.select(AuditEvent).where(AuditEvent.action == "signature.invalidate")
    ).scalar_one()
    assert "spam" not in event.details and "Bram" not in event.details


def test_invalidate_a_filtered_set_after_a_preview_count(app, campaigner, petition, run_jobs):
    assert public_count(petition, run_jobs) == 3
    search(campaigner, petition, q="spam.example")
    url = f"/studio/petitions/{petition.id}/signatures/invalidate"
    preview = campaigner.get(url).get_data(as_text=True)
    assert "2 handtekeningen ongeldig" in preview
    db.session.expire_all()
    assert all(
        s.status != SignatureStatus.INVALIDATED for s in db.session.execute(db.select(Signature)).scalars()
    )

    stale = post(campaigner, url, {"expected": "1"})  # the number changed since the preview
    assert stale.status_code == 409 and "veranderd" in stale.get_data(as_text=True)
    assert post(campaigner, url, {"expected": "2"}).status_code == 303
    db.session.expire_all()
    statuses = {s.email: s.status for s in db.session.execute(db.select(Signature)).scalars()}
    assert statuses["bot1@spam.example"] == statuses["bot2@spam.example"] == SignatureStatus.INVALIDATED
    assert statuses["anna@example.nl"] == SignatureStatus.CONFIRMED
    assert public_count(petition, run_jobs) == 2


def test_invalidating_everything_without_a_filter_is_refused(app, campaigner, petition):
    url = f"/studio/petitions/{petition.id}/signatures/invalidate"
    response = post(campaigner, url, {"expected": "4"})
    assert response.status_code == 400
    db.session.expire_all()
    assert not db.session.execute(db.select(Signature).where(Signature.status == "invalidated")).first()


def test_export_has_only_confirmed_signatures_and_defuses_formulas(app, campaigner, petition):
    add_signature(petition, '=HYPERLINK("http://evil")', "formule@example.nl")
    response = campaigner.get(f"/studio/petitions/{petition.id}/signatures.csv", buffered=True)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["naam", "e-mail"]
    emails = {row[1] for row in rows[1:]}
    assert emails == {"anna@example.nl", "bot1@spam.example", "oud@example.nl", "formule@example.nl"}
    assert ['\'=HYPERLINK("http://evil")'] == [row[0] for row in rows if row[1] == "formule@example.nl"]
    assert db.session.execute(
        db.select(AuditEvent).where(AuditEvent.action == "signature.export")
    ).scalar_one()


def test_viewers_cannot_see_or_export_personal_data(app, petition):
    viewer = logged_in(app, "viewer")
    assert viewer.get(f"/studio/petitions/{petition.id}/signatures.csv").status_code == 403
    assert viewer.get(f"/studio/petitions/{petition.id}/signatures").status_code == 403
    assert "anna@example.nl" not in viewer.get(f"/studio/petitions/{petition.id}").get_data(as_text=True)


@pytest.mark.slow
def test_export_of_a_large_petition_streams(app, campaigner):
    petition = factories.petition(slug="groot")
    rows = 60_000
    now = utcnow()
    db.session.execute(
        insert(Signature.__table__),
        [
            {
                "petition_id": petition.id,
                "name": f"Ondertekenaar {n}",
                "email": f"o{n}@example.nl",
                "email_normalised": f"o{n}@example.nl",
                "postcode": "1234 AB",
                "country": "NL",
                "region": "NL-NH",
                "consent_version": "t",
                "consent_at": now,
                "newsletter": False,
                "locale": "nl",
                "status": "confirmed",
                "token": f"t{n}",
                "created_at": now,
                "confirmed_at": now,
                "counted": False,
                "mails_sent": 0,
            }
            for n in range(rows)
        ],
    )
    db.session.commit()
    response = campaigner.get(f"/studio/petitions/{petition.id}/signatures.csv")
    assert response.status_code == 200 and response.is_streamed
    body = iter(response.response)
    next(body)  # the first chunk pays one-off costs (query compilation, imports); measure the rest
    tracemalloc.start()
    try:
        chunks, size = 0, 0
        for chunk in body:
            chunks += 1
            size += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        response.close()
    assert chunks > 10  # it arrived in pieces, not as one body
    assert size > 3_000_000
    # Loading every row at once would hold far more than the whole CSV; streaming holds one batch.
    assert peak < size / 3, (peak, size)
