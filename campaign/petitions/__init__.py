"""Petitions: writing, publishing and closing them (the studio and the cron call these)."""

from campaign.petitions.editing import (
    PetitionDraft,
    PetitionError,
    create_petition,
    update_petition,
)
from campaign.petitions.lifecycle import (
    archive_petition,
    close_due_petitions,
    close_petition,
    publish_petition,
    reopen_petition,
)
from campaign.petitions.lookup import (
    find_by_old_slug,
    find_public_gate,
    find_public_petition,
    public_slug_now,
)

__all__ = [
    "PetitionDraft",
    "PetitionError",
    "archive_petition",
    "close_due_petitions",
    "close_petition",
    "create_petition",
    "find_by_old_slug",
    "find_public_gate",
    "find_public_petition",
    "public_slug_now",
    "publish_petition",
    "reopen_petition",
    "update_petition",
]
