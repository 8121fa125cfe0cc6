"""Which delivery rows a sender may claim: the one definition, for the sender and the relay alike."""

from sqlalchemy import and_

from campaign.models import DeliveryStatus


def claimable(table, now, due_by) -> tuple:
    """The two kinds of claimable row, each one range of the (status, due_at) index, so they are asked
    apart: an OR of the two, ordered by due_at, would have SQLite collect and sort every queued row
    for each claim. `now`, `due_by`: values or bind parameters."""
    return (
        and_(table.c.status == DeliveryStatus.QUEUED, table.c.due_at <= due_by),
        and_(table.c.status == DeliveryStatus.SENDING, table.c.lease_until < now),
    )
