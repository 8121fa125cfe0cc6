"""Petitions: writing, publishing and closing them (the studio and the cron call these)."""

from campaign.petitions.editing import (
    PetitionDraft,
    PetitionError,
    create_petition,
    find_by_old_slug,
    update_petition,
)
from campaign.petitions.lifecycle import (
    archive_petition,
    close_due_petitions,
    close_petition,
    publish_petition,
    reopen_petition,
)

__all__ = [
    "PetitionDraft",
    "PetitionError",
    "archive_petition",
    "close_due_petitions",
    "close_petition",
    "create_petition",
    "find_by_old_slug",
    "publish_petition",
    "reopen_petition",
    "update_petition",
]
