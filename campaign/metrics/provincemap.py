"""A schematic map of the twelve provinces, drawn as a grid of squares (no map service, no data files).

Each letter below is one square of about 14 by 14 km (0.2 degrees of longitude by 0.125 of latitude,
north at the top, from 3.3 E and 53.55 N); the province of a square is the one that covers most of
it, judged by hand from the positions of towns. Borders are therefore approximate and drawn as
steps: a recognisable picture of the country, not a survey map.
"""

from dataclasses import dataclass

from campaign.metrics.regions import PROVINCES

GRID = """
...........FF.F.....
.........FF.FFGGGGG.
........F.FFFFFGGGG.
.......H..FFFFFDDGGG
.......H..FFFFFDDDG.
.......HH.FFFFFDDDG.
......HHHH.VVODDDDD.
......HHHH.VVOOOOD..
......HHH.VVVOOOOO..
......HHHVVVEEOOOOO.
.....ZZHUHUEEEOOOOO.
....ZZZZUUUEEEEEEE..
....ZZZZUUUEEEEEEE..
...ZZZZZZEEEEEEE....
..SZZZZBBBBBBL......
.SSSSBBBBBBBBL......
SSSSSBBBBBBBBLL.....
SSSSSB...BBBBLL.....
SSSS.......BLL......
............LL......
............LL......
...........LLL......
............LL......
"""

LETTERS = {
    "G": "NL-GR",
    "F": "NL-FR",
    "D": "NL-DR",
    "O": "NL-OV",
    "V": "NL-FL",
    "E": "NL-GE",
    "U": "NL-UT",
    "H": "NL-NH",
    "Z": "NL-ZH",
    "S": "NL-ZE",
    "B": "NL-NB",
    "L": "NL-LI",
}
CELL = 20
# From no signatures to the most: light to dark (enough contrast with the white borders).
SHADES = ("#f1f1f1", "#fff3a3", "#ffe600", "#e0a800", "#a86b00", "#5c3a00")


@dataclass(frozen=True)
class ProvinceShape:
    code: str
    name: str
    path: str  # SVG path data: the province's squares
    fill: str
    value: int


@dataclass(frozen=True)
class ProvinceMap:
    width: int
    height: int
    provinces: list[ProvinceShape]
    borders: str  # SVG path data: every edge between two provinces, or a province and the sea


def _rows() -> list[str]:
    return [line for line in GRID.strip("\n").split("\n")]


def cells() -> dict[tuple[int, int], str]:
    """(column, row) -> province code, for every square on land."""
    return {
        (col, row): LETTERS[letter]
        for row, line in enumerate(_rows())
        for col, letter in enumerate(line)
        if letter in LETTERS
    }


def _shade(value: int, top: int) -> str:
    if value <= 0 or top <= 0:
        return SHADES[0]
    step = min(len(SHADES) - 1, 1 + int((len(SHADES) - 2) * value / top))
    return SHADES[step]


def _borders(grid: dict[tuple[int, int], str]) -> str:
    segments = []
    for (col, row), code in grid.items():
        x, y = col * CELL, row * CELL
        if grid.get((col, row - 1)) != code:
            segments.append(f"M{x} {y}h{CELL}")
        if grid.get((col - 1, row)) != code:
            segments.append(f"M{x} {y}v{CELL}")
        if grid.get((col, row + 1)) is None:  # inner edges are drawn once, from the square above
            segments.append(f"M{x} {y + CELL}h{CELL}")
        if grid.get((col + 1, row)) is None:
            segments.append(f"M{x + CELL} {y}v{CELL}")
    return "".join(segments)


def province_map(values: dict[str, int]) -> ProvinceMap:
    """The map with each province shaded by its share of the largest value."""
    grid = cells()
    top = max(values.values(), default=0)
    squares: dict[str, list[str]] = {code: [] for code in PROVINCES}
    for (col, row), code in sorted(grid.items(), key=lambda item: (item[0][1], item[0][0])):
        squares[code].append(f"M{col * CELL} {row * CELL}h{CELL}v{CELL}h-{CELL}z")
    shapes = [
        ProvinceShape(
            code,
            PROVINCES[code],
            "".join(squares[code]),
            _shade(values.get(code, 0), top),
            values.get(code, 0),
        )
        for code in sorted(PROVINCES, key=PROVINCES.get)
    ]
    rows = _rows()
    return ProvinceMap(
        width=max(map(len, rows)) * CELL, height=len(rows) * CELL, provinces=shapes, borders=_borders(grid)
    )
