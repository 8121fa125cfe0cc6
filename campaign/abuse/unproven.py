"""Signatures made without JavaScript while proof of work was on (flag NO_PROOF): the later check.

Proof of work is an attack-time switch. A supporter without JavaScript can still sign then; the
signature is stored, mailed and confirmable, but held back from the counts (flag NO_PROOF). A
campaigner may release it in the studio like any flagged signature; and once the switch is off
again for its petition (the attack is over), the reconciliation job releases those that were
confirmed, so a genuine supporter's signature counts without anyone having to look.
"""

from campaign.abuse.controls import snapshot
from campaign.abuse.screening import NO_PROOF
from campaign.extensions import db
from campaign.models import Signature, SignatureStatus


def release_when_switch_off() -> int:
    """Clear NO_PROOF on confirmed signatures of petitions that no longer ask proof of work.
    Flushes; the caller commits (the fold then counts them). Returns how many were released."""
    current = snapshot()
    table = Signature.__table__
    petition_ids = [
        petition_id
        for petition_id in db.session.execute(
            db.select(table.c.petition_id)
            .where(table.c.flag == NO_PROOF, table.c.status == SignatureStatus.CONFIRMED)
            .distinct()
        ).scalars()
        if not current.proof_of_work(petition_id)
    ]
    if not petition_ids:
        return 0
    return db.session.execute(
        table.update()
        .where(
            table.c.flag == NO_PROOF,
            table.c.status == SignatureStatus.CONFIRMED,
            table.c.petition_id.in_(petition_ids),
        )
        .values(flag=None)
    ).rowcount
