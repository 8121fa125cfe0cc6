"""What erasing one person's data would touch, before it is done (the studio's confirmation step)."""

from sqlalchemy import func

from campaign.extensions import db
from campaign.models import Petition, Signature
from campaign.signing.emails import InvalidEmail, normalise_email


def erasure_preview(raw_address: str) -> list[tuple[str, int]]:
    """(petition title, signatures) for each petition holding signatures with this address."""
    try:
        _, normalised = normalise_email(raw_address)
    except InvalidEmail:
        return []
    return [
        (title, n)
        for title, n in db.session.execute(
            db.select(Petition.title, func.count())
            .join(Signature, Signature.petition_id == Petition.id)
            .where(Signature.email_normalised == normalised, Signature.anonymised_at.is_(None))
            .group_by(Petition.id, Petition.title)
            .order_by(Petition.title)
        ).all()
    ]
