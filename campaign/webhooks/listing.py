"""What the studio shows of webhooks: the endpoints, each one's message log, the paused ones."""

from campaign.extensions import db
from campaign.models import WebhookEndpoint, WebhookMessage

LOG_PAGE = 50


def paused_endpoint_count() -> int:
    """Active endpoints paused after failing too often (every admin page says so)."""
    return db.session.execute(
        db.select(db.func.count())
        .select_from(WebhookEndpoint)
        .where(WebhookEndpoint.active.is_(True), WebhookEndpoint.paused_at.is_not(None))
    ).scalar()


def all_endpoints() -> list[WebhookEndpoint]:
    """Active ones first."""
    query = db.select(WebhookEndpoint).order_by(WebhookEndpoint.active.desc(), WebhookEndpoint.id)
    return list(db.session.execute(query).scalars())


def message_log(endpoint_id: int, page: int):
    """A page of an endpoint's messages, newest first."""
    query = (
        db.select(WebhookMessage)
        .where(WebhookMessage.endpoint_id == endpoint_id)
        .order_by(WebhookMessage.id.desc())
    )
    return db.paginate(query, page=page, per_page=LOG_PAGE, error_out=False)


def endpoint_message(endpoint_id: int, message_id: int) -> WebhookMessage | None:
    message = db.session.get(WebhookMessage, message_id)
    return message if message is not None and message.endpoint_id == endpoint_id else None
