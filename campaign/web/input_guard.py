"""One gate for every request: NUL, other control characters and bidi overrides never get in.

PostgreSQL refuses NUL in text (a 500 that lost the signature), SQLite stores it, and controls or a
right-to-left override in a name or message reach letters and pages looking like something else.
Checked before any view or form runs, in the URL path, the query, form fields and JSON bodies. Tab,
newline and carriage return are allowed in form and JSON text (a textarea sends them), nowhere else.
"""

import re

from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

_BIDI = "\u202a-\u202e\u2066-\u2069"  # embeddings, overrides and isolates (the "Trojan Source" set)
IN_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f{_BIDI}]")
IN_URL = re.compile(f"[\x00-\x1f\x7f{_BIDI}]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class UnusableCharacters(BadRequest):
    """Where the characters were found: "url", or the name of the form field or JSON member."""

    def __init__(self, where: str):
        super().__init__()
        self.where = where
        if where == "url":
            self.user_message = _(
                "Dit adres bevat onzichtbare stuurtekens die we niet kunnen gebruiken. "
                "Controleer de link of typ het adres opnieuw."
            )
        else:
            self.user_message = _(
                "Uw invoer bevat onzichtbare stuur- of richtingstekens die we niet kunnen gebruiken. "
                "Haal ze weg en verstuur het opnieuw."
            )


def strip_unusable(text: str) -> str:
    """The text without what this gate refuses (to show a form again, ready to send)."""
    return IN_TEXT.sub("", text)


def refuse_unusable_characters() -> None:
    if IN_URL.search(request.path):
        raise UnusableCharacters("url")
    for key, values in request.args.lists():
        if any(IN_URL.search(text) for text in (key, *values)):
            raise UnusableCharacters("url")
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return
    if request.mimetype in FORM_TYPES:
        for key, values in request.form.lists():
            if any(IN_TEXT.search(text) for text in (key, *values)):
                raise UnusableCharacters(key)
    elif request.is_json:
        found = _first_unusable(request.get_json(silent=True), "json")
        if found:
            raise UnusableCharacters(found)


def _first_unusable(value, name: str) -> str | None:
    """The name of the first member holding unusable characters, anywhere in a JSON document."""
    if isinstance(value, str):
        return name if IN_TEXT.search(value) else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((name, item) for item in value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and IN_TEXT.search(key):
            return key
        found = _first_unusable(item, key if isinstance(key, str) else name)
        if found:
            return found
    return None
