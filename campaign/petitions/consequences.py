"""What a step in the studio will do before it is taken: who receives what, how many signatures,
whether it can be undone. Reads only; the confirmation pages show it."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app

from campaign.delivery.settings import settings_for
from campaign.extensions import db
from campaign.metrics.counts import petition_count
from campaign.models import Delivery, DeliveryKind, DeliveryStatus, Petition, Target


@dataclass
class Consequences:
    signatures: int  # confirmed and counted (the public count)
    targets: list[Target] = field(default_factory=list)
    handover: bool = False  # the step mails the hand-over (count and full list) to the targets
    already_handed_over: list[str] = field(default_factory=list)  # targets that have it already
    letters_stop: bool = False  # letters per supporter stop (closing)
    digests_stop: bool = False
    undo_minutes: int = 0  # how long the hand-over waits, cancellable, before it leaves
    leaves_at: datetime | None = None


def _undo_minutes() -> int:
    return int(current_app.config["HANDOVER_UNDO_MINUTES"])


def _handed_over(petition_id: int) -> list[str]:
    return (
        db.session.execute(
            db.select(Target.name)
            .join(Delivery, Delivery.target_id == Target.id)
            .where(
                Delivery.petition_id == petition_id,
                Delivery.kind == DeliveryKind.HANDOVER,
                Delivery.status.in_([DeliveryStatus.SENT, DeliveryStatus.SENDING]),
            )
            .order_by(Target.name)
        )
        .scalars()
        .all()
    )


def of_closing(petition: Petition, now: datetime) -> Consequences:
    settings = settings_for(petition.id)
    minutes = _undo_minutes()
    handover = bool(settings and settings.handover and petition.targets)
    return Consequences(
        signatures=petition_count(petition.id).confirmed,
        targets=list(petition.targets),
        handover=handover,
        already_handed_over=_handed_over(petition.id) if handover else [],
        letters_stop=bool(settings and settings.letters and petition.targets),
        digests_stop=bool(settings and settings.digest and petition.targets),
        undo_minutes=minutes,
        leaves_at=now + timedelta(minutes=minutes) if handover else None,
    )


def of_handover(petition: Petition, now: datetime) -> Consequences:
    minutes = _undo_minutes()
    return Consequences(
        signatures=petition_count(petition.id).confirmed,
        targets=list(petition.targets),
        handover=bool(petition.targets),
        already_handed_over=_handed_over(petition.id),
        undo_minutes=minutes,
        leaves_at=now + timedelta(minutes=minutes),
    )


def of_archiving(petition: Petition) -> Consequences:
    return Consequences(signatures=petition_count(petition.id).confirmed)
