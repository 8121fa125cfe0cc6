"""The update mail: the campaigner's text (Markdown, rendered and sanitised; as readable plain text in
the text part), greeting by name, and the RFC 8058 headers that let mail clients offer one-click
unsubscribe (`List-Unsubscribe` with our HTTPS link, `List-Unsubscribe-Post`)."""

from campaign.mail import Message, render_message
from campaign.outreach.unsubscribe import unsubscribe_url
from campaign.petitions.markup import render_markdown


def update_message(update, petition, petition_url: str, recipient, body_html: str | None = None) -> Message:
    """`recipient`: anything with signature_id, name, email and locale (a row, or the campaigner
    for a test). `body_html`: the rendered body, when the caller renders it once for many mails."""
    link = unsubscribe_url(recipient.signature_id, update.id)
    message = render_message(
        "update",
        recipient.locale,
        [recipient.email],
        update=update,
        body_html=body_html if body_html is not None else render_markdown(update.body),
        petition=petition,
        petition_url=petition_url,
        name=recipient.name,
        unsubscribe_url=link,
    )
    message.extra_headers = {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return message
