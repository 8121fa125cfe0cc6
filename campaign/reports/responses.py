"""Officials' responses to a petition, recorded by campaigners, for the report's delivery section."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from campaign import audit
from campaign.errors import FieldError
from campaign.extensions import db
from campaign.models import Petition, TargetResponse
from campaign.reports.periods import Period, amsterdam_day


class ResponseError(FieldError):
    """A rule said no; `field` names the form field it is about."""


@dataclass(frozen=True)
class ResponseDetails:
    received_on: date | None
    summary: str
    target_id: int | None = None


def record_response(petition: Petition, details: ResponseDetails, actor, now: datetime) -> TargetResponse:
    """Flushes; the caller commits."""
    if details.received_on is None:
        raise ResponseError(_("Geef een geldige datum."), "received_on")
    if details.received_on > amsterdam_day(now):
        raise ResponseError(_("Deze datum ligt in de toekomst."), "received_on")
    summary = (details.summary or "").strip()
    if not summary:
        raise ResponseError(_("Vat de reactie kort samen."), "summary")
    if len(summary) > 2000:
        raise ResponseError(_("Maximaal 2000 tekens."), "summary")
    if details.target_id is not None and details.target_id not in {t.id for t in petition.targets}:
        raise ResponseError(_("Kies een van de mogelijkheden uit de lijst."), "target_id")
    response = TargetResponse(
        petition_id=petition.id,
        target_id=details.target_id,
        received_on=details.received_on,
        summary=summary,
        created_by=getattr(actor, "id", None),
        created_at=now,
    )
    db.session.add(response)
    db.session.flush()
    audit.record("response.record", f"petition:{petition.id}", details=f"response:{response.id}", actor=actor)
    return response


def delete_response(response: TargetResponse, actor) -> None:
    audit.record(
        "response.delete", f"petition:{response.petition_id}", details=f"response:{response.id}", actor=actor
    )
    db.session.delete(response)
    db.session.flush()


def petition_responses(petition_id: int) -> list[TargetResponse]:
    return list(
        db.session.execute(
            db.select(TargetResponse)
            .where(TargetResponse.petition_id == petition_id)
            .order_by(TargetResponse.received_on.desc(), TargetResponse.id.desc())
        ).scalars()
    )


def responses_in(petition_ids: list[int], period: Period) -> list[TargetResponse]:
    if not petition_ids:
        return []
    return list(
        db.session.execute(
            db.select(TargetResponse)
            .where(
                TargetResponse.petition_id.in_(petition_ids),
                TargetResponse.received_on >= period.start,
                TargetResponse.received_on < period.end,
            )
            .order_by(TargetResponse.received_on, TargetResponse.id)
        ).scalars()
    )
