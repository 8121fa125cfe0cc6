"""What the OSDI API lists: open and closed petitions, and their confirmed, withdrawn or invalidated
signatures, a page at a time, optionally changed since a moment (the `filter` on modified_date)."""

from datetime import datetime

from campaign.api.osdi import LISTED
from campaign.extensions import db
from campaign.models import Petition, PetitionStatus, Signature

_COMPARE = {
    "gt": lambda column, value: column > value,
    "ge": lambda column, value: column >= value,
    "lt": lambda column, value: column < value,
    "le": lambda column, value: column <= value,
    "eq": lambda column, value: column == value,
}


def _listed_petitions():
    return db.select(Petition).where(Petition.status.in_([PetitionStatus.OPEN, PetitionStatus.CLOSED]))


def listed_petition(petition_id: int) -> Petition | None:
    return db.session.execute(_listed_petitions().where(Petition.id == petition_id)).scalar_one_or_none()


def petitions_page(page: int, per_page: int) -> tuple[list[Petition], int]:
    """(the petitions on this page, how many in all)."""
    query = _listed_petitions()
    total = db.session.execute(db.select(db.func.count()).select_from(query.subquery())).scalar()
    rows = db.session.execute(query.order_by(Petition.id).offset((page - 1) * per_page).limit(per_page))
    return list(rows.scalars()), total


def signatures_page(
    petition_id: int, terms: list[tuple[str, datetime]], page: int, per_page: int
) -> tuple[list[Signature], int]:
    """(a petition's listed signatures on this page, oldest change first; how many in all). `terms`:
    the modified_date comparisons of the filter (campaign.api.osdi.modified_filter)."""
    conditions = [Signature.petition_id == petition_id, Signature.status.in_(LISTED)]
    conditions += [_COMPARE[op](Signature.modified_at, value) for op, value in terms]
    total = db.session.execute(db.select(db.func.count()).select_from(Signature).where(*conditions)).scalar()
    rows = db.session.execute(
        db.select(Signature)
        .where(*conditions)
        .order_by(Signature.modified_at, Signature.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return list(rows.scalars()), total


def listed_signature(petition_id: int, signature_id: int) -> Signature | None:
    row = db.session.get(Signature, signature_id)
    if row is None or row.petition_id != petition_id or row.status not in LISTED:
        return None
    return row
