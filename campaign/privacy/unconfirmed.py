"""Signatures nobody confirmed expire: after UNCONFIRMED_DAYS their personal data is wiped.

A supporter who typed a wrong address signs again with the right one ("Verkeerd e-mailadres?" on
the check-email page); the signature under the wrong address never counted and nobody can
confirm it after this, because its token is wiped too. Its row stays (anonymised, still pending)
so the studio's figures of unconfirmed signatures remain true.
"""

from datetime import datetime, timedelta

from campaign.extensions import db
from campaign.models import Signature, SignatureStatus
from campaign.privacy.wipe import wiped_values


def expire_unconfirmed(now: datetime, days: int) -> list[int]:
    """Wipe pending signatures older than `days`; returns their ids. Flushes; the caller commits."""
    table = Signature.__table__
    return list(
        db.session.execute(
            table.update()
            .where(
                table.c.status == SignatureStatus.PENDING,
                table.c.anonymised_at.is_(None),
                table.c.created_at < now - timedelta(days=days),
            )
            .values(**wiped_values(now))
            .returning(table.c.id)
        ).scalars()
    )
