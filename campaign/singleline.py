"""One-line texts that reach mail headers (a petition's title in a Subject, a target's name in To):
a line break there would add headers of its own, or make every mail of the petition unsendable."""

import unicodedata


def has_control_characters(text: str | None) -> bool:
    """Line breaks (CR, LF, U+2028/9), tabs, NUL and the other control characters."""
    return any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in text or "")
