"""Province from postcode: real Dutch postcodes, including places right at the edges of the ranges."""

import pytest

from campaign.metrics.regions import PROVINCES, province_for, region_for

REAL_POSTCODES = [
    # (postcode, place, province)
    ("1011 AB", "Amsterdam", "NL-NH"),
    ("1000 AA", "Amsterdam (postbus, first code)", "NL-NH"),
    ("1211 AA", "Hilversum", "NL-NH"),
    ("1315 AA", "Almere", "NL-FL"),
    ("1381 AA", "Weesp", "NL-NH"),  # just past Almere's range
    ("1391 AA", "Abcoude", "NL-UT"),
    ("1394 AA", "Nederhorst den Berg", "NL-NH"),
    ("1396 AA", "Baambrugge", "NL-UT"),
    ("1398 AA", "Muiden", "NL-NH"),
    ("1421 AA", "Uithoorn", "NL-NH"),
    ("1426 AA", "De Hoef", "NL-UT"),
    ("1431 AA", "Aalsmeer", "NL-NH"),
    ("2011 AA", "Haarlem", "NL-NH"),
    ("2131 AA", "Hoofddorp", "NL-NH"),
    ("2158 AA", "Buitenkaag", "NL-NH"),  # last of the Haarlemmermeer before Lisse
    ("2161 AA", "Lisse", "NL-ZH"),
    ("2165 AA", "Lisserbroek", "NL-NH"),  # one code of Noord-Holland inside Zuid-Holland's
    ("2171 AA", "Sassenheim", "NL-ZH"),
    ("2511 AA", "Den Haag", "NL-ZH"),
    ("3011 AA", "Rotterdam", "NL-ZH"),
    ("3311 AA", "Dordrecht", "NL-ZH"),
    ("3401 AA", "IJsselstein", "NL-UT"),  # first of Utrecht's range
    ("3441 AA", "Woerden", "NL-UT"),
    ("3465 AA", "Driebruggen", "NL-ZH"),
    ("3471 AA", "Kamerik", "NL-UT"),
    ("3511 AB", "Utrecht", "NL-UT"),
    ("3581 AA", "Utrecht", "NL-UT"),
    ("3701 AA", "Zeist", "NL-UT"),
    ("3769 AA", "Soesterberg", "NL-UT"),  # last before Barneveld
    ("3771 AA", "Barneveld", "NL-GE"),
    ("3811 AA", "Amersfoort", "NL-UT"),
    ("3861 AA", "Nijkerk", "NL-GE"),
    ("3891 AA", "Zeewolde", "NL-FL"),
    ("3901 AA", "Veenendaal", "NL-UT"),
    ("3925 AA", "Scherpenzeel", "NL-GE"),
    ("3941 AA", "Doorn", "NL-UT"),
    ("4001 AA", "Tiel", "NL-GE"),
    ("4101 AA", "Culemborg", "NL-GE"),
    ("4131 AA", "Vianen", "NL-UT"),
    ("4141 AA", "Leerdam", "NL-UT"),
    ("4201 AA", "Gorinchem", "NL-ZH"),
    ("4231 AA", "Meerkerk", "NL-UT"),
    ("4251 AA", "Werkendam", "NL-NB"),
    ("4331 AA", "Middelburg", "NL-ZE"),
    ("4381 AA", "Vlissingen", "NL-ZE"),
    ("4461 AA", "Goes", "NL-ZE"),
    ("4531 AA", "Terneuzen", "NL-ZE"),
    ("4611 AA", "Bergen op Zoom", "NL-NB"),
    ("4691 AA", "Tholen", "NL-ZE"),
    ("4701 AA", "Roosendaal", "NL-NB"),
    ("4811 AA", "Breda", "NL-NB"),
    ("5038 AA", "Tilburg", "NL-NB"),
    ("5211 AA", "'s-Hertogenbosch", "NL-NB"),
    ("5301 AA", "Zaltbommel", "NL-GE"),
    ("5331 AA", "Kerkdriel", "NL-GE"),
    ("5341 AA", "Oss", "NL-NB"),
    ("5611 AA", "Eindhoven", "NL-NB"),
    ("5701 AA", "Helmond", "NL-NB"),
    ("5768 AA", "Meijel", "NL-LI"),
    ("5801 AA", "Venray", "NL-LI"),
    ("5831 AA", "Boxmeer", "NL-NB"),
    ("5854 AA", "Bergen (L)", "NL-LI"),
    ("5911 AA", "Venlo", "NL-LI"),
    ("6001 AA", "Weert", "NL-LI"),
    ("6211 AA", "Maastricht", "NL-LI"),
    ("6411 AA", "Heerlen", "NL-LI"),
    ("6511 AA", "Nijmegen", "NL-GE"),
    ("6585 AA", "Mook", "NL-LI"),
    ("6591 AA", "Gennep", "NL-LI"),
    ("6811 AA", "Arnhem", "NL-GE"),
    ("7001 AA", "Doetinchem", "NL-GE"),
    ("7311 AA", "Apeldoorn", "NL-GE"),
    ("7411 AA", "Deventer", "NL-OV"),
    ("7511 AA", "Enschede", "NL-OV"),
    ("7741 AA", "Coevorden", "NL-DR"),
    ("7771 AA", "Hardenberg", "NL-OV"),
    ("7811 AA", "Emmen", "NL-DR"),
    ("7901 AA", "Hoogeveen", "NL-DR"),
    ("7941 AA", "Meppel", "NL-DR"),
    ("7951 AA", "Staphorst", "NL-OV"),
    ("8011 AA", "Zwolle", "NL-OV"),
    ("8051 AA", "Hattem", "NL-GE"),
    ("8061 AA", "Hasselt", "NL-OV"),
    ("8071 AA", "Nunspeet", "NL-GE"),
    ("8081 AA", "Elburg", "NL-GE"),
    ("8101 AA", "Raalte", "NL-OV"),
    ("8161 AA", "Epe", "NL-GE"),
    ("8211 AA", "Lelystad", "NL-FL"),
    ("8251 AA", "Dronten", "NL-FL"),
    ("8261 AA", "Kampen", "NL-OV"),
    ("8301 AA", "Emmeloord", "NL-FL"),
    ("8321 AA", "Urk", "NL-FL"),
    ("8331 AA", "Steenwijk", "NL-OV"),
    ("8381 AA", "Vledder", "NL-DR"),
    ("8391 AA", "Noordwolde", "NL-FR"),
    ("8441 AA", "Heerenveen", "NL-FR"),
    ("8601 AA", "Sneek", "NL-FR"),
    ("8911 AA", "Leeuwarden", "NL-FR"),
    ("9101 AA", "Dokkum", "NL-FR"),
    ("9166 AA", "Schiermonnikoog", "NL-FR"),
    ("9201 AA", "Drachten", "NL-FR"),
    ("9301 AA", "Roden", "NL-DR"),
    ("9351 AA", "Leek", "NL-GR"),
    ("9401 AA", "Assen", "NL-DR"),
    ("9501 AA", "Stadskanaal", "NL-GR"),
    ("9561 AA", "Ter Apel", "NL-GR"),
    ("9601 AA", "Hoogezand", "NL-GR"),
    ("9711 AA", "Groningen", "NL-GR"),
    ("9751 AA", "Haren", "NL-GR"),
    ("9761 AA", "Eelde", "NL-DR"),
    ("9901 AA", "Appingedam", "NL-GR"),
    ("9999 XL", "Stitswerd (last code)", "NL-GR"),
]


@pytest.mark.parametrize("postcode,place,province", REAL_POSTCODES, ids=[p[1] for p in REAL_POSTCODES])
def test_real_postcodes_land_in_their_province(postcode, place, province):
    assert region_for(postcode, "NL") == province, place


def test_every_province_is_reached_and_every_code_has_one():
    assert {province for _, _, province in REAL_POSTCODES} == set(PROVINCES)
    assert all(province_for(n) in PROVINCES for n in range(1000, 10000))


@pytest.mark.parametrize("postcode", ["3511AB", " 3511 ab ", "3511"])
def test_spelling_of_a_postcode_does_not_matter(postcode):
    assert region_for(postcode, "nl") == "NL-UT"


@pytest.mark.parametrize("postcode", ["", "0123 AB", "351 AB", "ABCD", "35111 AB", "3511-AB"])
def test_unreadable_dutch_postcodes_count_for_the_country(postcode):
    assert region_for(postcode, "NL") == "NL"


def test_abroad_the_country_is_the_region():
    assert region_for("10115", "de") == "DE"
    assert region_for("3511 AB", "BE") == "BE"
    assert province_for(999) is None and province_for(10000) is None
