"""The directory of targets (officials), reusable across petitions."""

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from campaign import audit
from campaign.errors import FieldError
from campaign.extensions import db
from campaign.models import Target
from campaign.singleline import has_control_characters

LANGUAGES = ("nl", "en")


def all_targets() -> list[Target]:
    return db.session.execute(db.select(Target).order_by(Target.name)).scalars().all()


class TargetError(FieldError):
    """A rule about targets said no."""


@dataclass
class TargetDetails:
    name: str
    email: str
    title: str = ""
    organisation: str = ""
    language: str = "nl"
    region: str | None = None


def clean_details(details: TargetDetails) -> TargetDetails:
    """Trimmed and checked; raises TargetError naming the field. Shared by the form and the CSV import."""
    name = (details.name or "").strip()
    if not name:
        raise TargetError(_("Vul een naam in."), "name")
    try:
        email = validate_email((details.email or "").strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise TargetError(_("Dit is geen geldig e-mailadres."), "email") from None
    language = (details.language or "nl").strip().lower()
    if language not in LANGUAGES:
        raise TargetError(_("Taal moet nl of en zijn."), "language")
    for label, value in (("name", name), ("title", details.title), ("organisation", details.organisation)):
        if len(value or "") > 200:
            raise TargetError(_("Maximaal 200 tekens."), label)
    region = (details.region or "").strip() or None
    # These reach mail headers and letters: a line break would add headers of its own.
    for label, value in (
        ("name", name),
        ("title", details.title),
        ("organisation", details.organisation),
        ("region", region),
    ):
        if has_control_characters(value):
            raise TargetError(_("Gebruik geen regeleinden, tabs of andere stuurtekens."), label)
    if region and len(region) > 64:
        raise TargetError(_("Maximaal 64 tekens."), "region")
    return TargetDetails(
        name=name,
        email=email,
        title=(details.title or "").strip(),
        organisation=(details.organisation or "").strip(),
        language=language,
        region=region,
    )


def find_by_email(email: str) -> Target | None:
    return db.session.execute(db.select(Target).where(Target.email_key == email.lower())).scalar_one_or_none()


def save_target(details: TargetDetails, actor, target: Target | None = None) -> Target:
    """Create a target, or update `target`. Flushes; the caller commits."""
    details = clean_details(details)
    same_email = find_by_email(details.email)
    if same_email is not None and same_email is not target:
        raise TargetError(_("Er staat al een doelwit met dit e-mailadres in de lijst."), "email")
    creating = target is None
    target = target or Target()
    apply_details(target, details)
    db.session.add(target)
    db.session.flush()
    audit.record("target.create" if creating else "target.update", f"target:{target.id}", actor=actor)
    return target


def apply_details(target: Target, details: TargetDetails) -> None:
    target.name, target.email, target.title = details.name, details.email, details.title
    target.organisation, target.language, target.region = (
        details.organisation,
        details.language,
        details.region,
    )
