"""The worker's reused SMTP connection, now in campaign.mail (supporter mail uses it too)."""

from campaign.mail import IDLE_CHECK, MAX_PER_CONNECTION, send
from campaign.mail import close_connection as close

__all__ = ["IDLE_CHECK", "MAX_PER_CONNECTION", "close", "send"]
