"""Creating a petition in one flow: officials added inline, and how their mail is delivered.

Officials added to a petition should hear from it without the campaigner having to find the delivery
settings: a petition with targets and no settings gets the defaults (a daily digest of new
signatures and the hand-over at closing); on creation the campaigner chooses in the same form.
"""

from dataclasses import dataclass

from campaign.delivery.settings import settings_for, update_settings
from campaign.models import Petition, Target
from campaign.models.delivery import DigestFrequency
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
