"""Where a signature comes from: a Dutch province (ISO 3166-2:NL) from the postcode, else the country."""

import re

_NL_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})?\s*$")


def region_for(postcode: str, country: str) -> str:
    country = (country or "NL").upper()
    if country != "NL":
        return country
    match = _NL_POSTCODE.match(postcode or "")
    if not match:
        return "NL"
    return province_for(int(match.group(1))) or "NL"


def province_for(number: int) -> str | None:
    """Placeholder until the postcode table lands (issue: metrics)."""
    return None
