"""Pictures the project draws itself, for the demo petitions: abstract shapes per theme in the
yellow-and-black identity. No stock photos, nothing fetched; the same picture every time."""

import math
import random

from PIL import Image, ImageDraw

YELLOW, INK, PAPER, SOFT = (255, 230, 0), (17, 17, 17), (255, 253, 240), (255, 242, 153)
SIZE = (1600, 900)

# A Dutch description per theme, for the image's alt text.
ALT_TEXTS = {
    "rechtsstaat": "Getekende zuilen van een gerechtsgebouw onder een grote gele zon.",
    "technologie": "Een getekend cameraoog met kringen, boven een raster van stippen.",
    "discriminatie": "Rijen getekende cirkels van verschillende tinten, allemaal even groot.",
    "vluchtelingen-en-migratie": "Getekende golven met een klein bootje op weg naar de horizon.",
    "bedrijven": "Een getekende fabriek met schoorstenen en een ketting die breekt.",
}


def draw_theme_picture(slug: str) -> Image.Image:
    image = Image.new("RGB", SIZE, YELLOW)
    draw = ImageDraw.Draw(image)
    shapes = random.Random(slug)  # noqa: S311 - a picture, not a secret
    DRAWERS.get(slug, _circles)(draw, shapes)
    return image


def _columns(draw: ImageDraw.ImageDraw, shapes: random.Random) -> None:
    draw.ellipse((980, 90, 1420, 530), fill=PAPER)
    draw.polygon([(260, 330), (800, 120), (1340, 330)], fill=INK)
    for index in range(6):
        left = 320 + index * 180
        draw.rectangle((left, 380, left + 90, 720), fill=INK)
    draw.rectangle((220, 730, 1380, 790), fill=INK)
    draw.rectangle((160, 800, 1440, 850), fill=INK)


def _camera_eye(draw: ImageDraw.ImageDraw, shapes: random.Random) -> None:
    for row in range(9):
        for column in range(16):
            radius = 6 + shapes.random() * 6
            x, y = 50 + column * 100, 60 + row * 100
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=INK)
    for ring, colour in ((360, PAPER), (290, INK), (210, YELLOW), (140, INK), (60, PAPER)):
        draw.ellipse((800 - ring, 450 - ring, 800 + ring, 450 + ring), fill=colour)


def _circles(draw: ImageDraw.ImageDraw, shapes: random.Random) -> None:
    colours = (INK, PAPER, SOFT, (60, 60, 60), (200, 170, 0))
    for row in range(4):
        for column in range(8):
            x, y = 140 + column * 190, 150 + row * 200
            draw.ellipse((x - 80, y - 80, x + 80, y + 80), fill=shapes.choice(colours), outline=INK, width=6)


def _waves(draw: ImageDraw.ImageDraw, shapes: random.Random) -> None:
    draw.ellipse((1150, 80, 1450, 380), fill=PAPER)
    for band in range(6):
        base = 480 + band * 75
        points = [(x, base + 22 * math.sin(x / 90 + band)) for x in range(0, 1601, 20)]
        draw.line(points, fill=INK, width=14)
    draw.polygon([(560, 430), (820, 430), (780, 490), (600, 490)], fill=INK)
    draw.polygon([(690, 250), (690, 420), (800, 420)], fill=INK)


def _factory(draw: ImageDraw.ImageDraw, shapes: random.Random) -> None:
    draw.rectangle((120, 520, 1000, 800), fill=INK)
    for left in (180, 420, 660):
        draw.polygon([(left, 520), (left + 240, 380), (left + 240, 520)], fill=INK)
    for left, top in ((820, 160), (920, 240)):
        draw.rectangle((left, top, left + 60, 520), fill=INK)
    for index in range(4):
        x = 1060 + index * 130
        y = 450 + (30 if index == 2 else 0)
        draw.ellipse((x, y, x + 180, y + 110), outline=INK, width=26)
    draw.rectangle((0, 810, 1600, 900), fill=INK)


DRAWERS = {
    "rechtsstaat": _columns,
    "technologie": _camera_eye,
    "discriminatie": _circles,
    "vluchtelingen-en-migratie": _waves,
    "bedrijven": _factory,
}
