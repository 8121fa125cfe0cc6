"""A petition's text in other languages: written and published per language by campaigners.

The original (the petition's own language) stays the reference: the letter to officials is always
written from it. A translation reaches supporters only once it is published.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from campaign import audit
from campaign.extensions import db
from campaign.metrics.cache import remember
from campaign.models import Petition, PetitionTranslation
from campaign.petitions.editing import PetitionError
from campaign.petitions.markup import render_markdown


@dataclass
class TranslationDraft:
    language: str
    title: str
    summary: str = ""
    body: str = ""
    share_text: str = ""
    published: bool = False


def translatable_languages(petition: Petition) -> list[str]:
    """The interface languages a translation can be written in (all but the petition's own)."""
    return [code for code in current_app.config["LANGUAGES"] if code != petition.language]


def find_translation(petition: Petition, language: str) -> PetitionTranslation | None:
    return next((t for t in petition.translations if t.language == language), None)


def save_translation(
    petition: Petition, draft: TranslationDraft, actor, now: datetime
) -> PetitionTranslation:
    """Create or update the translation in draft.language. Flushes; the caller commits."""
    if draft.language not in translatable_languages(petition):
        raise PetitionError(_("Kies een andere taal dan die van de petitie zelf."), "language")
    if not (draft.title or "").strip():
        raise PetitionError(_("Vul een titel in."), "title")
    translation = find_translation(petition, draft.language)
    if translation is None:
        translation = PetitionTranslation(petition_id=petition.id, language=draft.language)
        petition.translations.append(translation)
    was_published = translation.published_at is not None
    translation.title = draft.title.strip()
    translation.summary = (draft.summary or "").strip()
    translation.body = draft.body or ""
    translation.body_html = render_markdown(translation.body)
    translation.share_text = (draft.share_text or "").strip()
    translation.published_at = (translation.published_at or now) if draft.published else None
    petition.updated_at = now  # the cached public pages show the change
    db.session.flush()
    action = "published" if draft.published and not was_published else "saved"
    audit.record(
        "petition.translation", f"petition:{petition.id}", details=f"{draft.language} {action}", actor=actor
    )
    return translation


def delete_translation(petition: Petition, language: str, actor, now: datetime) -> bool:
    translation = find_translation(petition, language)
    if translation is None:
        return False
    petition.translations.remove(translation)
    petition.updated_at = now
    db.session.flush()
    audit.record(
        "petition.translation", f"petition:{petition.id}", details=f"{language} deleted", actor=actor
    )
    return True


def published_languages(slug: str | None) -> list[str]:
    """The languages a public petition can be read in, by slug; per-process cache (language choice
    runs on every petition request, before the page cache)."""
    if not slug:
        return []

    def load() -> list[str]:
        petition = db.session.execute(db.select(Petition).where(Petition.slug == slug)).scalar_one_or_none()
        return petition.published_languages() if petition is not None else []

    return remember(("petition-languages", slug), None, current_app.config["PAGE_CACHE_SECONDS"], load)
