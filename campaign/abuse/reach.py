"""What a block rule would reach, for the confirmation before it is added (reads only)."""

from sqlalchemy import func, or_

from campaign.extensions import db
from campaign.models import Signature, SignatureStatus


def signatures_from_domain(domain: str) -> int:
    """Live signatures with an address at `domain` or one of its subdomains (a block rule matches
    both). A scan of the addresses: an admin's occasional question, never on a supporter's path."""
    return db.session.execute(
        db.select(func.count())
        .select_from(Signature)
        .where(
            or_(
                Signature.email_normalised.like(f"%@{domain}", escape="\\"),
                Signature.email_normalised.like(f"%.{domain}", escape="\\"),
            ),
            Signature.status.in_([SignatureStatus.PENDING, SignatureStatus.CONFIRMED]),
        )
    ).scalar()
