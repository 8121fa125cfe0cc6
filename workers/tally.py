"""Jobs that keep the counts: the fold (frequent, nudged after confirmations) and the reconciliation
(scheduled: recounts the tallies from the signatures, repairs and logs drift)."""

from campaign.abuse.unproven import release_when_switch_off
from campaign.extensions import db
from campaign.metrics.reconcile import count_supporters, petition_ids, reconcile_petition
from campaign.metrics.supporters import recount_if_stale
from campaign.metrics.tally import BATCH, fold_batch
from campaign.models.base import utcnow


def fold() -> int:
    """Fold every out-of-step signature into the tallies, a batch per transaction; then recount the
    people who signed if that number fell behind (campaign.metrics.supporters)."""
    total = 0
    while True:
        folded = fold_batch(BATCH)
        db.session.commit()
        total += folded
        if folded < BATCH:
            break
    if recount_if_stale(utcnow()):
        db.session.commit()
    return total


def reconcile() -> int:
    """Fold first (so only real drift remains), then recount each petition in its own short
    transaction, so a fold waits for one petition at most. Returns how many petitions drifted."""
    # Signed without JavaScript under proof of work: counted once the switch is off again.
    if release_when_switch_off():
        db.session.commit()
    fold()
    drifted = 0
    for petition_id in petition_ids():
        drifted += bool(reconcile_petition(petition_id))
        db.session.commit()
    count_supporters()
    db.session.commit()
    return drifted
