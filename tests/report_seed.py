"""A seeded four-monthly period with known figures: September-December 2025 (period 2025-3), the one
before it (2025-2) and the same one a year earlier (2024-3). Written through the models, then folded
into the tallies as the cron does."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from campaign.extensions import db
from campaign.metrics.counts import forget_cached_counts
from campaign.metrics.regions import region_for
from campaign.metrics.tally import fold_batch
from campaign.models import (
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Evidence,
    Lesson,
    Outcome,
    PetitionStatus,
    Signature,
    SignatureStatus,
)
from tests import factories

PERIOD = "2025-3"


@dataclass
class Seeded:
    tech: object  # petition, theme technologie, open, goal 10
    discrimination: object  # petition, theme discriminatie, opened and closed in the period
    law_outcome: object
    lives_outcome: object


def _signatures(petition, day: date, postcode: str, country: str, n: int) -> None:
    for _ in range(n):
        email = f"{secrets.token_hex(6)}@example.nl"
        confirmed = datetime.combine(day, datetime.min.time()).replace(hour=12)
        db.session.add(
            Signature(
                petition_id=petition.id,
                name="Geheime Naam",
                email=email,
                email_normalised=email,
                postcode=postcode,
                country=country,
                region=region_for(postcode, country),
                consent_version="t",
                token=secrets.token_urlsafe(24),
                status=SignatureStatus.CONFIRMED,
                created_at=confirmed,
                confirmed_at=confirmed,
                confirmed_on=day,
            )
        )


def _delivery(petition, target, kind, key, status, when: datetime) -> None:
    db.session.add(
        Delivery(
            kind=kind,
            key=key,
            petition_id=petition.id,
            target_id=target.id,
            status=status,
            created_at=when,
            due_at=when,
            sent_at=when if status == DeliveryStatus.SENT else None,
        )
    )


def seed_period() -> Seeded:
    tech = factories.petition(
        slug="stop-gezichtsherkenning",
        title="Stop gezichtsherkenning",
        theme_slug="technologie",
        goal=10,
        published_at=datetime(2024, 10, 1),
    )
    discrimination = factories.petition(
        slug="stop-etnisch-profileren",
        title="Stop etnisch profileren",
        theme_slug="discriminatie",
        goal=500,
        status=PetitionStatus.CLOSED,
        published_at=datetime(2025, 9, 15),
        closed_at=datetime(2025, 11, 20, 10),
    )
    # Signatures: 4 a year earlier (Utrecht), 3 the period before (Noord-Holland), 7 in the period
    # (5 Utrecht, 2 Germany) on the technology petition; 2 in the period (Groningen) on the other.
    _signatures(tech, date(2024, 10, 10), "3511 AB", "NL", 4)
    _signatures(tech, date(2025, 6, 1), "1011 AB", "NL", 3)
    _signatures(tech, date(2025, 10, 3), "3511 AB", "NL", 5)
    _signatures(tech, date(2025, 11, 4), "10115", "DE", 2)
    _signatures(discrimination, date(2025, 10, 1), "9711 AA", "NL", 2)
    # An unconfirmed one counts nowhere.
    pending = f"{secrets.token_hex(6)}@example.nl"
    db.session.add(
        Signature(
            petition_id=tech.id,
            name="Niet Bevestigd",
            email=pending,
            email_normalised=pending,
            consent_version="t",
            token=secrets.token_urlsafe(24),
        )
    )
    db.session.commit()
    while fold_batch():
        db.session.commit()
    db.session.commit()
    forget_cached_counts()

    minister = factories.target(name="Minister van Justitie", email="minister@example.org")
    for i in range(3):
        _delivery(
            tech, minister, DeliveryKind.LETTER, f"letter:{i}", DeliveryStatus.SENT, datetime(2025, 10, 5 + i)
        )
    _delivery(tech, minister, DeliveryKind.LETTER, "letter:old", DeliveryStatus.SENT, datetime(2025, 6, 2))
    _delivery(tech, minister, DeliveryKind.DIGEST, "digest:x", DeliveryStatus.FAILED, datetime(2025, 10, 9))
    _delivery(
        discrimination,
        minister,
        DeliveryKind.HANDOVER,
        "handover",
        DeliveryStatus.SENT,
        datetime(2025, 11, 20, 11),
    )

    law = Outcome(
        petition_id=tech.id,
        theme_id=tech.theme_id,
        change_type="law",
        happened_on=date(2025, 10, 5),
        title="Kamer neemt verbod op gezichtsherkenning aan",
        description="Een meerderheid stemde voor de motie.",
        source_url="https://www.tweedekamer.nl/motie/123",
        contribution="significant",
        contributors="international_secretariat",
        contributors_other="Bits of Freedom",
    )
    lives = Outcome(
        petition_id=discrimination.id,
        theme_id=discrimination.theme_id,
        change_type="lives",
        happened_on=date(2025, 12, 1),
        title="Politie stopt met profileren bij controles",
        contribution="partial",
    )
    earlier = Outcome(  # outside the period: not in its report
        theme_id=tech.theme_id,
        change_type="accountability",
        happened_on=date(2025, 5, 1),
        title="Oud resultaat",
    )
    db.session.add_all([law, lives, earlier])
    db.session.flush()
    db.session.add(Evidence(outcome_id=law.id, url="https://www.rijksoverheid.nl/besluit"))
    db.session.add(
        Lesson(
            petition_id=discrimination.id,
            what_worked="Verhalen van getroffenen overtuigden Kamerleden.",
            what_we_change="Eerder samenwerken met lokale organisaties.",
            recorded_at=datetime(2025, 11, 21),
        )
    )
    db.session.commit()
    return Seeded(tech, discrimination, law, lives)
