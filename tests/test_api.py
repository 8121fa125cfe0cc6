"""The OSDI API: keys, paging, the modified_date filter, the record-signature helper, idempotency,
JSON errors, and the OpenAPI description kept in step with the routes."""

import re
from datetime import timedelta

import pytest

from campaign.api.keys import create_key, hash_key
from campaign.extensions import db
from campaign.models import ApiKey, AuditEvent, Signature, SignatureStatus
from campaign.models.base import utcnow
from campaign.signing import SignRequest, sign_petition
from tests import factories
from tests.helpers import confirm, confirm_token


def new_key(scope="read", name="CRM"):
    _row, key = create_key(name, scope, None, utcnow())
    db.session.commit()
    return key


def get(client, url, key, **kwargs):
    return client.get(url, headers={"OSDI-API-Token": key}, **kwargs)


def confirmed_signatures(petition, n, when=None):
    """n confirmed signatures, stored by the sign verb and then marked confirmed."""
    now = when or utcnow()
    for i in range(n):
        sign_petition(
            petition,
            SignRequest(
                name=f"Ondertekenaar {i}",
                email=f"o{i}@example.nl",
                postcode="3511 AB",
                country="NL",
                newsletter=i % 2 == 0,
                consent_version="2026-11",
            ),
            now,
        )
    db.session.execute(
        Signature.__table__.update()
        .where(Signature.petition_id == petition.id)
        .values(status=SignatureStatus.CONFIRMED, confirmed_at=now, modified_at=now)
    )
    db.session.commit()


def test_the_key_is_stored_only_as_a_hash(app):
    key = new_key()
    row = db.session.execute(db.select(ApiKey)).scalar_one()
    assert key.startswith("pk_") and len(key) > 40
    assert row.key_hash == hash_key(key) and key not in (row.key_hash, row.prefix)
    assert db.session.execute(db.select(AuditEvent.action)).scalars().all() == ["api_key.create"]


@pytest.mark.parametrize(
    "headers, status",
    [({}, 401), ({"OSDI-API-Token": "pk_wrong"}, 401)],
)
def test_no_key_or_a_wrong_key_is_401_json(client, app, headers, status):
    response = client.get("/api/v1/petitions", headers=headers)
    assert response.status_code == status
    assert response.is_json and response.json["response_code"] == 401 and response.json["message"]
    assert "OSDI-API-Token" in response.headers["WWW-Authenticate"]


def test_a_revoked_key_is_refused(client, app):
    from campaign.api.keys import revoke_key

    key = new_key()
    assert get(client, "/api/v1/", key).status_code == 200
    revoke_key(db.session.execute(db.select(ApiKey)).scalar_one(), None, utcnow())
    db.session.commit()
    assert get(client, "/api/v1/", key).status_code == 401


def test_a_read_key_writing_is_403_and_audited(client, app):
    petition = factories.petition()
    key = new_key("read")
    response = client.post(
        f"/api/v1/petitions/{petition.id}/signatures",
        json={"person": {"given_name": "Anna"}},
        headers={"OSDI-API-Token": key},
    )
    assert response.status_code == 403 and response.is_json
    assert "schrijfsleutel" in response.json["message"]
    assert db.session.execute(db.select(Signature)).first() is None
    assert "api.refused" in db.session.execute(db.select(AuditEvent.action)).scalars().all()


def test_use_is_recorded_on_the_key(client, app):
    key = new_key()
    for _ in range(3):
        get(client, "/api/v1/", key)
    row = db.session.execute(db.select(ApiKey)).scalar_one()
    assert row.use_count == 3 and row.last_used_at is not None


@pytest.mark.parametrize("config_overrides", [{"RATELIMIT_ENABLED": True, "API_RATE_LIMIT": "3/minute"}])
def test_each_key_has_its_own_rate_limit(client, app):
    first, second = new_key(name="a"), new_key(name="b")
    assert [get(client, "/api/v1/", first).status_code for _ in range(4)] == [200, 200, 200, 429]
    limited = get(client, "/api/v1/", first)
    assert limited.is_json and limited.json["response_code"] == 429
    assert get(client, "/api/v1/", second).status_code == 200


def test_entry_point_and_petitions_are_hal(client, app):
    target = factories.target()
    petition = factories.petition(title="Stop de test")
    petition.targets.append(target)
    db.session.commit()
    key = new_key()
    entry = get(client, "/api/v1/", key)
    assert entry.mimetype == "application/hal+json"
    assert entry.json["_links"]["osdi:petitions"]["href"].endswith("/api/v1/petitions")
    listing = get(client, "/api/v1/petitions", key).json
    [item] = listing["_embedded"]["osdi:petitions"]
    assert item["identifiers"] == [f"petities:{petition.id}"] and item["title"] == "Stop de test"
    assert item["total_signatures"] == 0 and item["browser_url"].endswith("/petitions/test-petitie")
    assert item["target"][0]["name"] == "Minister Test"
    assert item["_links"]["osdi:signatures"]["href"].endswith(f"/api/v1/petitions/{petition.id}/signatures")


def test_signatures_are_paged(client, app):
    petition = factories.petition()
    confirmed_signatures(petition, 7)
    key = new_key()
    url = f"/api/v1/petitions/{petition.id}/signatures"
    first = get(client, url + "?per_page=3", key).json
    assert (first["total_records"], first["total_pages"], first["page"], first["per_page"]) == (7, 3, 1, 3)
    assert "next" in first["_links"] and "prev" not in first["_links"]
    seen = []
    page = 1
    while True:
        body = get(client, f"{url}?per_page=3&page={page}", key).json
        seen += [item["identifiers"][0] for item in body["_embedded"]["osdi:signatures"]]
        if "next" not in body["_links"]:
            break
        page += 1
    assert len(seen) == len(set(seen)) == 7
    person = get(client, url, key).json["_embedded"]["osdi:signatures"][0]["person"]
    assert person["email_addresses"][0]["address"].endswith("@example.nl")
    assert person["postal_addresses"][0]["postal_code"] == "3511 AB"
    assert get(client, url + "?per_page=500", key).json["per_page"] == 100
    for bad in ("?page=0", "?per_page=x", "?filter=name eq 'x'", "?filter=modified_date gt 'gisteren'"):
        response = get(client, url + bad, key)
        assert response.status_code == 400 and response.is_json, bad


def test_modified_date_filter_gives_only_what_changed_since(client, app):
    petition = factories.petition()
    old = utcnow() - timedelta(days=2)
    confirmed_signatures(petition, 3, when=old)
    key = new_key()
    url = f"/api/v1/petitions/{petition.id}/signatures"
    since = (utcnow() - timedelta(days=1)).isoformat(timespec="seconds") + "Z"
    assert (
        get(client, url, key, query_string={"filter": f"modified_date gt '{since}'"}).json["total_records"]
        == 0
    )
    # A supporter withdraws: the row changes, and a sync since yesterday sees it (without the person).
    from campaign.privacy import withdraw_signature

    withdraw_signature(db.session.execute(db.select(Signature).limit(1)).scalar_one())
    db.session.commit()
    body = get(client, url, key, query_string={"filter": f"modified_date gt '{since}'"}).json
    [changed] = body["_embedded"]["osdi:signatures"]
    assert changed["status"] == "withdrawn" and "person" not in changed
    assert "filter=" in body["_links"]["self"]["href"]
    before = get(client, url, key, query_string={"filter": f"modified_date lt '{since}'"}).json
    assert before["total_records"] == 2


def person(email="Nieuw@Example.NL", **extra):
    return {
        "person": {
            "given_name": "Sanne",
            "family_name": "de Jong",
            "email_addresses": [{"address": email, "status": "subscribed"}],
            "postal_addresses": [{"postal_code": "1012 AB", "country": "NL"}],
        },
        "consent": True,
        **extra,
    }


def post(client, petition, key, body, **headers):
    return client.post(
        f"/api/v1/petitions/{petition.id}/signatures", json=body, headers={"OSDI-API-Token": key, **headers}
    )


def test_record_signature_follows_the_form_and_sends_the_opt_in_mail(client, app, mailbox, run_jobs):
    petition = factories.petition()
    key = new_key("write")
    response = post(client, petition, key, person(comments="Doe er iets aan."))
    assert response.status_code == 201, response.json
    assert response.json["status"] == "pending"
    row = db.session.execute(db.select(Signature)).scalar_one()
    assert (row.name, row.email_normalised, row.newsletter) == ("Sanne de Jong", "nieuw@example.nl", True)
    assert row.consent_version and row.message == "Doe er iets aan."
    run_jobs()
    [mail] = mailbox.wait_for(1)
    assert mail["To"] == "Nieuw@Example.NL"
    assert confirm(client, confirm_token(mail)).status_code == 303
    # The same address again: no second signature (the database's rule), the existing one answered.
    again = post(client, petition, key, person())
    assert again.status_code == 200 and again.json["status"] == "confirmed"
    assert db.session.execute(db.select(db.func.count()).select_from(Signature)).scalar() == 1
    assert "api.signature.record" in db.session.execute(db.select(AuditEvent.action)).scalars().all()


@pytest.mark.parametrize(
    "body, field",
    [
        (person(email="geen-adres"), "email"),
        (person(email="x@mailinator.com"), "email"),  # disposable, as on the form
        ({**person(), "consent": False}, "consent"),
        ({**person(), "person": {**person()["person"], "given_name": "", "family_name": ""}}, "name"),
        (
            {**person(), "person": {**person()["person"], "postal_addresses": [{"postal_code": "12"}]}},
            "postcode",
        ),
    ],
)
def test_record_signature_refuses_what_the_form_refuses(client, app, body, field):
    petition = factories.petition()
    response = post(client, petition, new_key("write"), body)
    assert response.status_code == 400 and response.is_json
    assert field in response.json["fields"], response.json
    assert db.session.execute(db.select(Signature)).first() is None


def test_record_signature_bad_bodies_and_closed_petitions(client, app):
    petition = factories.petition()
    key = new_key("write")
    raw = client.post(
        f"/api/v1/petitions/{petition.id}/signatures",
        data="{not json",
        headers={"OSDI-API-Token": key, "Content-Type": "application/json"},
    )
    assert raw.status_code == 400 and raw.is_json
    assert post(client, petition, key, ["a list"]).status_code == 400
    unknown = client.post(
        "/api/v1/petitions/99999/signatures", json=person(), headers={"OSDI-API-Token": key}
    )
    assert unknown.status_code == 404 and unknown.is_json
    closed = factories.petition(slug="dicht", status="closed")
    assert post(client, closed, key, person()).status_code == 410


def test_idempotency_key_replays_the_answer_without_a_second_write(client, app, mailbox, run_jobs):
    petition = factories.petition()
    key = new_key("write")
    first = post(client, petition, key, person(), **{"Idempotency-Key": "abc-1"})
    again = post(client, petition, key, person(), **{"Idempotency-Key": "abc-1"})
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json["identifiers"] == first.json["identifiers"]
    run_jobs()
    assert len(mailbox.messages) == 1  # the retry owed no reminder mail
    other = post(client, petition, key, person(email="ander@example.nl"), **{"Idempotency-Key": "abc-1"})
    assert other.status_code == 422 and other.is_json
    assert db.session.execute(db.select(db.func.count()).select_from(Signature)).scalar() == 1
    # Errors are remembered too: the same bad request with the same key answers the same.
    bad = post(client, petition, key, {"consent": True}, **{"Idempotency-Key": "abc-2"})
    assert bad.status_code == 400
    assert post(client, petition, key, {"consent": True}, **{"Idempotency-Key": "abc-2"}).headers.get(
        "Idempotent-Replayed"
    )


def test_unknown_routes_and_methods_answer_json(client, app):
    key = new_key()
    missing = get(client, "/api/v1/people", key)
    assert missing.status_code == 404 and missing.is_json
    wrong = client.delete("/api/v1/petitions", headers={"OSDI-API-Token": key})
    assert wrong.status_code == 405 and wrong.is_json


def test_openapi_describes_exactly_the_routes(client, app):
    spec = client.get("/api/v1/openapi.json").json
    described = {(path, method.upper()) for path, item in spec["paths"].items() for method in item}
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("osdi."):
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
            routed |= {(path, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert described == routed


def test_a_racing_request_with_the_same_key_gets_the_first_answer(client, app, monkeypatch):
    """Two requests with one key at once: the second looked before the first committed, so it writes,
    and the database's unique constraint on the key stops it; it answers what the first answered."""
    from campaign.api import idempotency

    petition = factories.petition()
    key = new_key("write")
    first = post(client, petition, key, person(), **{"Idempotency-Key": "race"})
    real_find, looks = idempotency.find, []

    def find_as_if_first_had_not_committed(*args):
        looks.append(args)
        return None if len(looks) == 1 else real_find(*args)

    monkeypatch.setattr(idempotency, "find", find_as_if_first_had_not_committed)
    second = post(client, petition, key, person(), **{"Idempotency-Key": "race"})
    assert second.status_code == 201 and second.headers["Idempotent-Replayed"] == "true"
    assert second.json["identifiers"] == first.json["identifiers"]
    assert db.session.execute(db.select(db.func.count()).select_from(Signature)).scalar() == 1
