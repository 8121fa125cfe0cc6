"""A supporter's name where others read it (the greeting of our mails, letters to officials).

The name is free text: "Ga eerst naar https://evil.example/verify en log in" would otherwise become
a greeting in our name, or the sender of a letter. Links, web addresses and email addresses are cut
out wherever a name is shown; what is stored stays as typed (the supporter can see it).
"""

import re

_URL = re.compile(
    r"(?i)(?:\b[a-z][a-z0-9+.-]*://|\b(?:https?|mailto|javascript|data|ftp|file|tel|sms):|\bwww\.)\S*"
)
_EMAIL = re.compile(r"\S*@\S*")
# host.tld, host.tld/path: a lower-case top-level domain, or anything followed by a path
_DOMAIN = re.compile(r"(?i)\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:(?-i:[a-z]{2,24})\b|[a-z]{2,24}/)\S*")
_SPACES = re.compile(r"\s+")
_EDGES = " ,;:"  # separators a removed link or address leaves behind


def shown_name(name: str) -> str:
    """The name without links and addresses, whitespace collapsed; may be empty."""
    text = _EMAIL.sub(" ", name or "")
    text = _URL.sub(" ", text)
    text = _DOMAIN.sub(" ", text)
    return _SPACES.sub(" ", text).strip(_EDGES)
