"""Creating a petition in one flow: officials added inline, and how their mail is delivered.

Officials added to a petition should hear from it without the campaigner having to find the delivery
settings: a petition with targets and no settings gets the defaults (a daily digest of new
signatures and the hand-over at closing); on creation the campaigner chooses in the same form.
"""

from dataclasses import dataclass, replace

from campaign.delivery.settings import settings_for, update_settings
from campaign.models import Petition, Target
from campaign.models.delivery import DigestFrequency
from campaign.petitions.editing import PetitionDraft, create_petition, update_petition
from campaign.petitions.slugs import unique_slug
from campaign.targets import TargetDetails, clean_details, find_by_email, save_target


@dataclass(frozen=True)
class DeliveryChoice:
    digest: str = DigestFrequency.DAILY
    handover: bool = True
    letters: bool = False


DEFAULTS_WITH_TARGETS = DeliveryChoice()


def add_inline_target(petition: Petition, details: TargetDetails, actor) -> Target:
    """Add an official typed into the petition form; one already in the list (same address) is
    linked rather than duplicated. Raises TargetError naming the field. Flushes."""
    cleaned = clean_details(details)
    target = find_by_email(cleaned.email) or save_target(cleaned, actor)
    if target not in petition.targets:
        petition.targets.append(target)
    return target


def settle_delivery(petition: Petition, choice: DeliveryChoice | None = None) -> bool:
    """Give the petition delivery settings: the campaigner's `choice` when given, else the defaults
    once it has targets and no settings yet. True if settings were written. Flushes."""
    if choice is None:
        if not petition.targets or settings_for(petition.id) is not None:
            return False
        choice = DEFAULTS_WITH_TARGETS
    update_settings(petition, digest=choice.digest, handover=choice.handover, letters=choice.letters)
    return True


def save_petition(
    petition: Petition | None,
    draft: PetitionDraft,
    actor,
    *,
    new_target: TargetDetails | None = None,
    delivery: DeliveryChoice | None = None,
    confirm_slug_change: bool = False,
) -> Petition:
    """The studio's petition form, saved: a new petition (`petition` None) or changes to one, the
    official typed inline, and delivery settings (the campaigner's `delivery` on creation; later,
    the defaults once it has officials). With no web address typed, a draft takes its title's and a
    published petition keeps its own. Raises PetitionError or TargetError naming the field. Flushes."""
    if not draft.slug:
        keeps = petition.slug if petition is not None and petition.published_at else ""
        draft = replace(
            draft, slug=keeps or unique_slug(draft.title or "", petition.id if petition else None)
        )
    creating = petition is None
    if creating:
        petition = create_petition(draft, actor)
    else:
        update_petition(petition, draft, actor, confirm_slug_change=confirm_slug_change)
    if new_target is not None:
        add_inline_target(petition, new_target, actor)
    settle_delivery(petition, delivery if creating else None)
    return petition
