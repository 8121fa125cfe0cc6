"""The organisation's logo in every mail: a PNG (mail clients do not show SVG) sent inline, in a
multipart/related beside the HTML that shows it by cid: (templates/email/_layout.html)."""

from email.mime.multipart import MIMEMultipart
from functools import cache
from pathlib import Path

from flask import current_app

from campaign import mailwire


def relate_images(message, images) -> None:
    """Put the HTML part and its images in a multipart/related (RFC 2387), where mail clients look
    for cid: URLs; Flask-Mail would add them as attachments beside the text."""
    for part in message.walk():
        if part.get_content_type() != "multipart/alternative":
            continue
        payload = part.get_payload()
        for index, alternative in enumerate(payload):
            if alternative.get_content_type() == "text/html":
                related = MIMEMultipart("related")
                related.attach(alternative)
                for content_id, data in images:
                    related.attach(mailwire.inline_image_part(content_id, data))
                payload[index] = related
        return


# The logo in every mail's header (templates/email/_layout.html): a PNG, as mail clients do not show
# SVG, sent inline rather than linked, so that it shows where remote images are blocked and opening a
# mail never fetches anything from us (nothing that could tell us who read it).
LOGO_CID = "logo@petities"


@cache
def _logo_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


def with_logo(message):
    if message.html and f"cid:{LOGO_CID}" in message.html:
        path = Path(current_app.static_folder) / current_app.config["ORG_LOGO_PNG"]
        message.inline_images = ((LOGO_CID, _logo_bytes(str(path))),)
    return message
