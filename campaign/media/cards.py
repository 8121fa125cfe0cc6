"""A share card per petition: the 1200x630 PNG that Open Graph and Twitter show for its link, with the
title, the theme, the organisation's name and the count, drawn with Pillow and our bundled fonts.

A card is named after a hash of everything on it, with the count rounded down to a step (shown_count),
so it is drawn once per step and language: when a petition page is rendered and no card of that name
exists yet, a worker is asked to draw it (workers.media), never the request itself. Arabic is shaped
and laid out right to left by libraqm.
"""

import hashlib
import io
import logging
import re
from pathlib import Path

import redis
from flask import current_app
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from PIL import Image, ImageDraw, ImageFont, features

from campaign.i18n import force_locale
from campaign.jobs import DRAW_SHARE_CARD
from campaign.media import public_dir, write_once
from campaign.models import Petition
from campaign.queueing import enqueue
from campaign.redis_client import redis_connection

log = logging.getLogger(__name__)

CARD_SIZE = (1200, 630)
CARD_VERSION = "1"  # change to draw every card anew after the design changes
FONTS = Path(__file__).parent / "fonts"
LATIN_BOLD = FONTS / "SourceSans3_700Bold.ttf"
ARABIC_BOLD = FONTS / "NotoSansArabic_700Bold.ttf"
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
YELLOW, INK = (255, 230, 0), (17, 17, 17)
PAD = 64


def shown_count(count: int) -> int:
    """The count rounded down to a step that grows with it: exact below 10, then tens, fifties,
    five hundreds...: a card is drawn again some twenty times per tenfold growth."""
    if count < 10:
        return count
    step = max(10, 10 ** (len(str(count)) - 1) // 2)
    return count // step * step


def share_card_for(petition: Petition, locale: str, count: int) -> str | None:
    """The name of the card for this count under MEDIA_DIR/public when it has been drawn; else None
    (the page names the generic image meanwhile) and a worker is asked to draw it, once. A draft (the
    studio's preview) gets none: nobody shares it yet."""
    if not petition.is_public():
        return None
    shown = shown_count(count)
    name, _lines = card_name(petition, locale, shown)
    try:
        if (public_dir() / name).exists():
            return name
    except OSError:
        log.exception("the media folder cannot be read")
        return None
    _ask_for_card(petition.id, locale, shown, name)
    return None


def _ask_for_card(petition_id: int, locale: str, shown: int, name: str) -> None:
    try:
        if redis_connection().set(f"campaign:share-card:{name}", 1, nx=True, ex=120):
            enqueue(DRAW_SHARE_CARD, petition_id, locale, shown, job_id=f"share-card-{name[:-4]}")
    except redis.RedisError:
        log.warning("redis unavailable; share card left for a later page view")


def draw_share_card(petition: Petition, locale: str, shown: int) -> str:
    """Draw and store the card (a worker's job); a card already there is left as it is."""
    name, lines = card_name(petition, locale, shown)
    folder = public_dir()
    if not (folder / name).exists():
        write_once(folder, name, draw_card(lines, rtl=locale == "ar"))
    return name


def card_name(petition: Petition, locale: str, shown: int) -> tuple[str, dict]:
    """The card's lines and its name: a hash of everything drawn on it."""
    text = petition.text_for(locale)
    with force_locale(locale):
        lines = {
            "title": text.title,
            "theme": petition.theme.name(locale),
            "org": current_app.config["ORG_NAME"],
            "count": _count_line(shown),
            "action": _("Teken de petitie"),
        }
    key = "|".join([CARD_VERSION, str(petition.id), locale, *lines.values()])
    return f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.png", lines


def _count_line(shown: int) -> str:
    if shown == 0:
        return _("Teken als eerste")
    number = format_decimal(shown) + ("+" if shown >= 10 else "")  # rounded down: at least this many
    return ngettext("%(figure)s handtekening", "%(figure)s handtekeningen", shown, figure=number)


def draw_card(lines: dict, rtl: bool = False) -> bytes:
    card = Image.new("RGB", CARD_SIZE, YELLOW)
    draw = ImageDraw.Draw(card)
    width, height = CARD_SIZE
    band = 150  # the black band at the bottom: the count and the call to sign
    start, end = (width - PAD, PAD) if rtl else (PAD, width - PAD)
    anchor = "r" if rtl else "l"

    _write(draw, (start, PAD + 20), lines["org"], 34, INK, anchor + "m")
    theme_y = PAD + 80
    _write(draw, (start, theme_y), lines["theme"], 30, INK, anchor + "t")
    bar_x = (start - 96, start) if rtl else (start, start + 96)
    draw.rectangle((bar_x[0], theme_y + 44, bar_x[1], theme_y + 50), fill=INK)

    title_top, title_bottom = theme_y + 78, height - band - 36
    size, wrapped = _fit_title(
        lines["title"], end - start if not rtl else start - end, title_bottom - title_top
    )
    line_height = round(size * (1.35 if ARABIC.search(lines["title"]) else 1.12))
    for index, line in enumerate(wrapped):
        _write(draw, (start, title_top + index * line_height), line, size, INK, anchor + "t", lines["title"])

    draw.rectangle((0, height - band, width, height), fill=INK)
    middle = height - band // 2
    _write(draw, (start, middle), lines["count"], 52, YELLOW, anchor + "m")
    action_font = _font(lines["action"], 34)
    action_width = draw.textlength(lines["action"], font=action_font, **_dir(lines["action"]))
    box_end = end
    box_start = box_end + action_width + 56 if rtl else box_end - action_width - 56
    left, right = sorted((box_start, box_end))
    draw.rounded_rectangle((left, middle - 36, right, middle + 36), radius=10, fill=YELLOW)
    _write(draw, ((left + right) / 2, middle), lines["action"], 34, INK, "mm")

    out = io.BytesIO()
    card.save(out, "PNG", optimize=True)
    return out.getvalue()


def _fit_title(title: str, width: int, height: int) -> tuple[int, list[str]]:
    """The largest size from 76 down at which the title fits in four lines; cut with an ellipsis
    at the smallest size when even that is too long."""
    for size in range(76, 39, -4):
        font = _font(title, size)
        lines = _wrap(title, font, width)
        if len(lines) <= 4 and len(lines) * size * 1.12 <= height:
            return size, lines
    lines = _wrap(title, _font(title, 40), width)[:4]
    lines[-1] = lines[-1].rstrip(" .,;:") + "…"
    return 40, lines


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and font.getlength(candidate, **_dir(candidate)) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _write(draw, xy, text: str, size: int, fill, anchor: str, font_for: str | None = None) -> None:
    """One line in the font that can write it (`font_for`: the whole text the line was cut from)."""
    draw.text(xy, text, font=_font(font_for or text, size), fill=fill, anchor=anchor, **_dir(text))


def _dir(text: str) -> dict:
    """Arabic is laid out right to left; libraqm (when Pillow has it) shapes the letters too."""
    if ARABIC.search(text) and _has_raqm():
        return {"direction": "rtl", "language": "ar"}
    return {}


_FONT_CACHE: dict = {}


def _font(text: str, size: int) -> ImageFont.FreeTypeFont:
    path = ARABIC_BOLD if ARABIC.search(text) else LATIN_BOLD
    key = (path, size)
    if key not in _FONT_CACHE:
        engine = ImageFont.Layout.RAQM if _has_raqm() else ImageFont.Layout.BASIC
        _FONT_CACHE[key] = ImageFont.truetype(str(path), size, layout_engine=engine)
    return _FONT_CACHE[key]


def _has_raqm() -> bool:
    return features.check("raqm")
