"""Email addresses: validated once, normalised so one person cannot sign twice by case or IDN."""

from functools import lru_cache

from email_validator import EmailNotValidError, validate_email


class InvalidEmail(ValueError):
    pass


# A sign request checks the same address four times (form, disposable list, screening, storing):
# remember the last few results instead of validating again. A handful, so nothing lingers.
@lru_cache(maxsize=16)
def normalise_email(raw: str) -> tuple[str, str]:
    """Return (address as typed but trimmed, normalised address).

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
