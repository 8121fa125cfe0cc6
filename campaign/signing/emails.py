"""Email addresses: validated once, normalised so one person cannot sign twice by case or IDN."""

from functools import lru_cache

from email_validator import EmailNotValidError, validate_email


class InvalidEmail(ValueError):
    pass


# A handful, so no list of addresses lingers in the process's memory.
@lru_cache(maxsize=16)
def normalise_email(raw: str) -> tuple[str, str]:
    """Return (address as typed but trimmed, normalised address).

    Remembered per process: the sign request's rate limits, form and verb all ask about the same
    address, and validating it (IDNA, the syntax rules) is the costly part. A refused address is
    not remembered (the exception is raised again each time).

    Normalised: trimmed, lower-cased, the domain in punycode (IDNA), so that
    ``JÖRG@Exämple.NL`` and ``jörg@xn--exmple-cua.nl`` are the same supporter.
    """
    typed = raw.strip()
    if any(ch in typed for ch in "\r\n\0"):
        raise InvalidEmail("control characters")
    try:
        checked = validate_email(typed, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError as error:
        raise InvalidEmail(str(error)) from None
    return typed, f"{checked.local_part.lower()}@{checked.ascii_domain.lower()}"


# Providers that deliver a.b.c@ to abc@ (dots in the local part mean nothing there).
DOTS_IGNORED = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def mailbox_of(normalised: str) -> str:
    """The inbox an address reaches: without a +tag, and without dots where the provider ignores
    them, so victim+1@ and v.i.c.t.i.m@gmail.com count as one mailbox for the hourly mail cap."""
    local, _, domain = normalised.rpartition("@")
    local = local.split("+", 1)[0] or local
    if domain in DOTS_IGNORED:
        domain = DOTS_IGNORED[domain]
        local = local.replace(".", "")
    return f"{local}@{domain}"


def has_ascii_local_part(address: str) -> bool:
    """Only SMTPUTF8 can carry a non-ASCII local part (the domain has its punycode form)."""
    return address.rpartition("@")[0].isascii()
