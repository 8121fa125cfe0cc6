"""The impact log: campaigners record what changed because of a campaign (plain functions)."""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from campaign.errors import FieldError
from campaign.extensions import db
from campaign.models import ChangeType, Contribution, Outcome, Petition, Theme
from campaign.models.impact import CONTRIBUTOR_LABELS

PAGE_SIZE = 20


class OutcomeError(FieldError):
    """Bad input about an outcome (always names its field)."""


@dataclass(frozen=True)
class OutcomeDetails:
    change_type: str
    happened_on: date
    title: str
    description: str = ""
    source_url: str = ""
    petition_id: int | None = None
    theme_id: int | None = None
    contribution: str = Contribution.UNCLEAR
    contributors: tuple[str, ...] = ()  # keys of CONTRIBUTOR_LABELS
    contributors_other: str = ""  # other parties, comma-separated


def checked_source_url(raw: str) -> str:
    """An http(s) link with a host, or empty; anything else (javascript:, data:, ftp:) is refused."""
    url = (raw or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or any(c in url for c in " \r\n\t<>\"'")
    ):
        raise OutcomeError(_("Geef een link die begint met http:// of https://."), "source_url")
    if len(url) > 1000:
        raise OutcomeError(_("Deze link is te lang (maximaal 1000 tekens)."), "source_url")
    return url


def _checked(details: OutcomeDetails) -> dict:
    if details.change_type not in {key.value for key in ChangeType}:
        raise OutcomeError(_("Kies een type verandering."), "change_type")
    title = (details.title or "").strip()
    if not title:
        raise OutcomeError(_("Geef een korte titel."), "title")
    if len(title) > 200:
        raise OutcomeError(_("De titel is te lang (maximaal 200 tekens)."), "title")
    if details.happened_on is None:
        raise OutcomeError(_("Geef een datum."), "happened_on")
    theme_id = details.theme_id
    if details.petition_id is not None:
        petition = db.session.get(Petition, details.petition_id)
        if petition is None:
            raise OutcomeError(_("Deze petitie bestaat niet."), "petition_id")
        theme_id = petition.theme_id  # a petition's outcome belongs to its theme as well
    elif theme_id is None or db.session.get(Theme, theme_id) is None:
        raise OutcomeError(_("Kies een petitie of een thema."), "theme_id")
    if details.contribution not in {level.value for level in Contribution}:
        raise OutcomeError(_("Kies hoe groot onze bijdrage was."), "contribution")
    if any(key not in CONTRIBUTOR_LABELS for key in details.contributors):
        raise OutcomeError(_("Kies een van de mogelijkheden uit de lijst."), "contributors")
    others = ", ".join(part.strip() for part in (details.contributors_other or "").split(",") if part.strip())
    if len(others) > 300:
        raise OutcomeError(_("Maximaal 300 tekens."), "contributors_other")
    return {
        "contribution": details.contribution,
        "contributors": ",".join(key for key in CONTRIBUTOR_LABELS if key in details.contributors),
        "contributors_other": others,
        "change_type": details.change_type,
        "happened_on": details.happened_on,
        "title": title,
        "description": (details.description or "").strip(),
        "source_url": checked_source_url(details.source_url),
        "petition_id": details.petition_id,
        "theme_id": theme_id,
    }


def record_outcome(details: OutcomeDetails, created_by: int | None) -> Outcome:
    """Store a new outcome. Flushes; the caller commits (and records the audit event)."""
    outcome = Outcome(**_checked(details), created_by=created_by)
    db.session.add(outcome)
    db.session.flush()
    return outcome


def update_outcome(outcome: Outcome, details: OutcomeDetails) -> Outcome:
    for name, value in _checked(details).items():
        setattr(outcome, name, value)
    db.session.flush()
    return outcome


def delete_outcome(outcome: Outcome) -> None:
    db.session.delete(outcome)
    db.session.flush()


def outcomes_for(
    petition_id: int | None = None,
    theme_id: int | None = None,
    change_type: str | None = None,
    page: int = 1,
    limit: int = PAGE_SIZE,
    between: tuple[date, date] | None = None,
) -> list[Outcome]:
    """Outcomes, newest first, narrowed to a petition, a theme (its petitions' included), a type, or
    days in [first, end)."""
    query = (
        db.select(Outcome)
        .options(selectinload(Outcome.reviews), selectinload(Outcome.evidence))
        .order_by(Outcome.happened_on.desc(), Outcome.id.desc())
    )
    if between is not None:
        query = query.where(Outcome.happened_on >= between[0], Outcome.happened_on < between[1])
    if petition_id is not None:
        query = query.where(Outcome.petition_id == petition_id)
    if theme_id is not None:
        query = query.where(Outcome.theme_id == theme_id)
    if change_type is not None:
        query = query.where(Outcome.change_type == change_type)
    return list(db.session.execute(query.offset((page - 1) * limit).limit(limit)).unique().scalars())


def count_outcomes(
    theme_id: int | None = None, change_type: str | None = None, between: tuple[date, date] | None = None
) -> int:
    query = db.select(db.func.count(Outcome.id))
    if between is not None:
        query = query.where(Outcome.happened_on >= between[0], Outcome.happened_on < between[1])
    if theme_id is not None:
        query = query.where(Outcome.theme_id == theme_id)
    if change_type is not None:
        query = query.where(Outcome.change_type == change_type)
    return db.session.execute(query).scalar_one()
