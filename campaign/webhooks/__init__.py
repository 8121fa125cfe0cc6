"""Webhooks: events become outbox rows (one per subscribed endpoint) in the transaction of the change;
workers.webhooks sends them, signed by the Standard Webhooks scheme, with retries and backoff."""

from campaign.webhooks.endpoints import (
    WebhookError,
    add_endpoint,
    endpoint_problem,
    remove_endpoint,
    resume_endpoint,
)
from campaign.webhooks.events import emit, redeliver

__all__ = [
    "WebhookError",
    "add_endpoint",
    "emit",
    "endpoint_problem",
    "redeliver",
    "remove_endpoint",
    "resume_endpoint",
]
