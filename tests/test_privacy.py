"""Privacy: the personal link (see, export, withdraw), consent versions, erasure, retention."""

import base64
import binascii
import contextlib
import json
import logging
import re
import time
import zlib
from datetime import timedelta

from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from rq.job import Job
from rq.registry import FailedJobRegistry
from rq.results import Result

from campaign.extensions import db
from campaign.models import AuditEvent, PetitionStatus, Signature
from campaign.models.base import utcnow
from campaign.models.tally import DailyTally, PetitionTally, RegionTally
from campaign.queueing import get_queue, redis_connection
from campaign.signing import personal_link as links
from tests import factories
from tests.conftest import csrf_token
from tests.helpers import confirm, confirm_token, sign
from tests.studio_support import logged_in, post
from workers.tally import fold

MANAGE_LINK = "https://petities.test.example/signatures/"


def count(client, slug):
    return client.get(f"/petitions/{slug}/count.json").get_json()["count"]


def rows():
    db.session.expire_all()
    return db.session.execute(db.select(Signature).order_by(Signature.id)).scalars().all()


def personal_link(message) -> str:
    body = message.get_body(("plain",)).get_content()
    [line] = [line for line in body.splitlines() if line.startswith(MANAGE_LINK) and "/confirm/" not in line]
    return line[len("https://petities.test.example") :].split("?")[0]  # without its ?lang=


def signed_and_confirmed(client, mailbox, run_jobs, slug, **fields):
    mailbox.clear()
    sign(client, slug, **fields)
    run_jobs()
    [message] = mailbox.wait_for(1)
    confirm(client, confirm_token(message))
    run_jobs()
    fold()
    return message


def test_personal_link_shows_exports_and_withdraws(app, client, mailbox, run_jobs):
    petition = factories.petition()
    signed_and_confirmed(client, mailbox, run_jobs, petition.slug, email="bob@example.nl", name="Bob Jansen")
    message = signed_and_confirmed(client, mailbox, run_jobs, petition.slug, name="Anna de Vries")
    assert count(client, petition.slug) == 2
    link = personal_link(message)

    page = client.get(link)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    html = page.get_data(as_text=True)
    assert "Anna de Vries" in html and "anna@example.nl" in html and "3511 AB" in html
    assert "<dd>Nederland</dd>" in html  # in words, in the reader's language
    english = client.get(link + "?lang=en").get_data(as_text=True)
    assert "<dd>Netherlands</dd>" in english and re.search(r"<dd>\w+ \d{1,2}, 20\d\d, \d{1,2}:\d\d", english)

    export = client.get(link + "/data.json")
    assert export.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(export.get_data(as_text=True))
    assert (data["name"], data["email"], data["status"]) == ("Anna de Vries", "anna@example.nl", "confirmed")
    assert data["consent"]["version"] == app.config["CONSENT_VERSION"]

    table = client.get(link + "/data.csv")
    assert table.headers["Content-Type"] == "text/csv; charset=utf-8"
    lines = table.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "field,value" and "name,Anna de Vries" in lines and "consent.version,2026-11" in lines

    # Withdrawing asks first: without the tick, nothing happens and the page says what to do.
    response = client.post(link + "/withdraw", data={"csrf_token": csrf_token(client, link)})
    assert response.status_code == 400
    # (in English: the reader chose it above)
    assert "First tick the box to say you want to withdraw" in response.get_data(as_text=True)
    assert count(client, petition.slug) == 2 and rows()[1].status == "confirmed"
    response = client.post(link + "/withdraw", data={"csrf_token": csrf_token(client, link), "sure": "y"})
    assert response.status_code == 303 and "/withdrawn" in response.headers["Location"]
    fold()
    assert count(client, petition.slug) == 1
    withdrawn = rows()[1]
    assert withdrawn.status == "withdrawn"
    assert (withdrawn.name, withdrawn.email, withdrawn.postcode) == ("", "", "")
    assert withdrawn.email_normalised == f"erased:{withdrawn.id}" and withdrawn.region.startswith("NL")
    assert client.get(link).status_code == 404  # the link is gone with the data
    # The same address may sign again later.
    assert sign(client, petition.slug).status_code == 303
    assert len(rows()) == 3


def test_personal_link_works_before_confirmation_and_withdrawing_pending_changes_no_count(
    app, client, mailbox, run_jobs
):
    petition = factories.petition()
    sign(client, petition.slug)
    run_jobs()
    link = personal_link(mailbox.wait_for(1)[0])
    assert "nog niet bevestigd" in client.get(link).get_data(as_text=True)
    client.post(link + "/withdraw", data={"csrf_token": csrf_token(client, link), "sure": "y"})
    fold()
    assert count(client, petition.slug) == 0 and rows()[0].status == "withdrawn"


def test_the_personal_link_has_its_own_token_that_expires(app, client, mailbox, run_jobs, monkeypatch):
    petition = factories.petition()
    message = signed_and_confirmed(client, mailbox, run_jobs, petition.slug)
    token, link = confirm_token(message), personal_link(message)
    assert token not in link and client.get(link).status_code == 200
    assert client.get(f"/signatures/{token}").status_code == 404  # the confirmation token opens no data
    confirm_page = client.get(f"/signatures/confirm/{token}")
    assert confirm_page.status_code == 200 and confirm_page.headers["Cache-Control"] == "no-store"

    days = app.config["PERSONAL_LINK_DAYS"]

    class IssuedLongAgo(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - (days + 1) * 24 * 3600

    with monkeypatch.context() as patch:
        patch.setattr(
            links,
            "_serializer",
            lambda: URLSafeTimedSerializer(app.secret_key, salt=links.SALT, signer=IssuedLongAgo),
        )
        old_link = f"/signatures/{links.personal_token(rows()[0])}"
    expired = client.get(old_link)
    assert expired.status_code == 410 and "nieuwe link" in expired.get_data(as_text=True)

    # Signing again with the same address mails a fresh link, which works.
    mailbox.clear()
    sign(client, petition.slug)
    run_jobs()
    [again] = mailbox.wait_for(1)
    assert client.get(personal_link(again)).status_code == 200


def test_a_withdrawn_signatures_link_opens_nothing(app, client, mailbox, run_jobs):
    petition = factories.petition()
    link = personal_link(signed_and_confirmed(client, mailbox, run_jobs, petition.slug))
    client.post(link + "/withdraw", data={"csrf_token": csrf_token(client, link), "sure": "y"})
    assert client.get(link).status_code == 404 and client.get(link + "/data.json").status_code == 404


def test_withdrawing_without_csrf_changes_nothing(app, client, mailbox, run_jobs):
    petition = factories.petition()
    sign(client, petition.slug)
    run_jobs()
    link = personal_link(mailbox.wait_for(1)[0])
    assert client.post(link + "/withdraw").status_code == 400
    assert rows()[0].status == "pending" and rows()[0].name


def test_unknown_and_wiped_tokens_are_404(app, client):
    assert client.get("/signatures/not-a-token").status_code == 404
    assert client.get("/signatures/erased:1").status_code == 404


def test_changing_the_consent_text_makes_a_new_version(app, client):
    petition = factories.petition()
    admin = logged_in(app, "admin")
    response = post(
        admin,
        "/studio/privacy/consent",
        {"text": "Wij bewaren **alleen** wat nodig is.\n\n<script>x</script>"},
    )
    assert response.status_code == 303
    page = client.get("/privacy").get_data(as_text=True)
    assert "<strong>alleen</strong>" in page and "<script>x" not in page
    version = rows and db.session.execute(db.text("SELECT version FROM consent_texts")).scalar()
    assert version in page and version != app.config["CONSENT_VERSION"]
    sign(client, petition.slug)
    assert rows()[0].consent_version == version
    post(admin, "/studio/privacy/consent", {"text": "Een nieuwe tekst."})
    assert db.session.execute(db.text("SELECT count(*) FROM consent_texts")).scalar() == 2
    assert "Een nieuwe tekst." in client.get("/privacy").get_data(as_text=True)


def test_only_admins_reach_the_privacy_studio(app):
    assert logged_in(app, "campaigner").get("/studio/privacy").status_code == 403


def test_erasure_by_address_across_petitions_in_the_studio(app, client, mailbox, run_jobs):
    one, two = factories.petition("een"), factories.petition("twee")
    signed_and_confirmed(client, mailbox, run_jobs, one.slug, email="Kim@Example.nl")
    signed_and_confirmed(client, mailbox, run_jobs, two.slug, email="kim@example.nl")
    signed_and_confirmed(client, mailbox, run_jobs, two.slug, email="other@example.nl")
    admin = logged_in(app, "admin")
    page = post(
        admin,
        "/studio/privacy/erase",
        {"email": "KIM@example.NL", "confirmed": "yes"},
        token_page="/studio/privacy",
        follow_redirects=True,
    )
    assert "2 handtekeningen" in page.get_data(as_text=True)
    fold()
    assert (count(client, one.slug), count(client, two.slug)) == (0, 1)
    assert [r.email for r in rows()] == ["", "", "other@example.nl"]
    events = (
        db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "privacy.erase")).scalars().all()
    )
    assert len(events) == 1 and "kim" not in (events[0].details + events[0].subject).lower()


def test_erasure_from_the_cli(app, client):
    petition = factories.petition()
    sign(client, petition.slug, email="cli@example.nl")
    result = app.test_cli_runner().invoke(
        args=["campaign", "erase", "--email-stdin"], input="CLI@example.nl\n"
    )
    assert result.exit_code == 0 and "erased 1" in result.output
    assert rows()[0].email == "" and rows()[0].status == "withdrawn"


def database_text() -> str:
    """Every value in every table, as one string, to search for personal data."""
    dump = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()).all():
            dump.append(" ".join(str(value) for value in row))
    return "\n".join(dump)


def _readable(value: bytes) -> str:
    """RQ stores job data zlib-compressed, and results' error texts base64 of that."""
    with contextlib.suppress(ValueError, binascii.Error):
        value = base64.b64decode(value, validate=True)
    with contextlib.suppress(zlib.error):
        value = zlib.decompress(value)
    return value.decode("utf-8", "replace")


def redis_text() -> str:
    conn = redis_connection()
    dump = []
    for key in conn.scan_iter():
        kind = conn.type(key)
        if kind == b"hash":
            dump.extend(_readable(v) for v in conn.hgetall(key).values())
        elif kind == b"string":
            dump.append(_readable(conn.get(key)))
        elif kind == b"stream":
            dump.extend(_readable(v) for _, fields in conn.xrange(key) for v in fields.values())
    return "\n".join(dump)


def tallies():
    return [db.session.execute(db.select(table)).all() for table in (PetitionTally, DailyTally, RegionTally)]


def test_retention_anonymises_closed_petitions_and_keeps_every_count(app, client, mailbox, run_jobs):
    old = factories.petition("oud")
    recent = factories.petition("recent")
    signed_and_confirmed(client, mailbox, run_jobs, old.slug, email="zoe@example.nl", name="Zoë Oudgediend")
    signed_and_confirmed(client, mailbox, run_jobs, recent.slug, email="yara@example.nl", name="Yara Recent")
    sign(client, old.slug, email="pending@example.nl", name="Piet Pending")
    run_jobs()
    # A failed mail job whose error text carries the addresses, as an SMTP refusal would.
    queue = get_queue()
    batch = Job.create(
        "workers.supporter_mail.send_owed", connection=queue.connection, serializer=queue.serializer
    )
    batch.save()
    FailedJobRegistry(queue=queue).add(batch)
    Result.create_failure(
        batch,
        ttl=3600,
        exc_string="SMTPRecipientsRefused: {'zoe@example.nl': 550, 'pending@example.nl': 550}",
    )
    assert "zoe@example.nl" in redis_text()
    closed_at = utcnow() - timedelta(days=200)
    old.status, old.closed_at, old.closes_at = PetitionStatus.CLOSED, closed_at, closed_at
    db.session.commit()
    before = tallies()
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["campaign", "retention", "--dry-run"])
    assert dry.exit_code == 0 and "would anonymise 2" in dry.output and "oud: 2" in dry.output
    assert "zoe@example.nl" in database_text()  # a dry run changes nothing

    get_queue().enqueue("workers.retention.run")
    run_jobs()
    text = database_text()
    for personal in ("zoe@example.nl", "Zoë", "Oudgediend", "pending@example.nl", "Piet Pending"):
        assert personal not in text
        assert personal not in redis_text()
    assert "yara@example.nl" in text  # the open petition keeps its data
    fold()
    assert tallies() == before
    assert count(client, old.slug) == 1
    again = runner.invoke(args=["campaign", "retention", "--dry-run"])
    assert "would anonymise 0" in again.output


def test_no_personal_data_in_logs(app, client, mailbox, run_jobs, caplog):
    petition = factories.petition()
    with caplog.at_level(logging.DEBUG):
        signed_and_confirmed(
            client, mailbox, run_jobs, petition.slug, email="logcheck@example.nl", name="Lotte Logvrij"
        )
    # (The test's own SMTP sink, aiosmtpd's "mail.log", logs what it receives; it is not part of the app.)
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail.log"))
    assert logged  # the workers did log
    assert "logcheck" not in logged and "Logvrij" not in logged and "127.0.0.1" not in logged


def _duplicate_signature_error():
    import sqlalchemy

    from campaign.models import Signature

    petition = factories.petition()
    values = {
        "petition_id": petition.id,
        "name": "Geheime Naam",
        "email": "geheim@example.nl",
        "email_normalised": "geheim@example.nl",
        "consent_version": "v",
        "token": "t" * 40,
    }
    db.session.execute(sqlalchemy.insert(Signature).values(**values))
    try:
        db.session.execute(sqlalchemy.insert(Signature).values(**values))  # the same address twice
    except sqlalchemy.exc.IntegrityError as error:
        return error
    finally:
        db.session.rollback()
    raise AssertionError("the unique constraint did not fire")


def test_database_errors_are_described_without_personal_data(app):
    """What the error handler logs, and what RQ keeps of a failed job, never shows the values sent
    (PostgreSQL's own message names them: DETAIL: Key (...)=(1, geheim@example.nl))."""
    from campaign.dberrors import describe_database_error

    text = describe_database_error(_duplicate_signature_error())
    assert "IntegrityError" in text
    assert "geheim" not in text and "Geheime" not in text


def test_a_failing_job_keeps_no_personal_data_in_redis(app, monkeypatch):
    from campaign.queueing import get_queue
    from workers.runtime import AppContextWorker

    error = _duplicate_signature_error()

    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr("workers.tally.fold", failing)
    queue = get_queue()
    job = queue.enqueue("workers.tally.fold")
    AppContextWorker([queue], app=app).work(burst=True)
    stored = queue.fetch_job(job.id).latest_result().exc_string
    assert "IntegrityError" in stored
    assert "geheim" not in stored and "Geheime" not in stored
