"""What the studio's delivery page shows of a petition: its rows, totals per status, blocked targets."""

from dataclasses import dataclass

from sqlalchemy import func

from campaign.extensions import db
from campaign.models import Delivery, DeliveryStatus, Petition, TargetMailHealth


@dataclass
class DeliveryLog:
    page: object  # a page of Delivery rows, newest first
    totals: dict[str, int]  # status -> rows
    blocked_target_ids: set[int]  # targets whose address failed too often


def delivery_log(petition: Petition, status: str = "", per_page: int = 50) -> DeliveryLog:
    """`status`: only rows with this status (anything else: all rows). The page number is the request's."""
    query = db.select(Delivery).where(Delivery.petition_id == petition.id)
    if status in set(DeliveryStatus):
        query = query.where(Delivery.status == status)
    page = db.paginate(query.order_by(Delivery.id.desc()), per_page=per_page, error_out=False)
    totals = dict(
        db.session.execute(
            db.select(Delivery.status, func.count())
            .where(Delivery.petition_id == petition.id)
            .group_by(Delivery.status)
        ).all()
    )
    blocked = db.session.execute(
        db.select(TargetMailHealth.target_id).where(
            TargetMailHealth.target_id.in_([target.id for target in petition.targets]),
            TargetMailHealth.blocked_email.is_not(None),
        )
    ).scalars()
    return DeliveryLog(page, totals, set(blocked))
