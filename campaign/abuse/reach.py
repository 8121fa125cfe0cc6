"""What a block rule would reach, for the confirmation before it is added (reads only)."""

from sqlalchemy import func, or_

from campaign.abuse.controls import RuleError, clean_rule_value
from campaign.extensions import db
from campaign.models import Signature, SignatureStatus
from campaign.models.abuse import RuleKind


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


def block_reach(kind: str, raw: str) -> tuple[str, int | None]:
    """What blocking `raw` would mean, before the admin confirms: the rule's value as it will be
    stored and, for a domain, how many live signatures it reaches. Raises RuleError for a value
    that is no domain or network."""
    try:
        value = clean_rule_value(RuleKind(kind), raw)
    except ValueError:  # RuleError included: an unknown kind says the same to the admin
        raise RuleError("value") from None
    return value, signatures_from_domain(value) if kind == RuleKind.DOMAIN else None
