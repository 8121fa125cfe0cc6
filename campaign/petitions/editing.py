"""Writing a petition: create and update, with the slug rules.

A draft's slug may change freely. Once a petition has been published its slug is public: changing it
needs an explicit confirmation, and the old slug is kept in `petition_slugs` so shared links redirect.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _

from campaign import audit
from campaign.errors import FieldError
from campaign.extensions import db
from campaign.models import Petition, PetitionSlug, PetitionStatus, Target, Theme
from campaign.petitions.markup import render_markdown
from campaign.singleline import has_control_characters

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGES = ("nl", "en")


class PetitionError(FieldError):
    """A rule about petitions said no."""


@dataclass
class PetitionDraft:
    theme_id: int
    title: str
    slug: str
    summary: str = ""
    body: str = ""
    goal: int = 1000
    language: str = "nl"
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    target_ids: list[int] = field(default_factory=list)


def create_petition(draft: PetitionDraft, actor) -> Petition:
    """A new draft petition. Flushes; the caller commits."""
    _check(draft, None)
    petition = Petition(status=PetitionStatus.DRAFT)
    _apply(petition, draft)
    db.session.add(petition)
    db.session.flush()
    audit.record("petition.create", f"petition:{petition.id}", details=f"slug={petition.slug}", actor=actor)
    return petition


def update_petition(
    petition: Petition, draft: PetitionDraft, actor, confirm_slug_change: bool = False
) -> Petition:
    """Save changes. A published petition's slug changes only with `confirm_slug_change`."""
    _check(draft, petition)
    old_slug = petition.slug
    slug_changes = draft.slug != old_slug
    if slug_changes and petition.published_at is not None:
        if not confirm_slug_change:
            raise PetitionError(
                _(
                    "Deze petitie is al gepubliceerd. Bevestig dat u het webadres wilt wijzigen; "
                    "het oude adres blijft doorverwijzen."
                ),
                "slug",
            )
        _retire_slug(petition, old_slug)
    _apply(petition, draft)
    db.session.flush()
    details = f"slug {old_slug} -> {petition.slug}" if slug_changes else ""
    audit.record("petition.update", f"petition:{petition.id}", details=details, actor=actor)
    return petition


def _retire_slug(petition: Petition, old_slug: str) -> None:
    db.session.add(PetitionSlug(slug=old_slug, petition_id=petition.id))


def _check(draft: PetitionDraft, petition: Petition | None) -> None:
    if has_control_characters(draft.title):  # it becomes the Subject of every mail of the petition
        raise PetitionError(_("Gebruik geen regeleinden, tabs of andere stuurtekens."), "title")
    if not SLUG.match(draft.slug or ""):
        raise PetitionError(
            _("Gebruik alleen kleine letters, cijfers en streepjes, zoals stop-gezichtsherkenning."), "slug"
        )
    taken = db.session.execute(db.select(Petition.id).where(Petition.slug == draft.slug)).scalar()
    retired = db.session.get(PetitionSlug, draft.slug)
    own = petition.id if petition else None
    if (taken is not None and taken != own) or (retired is not None and retired.petition_id != own):
        raise PetitionError(_("Dit webadres is al in gebruik. Kies een ander."), "slug")
    if db.session.get(Theme, draft.theme_id) is None:
        raise PetitionError(_("Kies een thema."), "theme_id")
    if draft.language not in LANGUAGES:
        raise PetitionError(_("Kies Nederlands of Engels."), "language")
    if draft.goal is None or draft.goal < 1:
        raise PetitionError(_("Het doel moet minstens 1 handtekening zijn."), "goal")
    if draft.opens_at and draft.closes_at and draft.closes_at <= draft.opens_at:
        raise PetitionError(_("De sluitingsdatum moet na de openingsdatum liggen."), "closes_at")


def _apply(petition: Petition, draft: PetitionDraft) -> None:
    if petition.id is not None:
        # Reclaiming one of its own earlier slugs: it is current again, no longer a redirect.
        own_old = db.session.get(PetitionSlug, draft.slug)
        if own_old is not None:
            db.session.delete(own_old)
            db.session.flush()
    petition.theme_id = draft.theme_id
    petition.title = draft.title.strip()
    petition.slug = draft.slug
    petition.summary = (draft.summary or "").strip()
    petition.body = draft.body or ""
    petition.body_html = render_markdown(petition.body)
    petition.goal = draft.goal
    petition.language = draft.language
    petition.opens_at = draft.opens_at
    petition.closes_at = draft.closes_at
    targets = (
        db.session.execute(db.select(Target).where(Target.id.in_(draft.target_ids or []))).scalars().all()
    )
    petition.targets = list(targets)
