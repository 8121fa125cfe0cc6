"""Jobs that keep the counts: the fold (frequent, nudged after confirmations)."""

from campaign.extensions import db
from campaign.metrics.tally import BATCH, fold_batch


def fold() -> int:
    """Fold every out-of-step signature into the tallies, a batch per transaction."""
    total = 0
    while True:
        folded = fold_batch(BATCH)
        db.session.commit()
        total += folded
        if folded < BATCH:
            return total
