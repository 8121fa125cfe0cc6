"""The campaigners' area at /studio. Every route needs a login; `role_required` narrows it further.

Importing the package registers every route module on the one blueprint `bp` (blueprint.py).
"""

from campaign.web.studio import (  # noqa: F401 - add their routes
    abuse,
    accounts,
    audit_log,
    confirmations,
    deliveries,
    evidence,
    images,
    impact,
    integrations,
    learning,
    petitions,
    privacy,
    reports,
    signatures,
    targets,
    translations,
    updates,
    views,
)
from campaign.web.studio.blueprint import bp

__all__ = ["bp"]
