"""Shared steps of the signing flow, as a browser would take them."""

import re

from tests.conftest import csrf_token

CONFIRM_LINK = re.compile(r"https?://[^/\s]+/signatures/confirm/([A-Za-z0-9_\-]+)")


def sign(client, slug: str, **fields):
    data = {
        "name": "Anna de Vries",
        "email": "anna@example.nl",
        "postcode": "3511 AB",
        "country": "NL",
        "consent": "y",
    }
    data.update(fields)
    data = {key: value for key, value in data.items() if value is not None}
    if "csrf_token" not in data:
        data["csrf_token"] = csrf_token(client, f"/petitions/{slug}")
    return client.post(f"/petitions/{slug}/sign", data=data)


def confirm_token(message) -> str:
    body = message.get_body(("plain",)).get_content()
    match = CONFIRM_LINK.search(body)
    assert match, body
    return match.group(1)


def confirm(client, token: str, csrf: str | None = None):
    """POST the confirmation as the button on the confirm page does (csrf: reuse a token of this session)."""
    form_page = f"/signatures/confirm/{token}"
    return client.post(form_page, data={"csrf_token": csrf or csrf_token(client, form_page)})


def confirm_url(message) -> str:
    """The whole confirmation link in a mail (scheme and host from PUBLIC_URL)."""
    body = message.get_body(("plain",)).get_content()
    match = CONFIRM_LINK.search(body)
    assert match, body
    return match.group(0)
