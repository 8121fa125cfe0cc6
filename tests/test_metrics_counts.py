"""The counters and rollups stay equal to the signature table: under concurrent confirmations and
folds, after invalidations and withdrawals, and after deliberate corruption (the reconciliation)."""

import secrets
import threading
from collections import Counter
from datetime import timedelta

from campaign.extensions import db
from campaign.metrics.regions import region_for
from campaign.models import (
    AuditEvent,
    DailyTally,
    MetricTotal,
    PetitionTally,
    RegionTally,
    Signature,
    SignatureStatus,
)
from campaign.models.base import utcnow
from campaign.signing import confirm_signature
from tests import factories
from workers import tally as tally_jobs
from workers.schedule import recurring_jobs

POSTCODES = [
    ("3511 AB", "NL"),
    ("1011 AB", "NL"),
    ("9711 AA", "NL"),
    ("6211 AA", "NL"),
    ("10115", "DE"),
    ("1000", "BE"),
    ("", "NL"),
]


def pending_signatures(petition, n: int, prefix: str = "s") -> list[Signature]:
    rows = []
    for i in range(n):
        postcode, country = POSTCODES[i % len(POSTCODES)]
        rows.append(
            Signature(
                petition_id=petition.id,
                name=f"Naam {i}",
                email=f"{prefix}{i}@example.nl",
                email_normalised=f"{prefix}{i}@example.nl",
                postcode=postcode,
                country=country,
                region=region_for(postcode, country),
                consent_version="t",
                token=secrets.token_urlsafe(24),
                status=SignatureStatus.PENDING,
            )
        )
    db.session.add_all(rows)
    db.session.commit()
    return rows


def truth() -> tuple[Counter, Counter, Counter]:
    """What the tallies must say, straight from the table (tests may GROUP BY; pages may not)."""
    db.session.expire_all()
    signatures = [s for s in db.session.execute(db.select(Signature)).scalars() if s.counts]
    return (
        Counter(s.petition_id for s in signatures),
        Counter((s.petition_id, s.confirmed_on) for s in signatures),
        Counter((s.petition_id, s.region) for s in signatures),
    )


def tallies() -> tuple[Counter, Counter, Counter]:
    db.session.expire_all()
    totals = Counter(
        {t.petition_id: t.confirmed for t in db.session.execute(db.select(PetitionTally)).scalars()}
    )
    days = Counter(
        {(t.petition_id, t.day): t.confirmed for t in db.session.execute(db.select(DailyTally)).scalars()}
    )
    regions = Counter(
        {(t.petition_id, t.region): t.confirmed for t in db.session.execute(db.select(RegionTally)).scalars()}
    )
    return +totals, +days, +regions  # unary + drops rows that folded down to zero


def run_in_threads(app, work, items, threads=6):
    """Run work(item) for every item from several threads at once, each with its own app context."""
    chunks = [items[i::threads] for i in range(threads)]
    errors = []
    start = threading.Barrier(threads)

    def worker(chunk):
        with app.app_context():
            try:
                start.wait()
                for item in chunk:
                    work(item)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    pool = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    assert not errors, errors


def confirm_at(token_and_time):
    token, when = token_and_time
    confirm_signature(token, when)
    db.session.commit()


def fold_now(_):
    tally_jobs.fold()


def test_concurrent_confirmations_and_folds_count_every_signature_once(app):
    first = factories.petition(slug="eerste")
    second = factories.petition(slug="tweede", theme_slug="discriminatie")
    for petition in (first, second):
        petition.opens_at = utcnow() - timedelta(days=5)
    db.session.commit()
    signatures = pending_signatures(first, 90, "a") + pending_signatures(second, 60, "b")
    now = utcnow()
    # Spread over several days, so the daily rollup has more than one row per petition.
    work = [(s.token, now - timedelta(hours=(i * 7) % 96)) for i, s in enumerate(signatures)]
    run_in_threads(app, confirm_at, work)
    # Folds racing each other (as two workers would) still count every signature once.
    run_in_threads(app, fold_now, list(range(4)), threads=4)

    assert tallies() == truth()
    totals, days, regions = tallies()
    assert totals == {first.id: 90, second.id: 60}
    assert len([key for key in days if key[0] == first.id]) > 1
    assert regions[(first.id, "NL-UT")] == 13 and regions[(second.id, "DE")] > 0


def test_invalidating_and_withdrawing_lower_every_count(app, run_jobs):
    petition = factories.petition()
    signatures = pending_signatures(petition, 20)
    for signature in signatures:
        confirm_signature(signature.token, utcnow())
    db.session.commit()
    tally_jobs.fold()
    assert tallies()[0] == {petition.id: 20}

    utrecht = [s for s in signatures if s.region == "NL-UT"]
    table = Signature.__table__
    db.session.execute(
        table.update().where(table.c.id == utrecht[0].id).values(status=SignatureStatus.INVALIDATED)
    )
    db.session.execute(
        table.update().where(table.c.id == signatures[1].id).values(status=SignatureStatus.WITHDRAWN)
    )
    db.session.commit()
    tally_jobs.fold()

    assert tallies() == truth()
    totals, _, regions = tallies()
    assert totals == {petition.id: 18}
    assert regions[(petition.id, "NL-UT")] == len(utrecht) - 1


def test_pending_signatures_do_not_count(app):
    petition = factories.petition()
    pending_signatures(petition, 5)
    tally_jobs.fold()
    assert tallies() == (Counter(), Counter(), Counter()) == truth()


def _confirmed_petition(n=14):
    petition = factories.petition()
    for signature in pending_signatures(petition, n):
        confirm_signature(signature.token, utcnow())
    db.session.commit()
    tally_jobs.fold()
    return petition


def test_reconciliation_repairs_corrupted_counters_and_logs_it(app, caplog):
    petition = _confirmed_petition()
    expected = truth()
    assert tallies() == expected
    # Corrupt every kind of row: a wrong total, a lost day, a wrong region, a phantom region.
    db.session.get(PetitionTally, petition.id).confirmed = 999
    db.session.execute(db.delete(DailyTally).where(DailyTally.petition_id == petition.id))
    db.session.get(RegionTally, (petition.id, "NL-UT")).confirmed += 5
    db.session.add(RegionTally(petition_id=petition.id, region="FR", confirmed=3))
    db.session.commit()
    assert tallies() != expected

    with caplog.at_level("WARNING", logger="campaign.metrics.reconcile"):
        assert tally_jobs.reconcile() == 1

    assert tallies() == expected == truth()
    [event] = db.session.execute(
        db.select(AuditEvent).where(AuditEvent.action == "metrics.drift_repaired")
    ).scalars()
    assert event.subject == f"petition:{petition.id}" and "999->14" in event.details
    assert "drift repaired" in caplog.text and "@" not in caplog.text  # ids and numbers, no addresses
    assert tally_jobs.reconcile() == 0  # nothing left to repair


def test_reconciliation_without_drift_changes_nothing_and_counts_supporters(app):
    petition = _confirmed_petition(7)
    other = factories.petition(slug="andere")
    # The same people sign a second petition: more signatures, not more supporters.
    for signature in pending_signatures(other, 3):
        confirm_signature(signature.token, utcnow())
    db.session.commit()
    tally_jobs.fold()
    before = tallies()

    assert tally_jobs.reconcile() == 0

    assert tallies() == before == truth()
    assert db.session.execute(db.select(AuditEvent)).first() is None
    assert db.session.get(MetricTotal, "supporters").value == 7
    assert before[0] == {petition.id: 7, other.id: 3}


def test_reconciliation_runs_on_a_schedule(app):
    jobs = {name: interval for name, interval, _ in recurring_jobs(app.config)}
    assert jobs["workers.tally.reconcile"] == app.config["RECONCILE_INTERVAL"] > 0


def test_reconciliation_racing_confirmations_and_folds_sees_no_false_drift(app):
    """The reconciliation holds a petition's tally row while it recounts, so a fold running at the
    same time is never half seen: no drift is reported and the tallies end exact."""
    petition = factories.petition()
    signatures = pending_signatures(petition, 60)
    now = utcnow()

    def step(item):
        kind, value = item
        if kind == "confirm":
            confirm_at((value, now))
            tally_jobs.fold()
        else:
            tally_jobs.reconcile()

    work = [("confirm", s.token) for s in signatures] + [("reconcile", None)] * 12
    run_in_threads(app, step, work, threads=6)
    tally_jobs.fold()

    assert tallies() == truth()
    assert tallies()[0] == {petition.id: 60}
    assert (
        db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "metrics.drift_repaired")).first()
        is None
    )
