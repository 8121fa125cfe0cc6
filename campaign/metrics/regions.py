"""Where a signature comes from: a Dutch province (ISO 3166-2:NL) from the postcode, else the country.

The province follows from the four digits of the postcode. PostNL's areas were drawn for mail, not
along provincial borders, so the table below is a list of ranges with the exceptions where a
range crosses a border (Weesp and Abcoude in the 13xx, Lisserbroek between Lisse and Hillegom,
Barneveld and Scherpenzeel among the Utrecht codes, the Vijfheerenlanden, Tholen among the Brabant
codes, and so on). Built from the public lists of postcode areas per municipality (PC4, 2024), with
the municipal borders of 2024 (Vijfheerenlanden in Utrecht since 2019). A few hamlets right on a
border may come out in the neighbouring province; for a support map that is well within the noise.
"""

import re
from bisect import bisect_right

PROVINCES = {
    "NL-DR": "Drenthe",
    "NL-FL": "Flevoland",
    "NL-FR": "Fryslân",
    "NL-GE": "Gelderland",
    "NL-GR": "Groningen",
    "NL-LI": "Limburg",
    "NL-NB": "Noord-Brabant",
    "NL-NH": "Noord-Holland",
    "NL-OV": "Overijssel",
    "NL-UT": "Utrecht",
    "NL-ZE": "Zeeland",
    "NL-ZH": "Zuid-Holland",
}

# (first postcode of the range, province); a range runs up to the next one's start.
_RANGES: list[tuple[int, str]] = [
    (1000, "NH"),
    (1300, "FL"),
    (1380, "NH"),
    (1390, "UT"),
    (1394, "NH"),
    (1396, "UT"),
    (1398, "NH"),
    (1426, "UT"),
    (1428, "ZH"),
    (1430, "NH"),
    (2159, "ZH"),
    (2165, "NH"),
    (2166, "ZH"),
    (3400, "UT"),
    (3465, "ZH"),
    (3467, "UT"),
    (3770, "GE"),
    (3790, "UT"),
    (3794, "GE"),
    (3795, "UT"),
    (3837, "GE"),
    (3890, "FL"),
    (3900, "UT"),
    (3925, "GE"),
    (3926, "UT"),
    (4000, "GE"),
    (4120, "UT"),
    (4147, "GE"),
    (4200, "ZH"),
    (4230, "UT"),
    (4240, "ZH"),
    (4243, "UT"),
    (4250, "NB"),
    (4300, "ZE"),
    (4600, "NB"),
    (4672, "ZE"),
    (4680, "NB"),
    (4682, "ZE"),
    (4700, "NB"),
    (5300, "GE"),
    (5336, "NB"),
    (5766, "LI"),
    (5770, "NB"),
    (5800, "LI"),
    (5820, "NB"),
    (5850, "LI"),
    (6500, "GE"),
    (6584, "LI"),
    (6600, "GE"),
    (7400, "OV"),
    (7740, "DR"),
    (7767, "OV"),
    (7800, "DR"),
    (7946, "OV"),
    (7947, "DR"),
    (7950, "OV"),
    (7956, "DR"),
    (8000, "OV"),
    (8050, "GE"),
    (8055, "OV"),
    (8070, "GE"),
    (8100, "OV"),
    (8160, "GE"),
    (8200, "FL"),
    (8260, "OV"),
    (8300, "FL"),
    (8323, "OV"),
    (8380, "DR"),
    (8390, "FR"),
    (9300, "DR"),
    (9350, "GR"),
    (9400, "DR"),
    (9500, "GR"),
    (9510, "DR"),
    (9540, "GR"),
    (9570, "DR"),
    (9580, "GR"),
    (9760, "DR"),
    (9770, "GR"),
]
_STARTS = [start for start, _ in _RANGES]

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
    """The province code (NL-UT) of a four-digit Dutch postcode, or None outside 1000-9999."""
    if not 1000 <= number <= 9999:
        return None
    return "NL-" + _RANGES[bisect_right(_STARTS, number) - 1][1]


def is_province(region: str) -> bool:
    return region in PROVINCES


def country_of(region: str) -> str:
    """The country code of a region: NL for a province (or an unplaceable Dutch postcode)."""
    return "NL" if region.startswith("NL") else region
