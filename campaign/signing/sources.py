"""Where a signature came from: the campaign's own label on the link (`?bron=nieuwsbrief`), or the
`utm_source` that shared links and ad tools add. Kept short and plain, per signature."""

import re

MAX_LENGTH = 64
_NOT_ALLOWED = re.compile(r"[^a-z0-9._\-]+")


def clean_source(raw) -> str:
    """Lower case, letters, digits, '.', '_' and '-' only (others become '-'), at most 64 characters.
    Anything else a link may carry (markup, addresses, control characters) does not survive."""
    if not isinstance(raw, str):
        return ""
    value = _NOT_ALLOWED.sub("-", raw.strip().lower()).strip("-.")
    return value[:MAX_LENGTH].rstrip("-.")


def source_of(args) -> str:
    """The source named in a request's query string: `bron` first, then `utm_source`."""
    return clean_source(args.get("bron") or args.get("utm_source") or "")
