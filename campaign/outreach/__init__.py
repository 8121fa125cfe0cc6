"""Updates to supporters: a campaigner writes to a petition's confirmed supporters who agreed to hear
more (a victory, the hand-over done, the next step), tests it on themselves, then sends it through an
outbox (campaign.models.outreach) with an RFC 8058 one-click unsubscribe that later updates honour.

Verbs: save_update, recipient_count, send_update (compose); claim_batch, send_claimed (send);
unsubscribe_url, read_unsubscribe_token, unsubscribe (unsubscribe); progress_of (progress).
"""

from campaign.outreach.compose import (
    UpdateError,
    progress_of,
    recipient_count,
    save_update,
    send_test,
    send_update,
    updates_of,
)
from campaign.outreach.unsubscribe import read_unsubscribe_token, unsubscribe, unsubscribe_url

__all__ = [
    "UpdateError",
    "progress_of",
    "read_unsubscribe_token",
    "recipient_count",
    "save_update",
    "send_test",
    "send_update",
    "updates_of",
    "unsubscribe",
    "unsubscribe_url",
]
