"""The map of the twelve provinces, drawn server-side as SVG from CBS's generalised boundaries.

The boundaries are CBS's "provincie gegeneraliseerd" 2025 (CC BY 4.0), as the topojson of the
cartomap/nl repository (wgs84/provincie_2025.topojson), vendored in data/ beside this module. They
are projected once per process: an equirectangular projection with longitude scaled by the cosine of
the country's middle latitude, which for a country this small is indistinguishable from a survey
projection at this size. No map library, no JavaScript, no tile server.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from campaign.metrics.regions import PROVINCES

SOURCE = Path(__file__).parent / "data" / "provincie_2025.topojson"
CREDIT_URL = "https://github.com/cartomap/nl"
WIDTH = 400  # SVG units; the height follows from the country's shape
MARGIN = 4
# CBS's statistical province codes to the ISO 3166-2 codes the tallies use.
STATCODES = {
    "PV20": "NL-GR",
    "PV21": "NL-FR",
    "PV22": "NL-DR",
    "PV23": "NL-OV",
    "PV24": "NL-FL",
    "PV25": "NL-GE",
    "PV26": "NL-UT",
    "PV27": "NL-NH",
    "PV28": "NL-ZH",
    "PV29": "NL-ZE",
    "PV30": "NL-NB",
    "PV31": "NL-LI",
}
# No signatures, then up to five steps from light to dark, in the site's yellow-to-brown range.
EMPTY = "#ececec"
SHADES = ("#fff3a3", "#ffe600", "#e0a800", "#a86b00", "#5c3a00")


@dataclass(frozen=True)
class ProvinceShape:
    code: str
    name: str
    path: str  # SVG path data of every part of the province (islands included; holes by even-odd)
    fill: str
    value: int


@dataclass(frozen=True)
class LegendStep:
    fill: str
    low: int
    high: int  # equal to low for the "none" step


@dataclass(frozen=True)
class ProvinceMap:
    width: int
    height: int
    provinces: list[ProvinceShape]
    legend: list[LegendStep]
    credit_url: str = CREDIT_URL

    @property
    def total(self) -> int:
        return sum(p.value for p in self.provinces)


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Topojson's quantised, delta-encoded arcs as lists of (longitude, latitude)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs) -> list[tuple[float, float]]:
    """A closed ring from its arcs; a negative index (~i) is arc i backwards. Arcs share their ends."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _polygons(geometry: dict) -> list[list[list[int]]]:
    return [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]


@cache
def _outlines() -> tuple[int, dict[str, str]]:
    """The height of the drawing and each province's SVG path data; computed once per process."""
    topology = json.loads(SOURCE.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    geometries = topology["objects"]["provincie_2025"]["geometries"]
    rings = {
        STATCODES[g["properties"]["statcode"]]: [_ring(r, arcs) for p in _polygons(g) for r in p]
        for g in geometries
    }
    every = [point for province in rings.values() for ring in province for point in ring]
    west, east = min(p[0] for p in every), max(p[0] for p in every)
    south, north = min(p[1] for p in every), max(p[1] for p in every)
    squeeze = math.cos(math.radians((south + north) / 2))  # a degree of longitude is shorter here
    scale = (WIDTH - 2 * MARGIN) / ((east - west) * squeeze)
    height = round((north - south) * scale) + 2 * MARGIN

    def point(lon: float, lat: float) -> str:
        return f"{(lon - west) * squeeze * scale + MARGIN:.1f} {(north - lat) * scale + MARGIN:.1f}"

    paths = {
        code: "".join("M" + "L".join(point(*p) for p in ring) + "Z" for ring in province)
        for code, province in rings.items()
    }
    return height, paths


def _steps(top: int) -> list[tuple[int, int]]:
    """Up to five value ranges from 1 to top, of equal width (fewer when top is small)."""
    count = min(len(SHADES), max(top, 1))
    bounds = [math.ceil(top * i / count) for i in range(count + 1)]
    return [(bounds[i] + 1, bounds[i + 1]) for i in range(count) if bounds[i + 1] > bounds[i]]


def province_map(values: dict[str, int]) -> ProvinceMap:
    """The map with each province shaded by its value, and the legend of the shades used."""
    height, paths = _outlines()
    top = max(values.values(), default=0)
    steps = _steps(top) if top > 0 else []
    shades = SHADES[len(SHADES) - len(steps) :]  # few steps: the darker end, so they stay visible

    def fill(value: int) -> str:
        for (low, high), shade in zip(steps, shades, strict=True):
            if low <= value <= high:
                return shade
        return EMPTY

    shapes = [
        ProvinceShape(code, PROVINCES[code], paths[code], fill(values.get(code, 0)), values.get(code, 0))
        for code in sorted(PROVINCES, key=PROVINCES.get)
    ]
    legend = [LegendStep(EMPTY, 0, 0)] + [
        LegendStep(shade, low, high) for (low, high), shade in zip(steps, shades, strict=True)
    ]
    return ProvinceMap(width=WIDTH, height=height, provinces=shapes, legend=legend)
