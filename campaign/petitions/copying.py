"""Duplicating a petition: a new draft with the same text, theme, goal, language, targets and delivery
settings; nothing of its signatures, dates, updates or history."""

from flask_babel import gettext as _

from campaign import audit
from campaign.delivery.settings import settings_for
from campaign.extensions import db
from campaign.models import DeliverySettings, Petition, PetitionStatus
from campaign.petitions.slugs import unique_slug

SETTINGS_COPIED = (
    "letters",
    "letters_per_hour",
    "daytime_only",
    "day_starts",
    "day_ends",
    "digest",
    "csv_fields",
    "milestones",
    "milestone_goal",
    "handover",
)


def duplicate_petition(original: Petition, actor) -> Petition:
    """A draft copy of `original` (flushes; the caller commits)."""
    title = _("Kopie van %(title)s", title=original.title)[:200]
    copy = Petition(
        status=PetitionStatus.DRAFT,
        theme_id=original.theme_id,
        title=title,
        slug=unique_slug(title),
        summary=original.summary,
        body=original.body,
        body_html=original.body_html,
        goal=original.goal,
        language=original.language,
    )
    copy.targets = list(original.targets)
    db.session.add(copy)
    db.session.flush()
    settings = settings_for(original.id)
    if settings is not None:
        db.session.add(
            DeliverySettings(
                petition_id=copy.id, **{name: getattr(settings, name) for name in SETTINGS_COPIED}
            )
        )
    audit.record(
        "petition.duplicate", f"petition:{copy.id}", details=f"from petition:{original.id}", actor=actor
    )
    db.session.flush()
    return copy
