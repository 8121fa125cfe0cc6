"""The numbers of a four-monthly report, for the section or one theme's petitions.

Signature counts per period come from the daily tallies (a primary-key range per petition); only the
split by province and country reads the signatures themselves, grouped, once per period compared.
Counted means what the public counts: confirmed and not held back as abuse.
"""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, or_

from campaign.extensions import db
from campaign.metrics.figures import PUBLIC
from campaign.models import DailyTally, Delivery, DeliveryKind, DeliveryStatus, Petition, Signature
from campaign.reports.periods import Period


@dataclass(frozen=True)
class Compared:
    """One figure in the period, the period before it, and the same period a year earlier."""

    key: str
    now: int
    previous: int
    year_before: int

    @property
    def change(self) -> int:
        return self.now - self.previous


@dataclass(frozen=True)
class PetitionLine:
    id: int
    slug: str
    title: str
    theme_id: int
    status: str
    signatures_in_period: int
    signatures_total: int  # up to the end of the period


def scope_petitions(theme_id: int | None) -> list[Petition]:
    """The petitions a report covers: every published one (drafts never reach the public)."""
    query = db.select(Petition).where(Petition.published_at.is_not(None)).order_by(Petition.published_at)
    if theme_id is not None:
        query = query.where(Petition.theme_id == theme_id)
    return list(db.session.execute(query).scalars())


def signatures_per_petition(petition_ids: list[int], first, end) -> Counter:
    """Counted signatures per petition confirmed on days in [first, end) (first None: from the start)."""
    if not petition_ids:
        return Counter()
    query = (
        db.select(DailyTally.petition_id, func.sum(DailyTally.confirmed))
        .where(DailyTally.petition_id.in_(petition_ids), DailyTally.day < end)
        .group_by(DailyTally.petition_id)
    )
    if first is not None:
        query = query.where(DailyTally.day >= first)
    return Counter({petition_id: int(total or 0) for petition_id, total in db.session.execute(query)})


def signature_total(petition_ids: list[int], period: Period) -> int:
    return sum(signatures_per_petition(petition_ids, period.start, period.end).values())


def compared_signatures(petition_ids: list[int], period: Period) -> Compared:
    return Compared(
        "signatures",
        signature_total(petition_ids, period),
        signature_total(petition_ids, period.previous()),
        signature_total(petition_ids, period.year_before()),
    )


def _by_place(petition_ids: list[int], period: Period, column) -> Counter:
    if not petition_ids:
        return Counter()
    rows = db.session.execute(
        db.select(column, func.count())
        .where(
            Signature.petition_id.in_(petition_ids),
            Signature.counts,
            Signature.confirmed_on >= period.start,
            Signature.confirmed_on < period.end,
        )
        .group_by(column)
    )
    return Counter({key or "": int(n) for key, n in rows})


def compared_places(petition_ids: list[int], period: Period, column) -> list[Compared]:
    """Signatures per region (NL province, else country) or per country, biggest first."""
    now = _by_place(petition_ids, period, column)
    previous = _by_place(petition_ids, period.previous(), column)
    year_before = _by_place(petition_ids, period.year_before(), column)
    keys = sorted(set(now) | set(previous) | set(year_before), key=lambda k: (-now[k], -previous[k], k))
    return [Compared(key, now[key], previous[key], year_before[key]) for key in keys]


def provinces(petition_ids: list[int], period: Period) -> list[Compared]:
    return [
        row for row in compared_places(petition_ids, period, Signature.region) if row.key.startswith("NL-")
    ]


def countries(petition_ids: list[int], period: Period) -> list[Compared]:
    return compared_places(petition_ids, period, Signature.country)


def _deliveries(petition_ids: list[int], period: Period) -> tuple[Counter, int]:
    """Sent per kind in the period, and how many failed for good (counted when they were created)."""
    if not petition_ids:
        return Counter(), 0
    start, end = period.start_utc, period.end_utc
    rows = db.session.execute(
        db.select(Delivery.kind, Delivery.status, func.count())
        .where(
            Delivery.petition_id.in_(petition_ids),
            or_(
                (Delivery.status == DeliveryStatus.SENT)
                & (Delivery.sent_at >= start)
                & (Delivery.sent_at < end),
                (Delivery.status == DeliveryStatus.FAILED)
                & (Delivery.created_at >= start)
                & (Delivery.created_at < end),
            ),
        )
        .group_by(Delivery.kind, Delivery.status)
    )
    sent, failed = Counter(), 0
    for kind, status, n in rows:
        if status == DeliveryStatus.SENT:
            sent[kind] += int(n)
        else:
            failed += int(n)
    return sent, failed


def compared_deliveries(petition_ids: list[int], period: Period) -> tuple[list[Compared], Compared]:
    now, failed_now = _deliveries(petition_ids, period)
    previous, failed_previous = _deliveries(petition_ids, period.previous())
    year_before, failed_year_before = _deliveries(petition_ids, period.year_before())
    sent = [Compared(kind.value, now[kind], previous[kind], year_before[kind]) for kind in DeliveryKind]
    return sent, Compared("failed", failed_now, failed_previous, failed_year_before)


def petition_lines(petitions: list[Petition], period: Period) -> dict[str, list[PetitionLine]]:
    """The petitions active in the period (public at some moment of it), and those opened and closed in it."""
    start, end = period.start_utc, period.end_utc
    active = [
        p
        for p in petitions
        if p.published_at < end
        and (p.closed_at is None or p.closed_at >= start)
        and (p.status in PUBLIC or p.closed_at)
    ]
    ids = [p.id for p in active]
    in_period = signatures_per_petition(ids, period.start, period.end)
    total = signatures_per_petition(ids, None, period.end)

    def line(p: Petition) -> PetitionLine:
        return PetitionLine(p.id, p.slug, p.title, p.theme_id, p.status, in_period[p.id], total[p.id])

    lines = [line(p) for p in active]
    return {
        "active": lines,
        "opened": [row for row, p in zip(lines, active, strict=True) if start <= p.published_at < end],
        "closed": [
            row for row, p in zip(lines, active, strict=True) if p.closed_at and start <= p.closed_at < end
        ],
    }
