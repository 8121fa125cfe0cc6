"""The bench database: a schema built from the models, petitions, and signatures inserted in bulk.

The schema comes from `db.create_all()` so that it always matches the models, even while a migration
lags behind them. Bulk rows bypass HTTP: SQLite gets executemany in large transactions, PostgreSQL
gets COPY. Every column the bench does not set explicitly takes the model's default.
"""

import random
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from enum import Enum

from sqlalchemy import text

from campaign.extensions import db
from campaign.models import DeliveryStatus, Petition, PetitionStatus, Signature, SignatureStatus, Theme
from campaign.models.base import utcnow

# Regions as the fold stores them: NL provinces and a few countries.
REGIONS = [
    "NL-NH",
    "NL-ZH",
    "NL-UT",
    "NL-NB",
    "NL-GE",
    "NL-OV",
    "NL-LI",
    "NL-GR",
    "NL-FR",
    "NL-DR",
    "NL-FL",
    "NL-ZE",
    "NL",
    "BE",
    "DE",
    "FR",
    "GB",
]


def reset_schema() -> None:
    """An empty database shaped exactly like the models (the bench database is ours to throw away)."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()
    db.create_all()


def create_petitions(prefix: str, n: int, goal: int = 1_000_000) -> list[Petition]:
    from campaign.seeding import seed_themes

    seed_themes()
    themes = db.session.execute(db.select(Theme).order_by(Theme.position)).scalars().all()
    now = utcnow()
    petitions = []
    for i in range(n):
        body = "Een petitie voor de benchmark.\n\nWij vragen **iedereen** om te tekenen."
        petition = Petition(
            slug=f"{prefix}-{i + 1}" if n > 1 else prefix,
            theme=themes[i % len(themes)],
            title=f"Benchmarkpetitie {prefix} {i + 1}",
            summary="Een petitie om de capaciteit te meten.",
            body=body,
            body_html="<p>Een petitie voor de benchmark.</p><p>Wij vragen <strong>iedereen</strong> om"
            " te tekenen.</p>",
            goal=goal,
            status=PetitionStatus.OPEN,
            opens_at=now - timedelta(days=30),
            closes_at=now + timedelta(days=60),
        )
        db.session.add(petition)
        petitions.append(petition)
    db.session.commit()
    return petitions


def _defaults() -> dict:
    """Values for the columns the bench does not set (added by others meanwhile): the model's defaults."""
    values = {}
    for column in Signature.__table__.columns:
        default = column.default
        if default is None:
            values[column.name] = None
        elif default.is_scalar:
            values[column.name] = default.arg
        elif default.is_callable:
            values[column.name] = default.arg(None)
    return values


def signature_rows(
    petition_id: int, n: int, *, prefix: str, confirmed: bool, days: int = 60, start: int = 1
) -> Iterator[dict]:
    now = utcnow()
    base = _defaults()
    rng = random.Random(petition_id)
    for i in range(start, start + n):
        row = dict(base)
        region = rng.choice(REGIONS)
        when = now - timedelta(seconds=rng.randrange(days * 86400)) if confirmed else now
        row.update(
            {
                "petition_id": petition_id,
                "name": f"Ondertekenaar {i}",
                "email": f"{prefix}-{i}@example.org",
                "email_normalised": f"{prefix}-{i}@example.org",
                "postcode": "3511 AB" if region.startswith("NL") else "",
                "country": "NL" if region.startswith("NL") else region,
                "region": region,
                "consent_version": "bench",
                "consent_at": when,
                "newsletter": False,
                "locale": "nl",
                "status": SignatureStatus.CONFIRMED if confirmed else SignatureStatus.PENDING,
                "token": f"{prefix}-{i}",
                "created_at": when,
                "confirmed_at": when if confirmed else None,
                "confirmed_on": when.date() if confirmed else None,
                "counted": False,
                "mail_due": None,
                "mail_due_at": None,
                "mails_sent": 1,
            }
        )
        row.pop("id", None)
        yield row


def bulk_insert(rows: Iterator[dict], chunk: int = 20_000) -> int:
    """Insert many signature rows fast; returns how many."""
    table = Signature.__table__
    engine = db.engine
    total = 0
    if engine.dialect.name == "postgresql":
        columns = None
        raw = engine.raw_connection()
        try:
            with raw.cursor() as cursor:
                first = next(rows, None)
                if first is None:
                    return 0
                columns = list(first)
                with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                    copy.write_row([_pg(first[c]) for c in columns])
                    total = 1
                    for row in rows:
                        copy.write_row([_pg(row[c]) for c in columns])
                        total += 1
            raw.commit()
        finally:
            raw.close()
        return total
    # SQLite: the driver's executemany with plain tuples, stored as SQLAlchemy stores them.
    first = next(rows, None)
    if first is None:
        return 0
    columns = list(first)
    # Table and column names come from our own metadata, values are bound: nothing user-given here.
    statement = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        batch = [tuple(_sqlite(first[c]) for c in columns)]
        for row in rows:
            batch.append(tuple(_sqlite(row[c]) for c in columns))
            if len(batch) >= chunk:
                cursor.executemany(statement, batch)
                total += len(batch)
                batch = []
        cursor.executemany(statement, batch)
        total += len(batch)
        raw.commit()
    finally:
        raw.close()
    return total


def _sqlite(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    return value


def _pg(value):
    return value.value if isinstance(value, Enum) else value


def fold_everything(batch: int = 50_000) -> tuple[int, float]:
    """Run the platform's own fold until nothing is out of step: the tallies then match the rows exactly."""
    from campaign.metrics.tally import fold_batch

    started, total = time.monotonic(), 0
    while True:
        folded = fold_batch(batch)
        db.session.commit()
        total += folded
        if folded < batch:
            return total, time.monotonic() - started


def stored(petition_id: int, status: str | None = None) -> int:
    """COUNT(*) for the harness's own checks (never on a request path)."""
    query = db.select(db.func.count()).select_from(Signature).where(Signature.petition_id == petition_id)
    if status:
        query = query.where(Signature.status == status)
    value = db.session.execute(query).scalar()
    db.session.rollback()
    return value


def letter_rows(petition_id: int, signature_ids, target_ids, now) -> list[dict]:
    """A letter owed to each target for each signature, as campaign.delivery.queue_letters owes them."""
    return [
        {
            "kind": "letter",
            "key": f"letter:{sid}",
            "petition_id": petition_id,
            "target_id": tid,
            "signature_id": sid,
            "status": DeliveryStatus.QUEUED,
            "attempts": 0,
            "due_at": now,
            "created_at": now,
        }
        for sid in signature_ids
        for tid in target_ids
    ]
