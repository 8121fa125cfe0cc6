"""Privacy: consent versions, a supporter's own data (see, export, withdraw), erasure and retention.

Wiping keeps what the counts need (status, counted, region, confirmed_on, petition) and nothing that
identifies a person; the unique (petition, email) slot is freed so the address can sign again.
"""

from campaign.privacy.consent import (
    ConsentView,
    add_consent_version,
    consent_versions,
    current_consent,
    current_consent_version,
)
from campaign.privacy.retention import RetentionReport, anonymise_closed, apply_retention, retention_cutoff
from campaign.privacy.wipe import erase_by_email, supporter_data, withdraw_signature

__all__ = [
    "ConsentView",
    "RetentionReport",
    "add_consent_version",
    "anonymise_closed",
    "apply_retention",
    "consent_versions",
    "current_consent",
    "current_consent_version",
    "erase_by_email",
    "retention_cutoff",
    "supporter_data",
    "withdraw_signature",
]
