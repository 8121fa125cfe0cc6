"""Where a page may send the browser next: only to a path on this site (`?next=` after login or a
language switch), never to another host."""

from urllib.parse import urlsplit


def local_path(target: str | None) -> str | None:
    """Accept only a path on this site (no scheme, no host, no '//' or backslash tricks)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
