"""What every template may use: the locale, formatting, absolute links for sharing."""

from urllib.parse import urlencode

from babel import Locale
from flask import current_app, request
from flask_babel import format_date, format_decimal, format_time
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from campaign.i18n import (
    LANG_ARG,
    current_locale,
    keep_asked_language,
    language_name,
    remember_asked_language,
    text_direction,
)
from campaign.petitions.plaintext import markdown_to_text

# Where the progress bar points next: the first of these above the count (and not past the goal).
STEPS = (100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000)


def next_step(count: int, goal: int) -> int:
    """The next round figure to aim for: the goal itself once it is near, the next step past it after."""
    count = count or 0
    for step in STEPS:
        if count < step and (not goal or step <= goal or count >= goal):
            return step
    return goal if count < goal else count + 1


def country_name(code: str, locale: str) -> str:
    """A country in the reader's language (Babel's names; the code when Babel has none)."""
    return Locale.parse(locale).territories.get(code, code)


def register(app) -> None:
    app.url_defaults(keep_asked_language)
    app.after_request(remember_asked_language)

    @app.context_processor
    def globals_for_templates():
        locale = current_locale()
        config = current_app.config
        return {
            "locale": locale,
            "direction": text_direction(locale),
            "languages": config["LANGUAGES"],
            "public_url": config["PUBLIC_URL"],
            "org": {
                "name": config["ORG_NAME"],
                "url": config["ORG_URL"],
                "email": config["ORG_EMAIL"],
                "phone": config["ORG_PHONE"],
                "address": config["ORG_ADDRESS"],
                "logo": config["ORG_LOGO"],
            },
        }

    app.add_template_global(language_name)

    @app.template_filter("bdi")
    def bdi(value) -> Markup:
        """A name or address inside text in another direction: isolated, so it cannot reorder the text."""
        return Markup("<bdi>{}</bdi>").format(value)

    app.add_template_global(country_name)
    app.add_template_global(text_direction)
    app.add_template_filter(next_step, "next_step")

    @app.template_global()
    def in_language(code: str) -> str:
        """This page's address with ?lang=code (other query arguments kept)."""
        args = [(k, v) for k, v in request.args.items(multi=True) if k != LANG_ARG]
        return request.path + "?" + urlencode([*args, (LANG_ARG, code)])

    @app.template_filter("number")
    def number(value) -> str:
        return format_decimal(value or 0)

    @app.template_filter("percent_of")
    def percent_of(value, goal) -> int:
        return min(100, int(100 * (value or 0) / goal)) if goal else 0

    @app.template_filter("in_words")
    def in_words(value) -> str:
        """A stored UTC moment as people read it, in the page's language and Dutch time: "2 december 2026, 04:10"."""
        return f"{format_date(value, 'long')}, {format_time(value, 'short')}" if value else "–"

    @app.template_filter("percent_text")
    def percent_text(value, goal) -> str:
        """Share of the goal for people to read: one decimal below 10 % (so 0.1 % is not "0 %")."""
        share = min(100.0, 100 * (value or 0) / goal) if goal else 0.0
        return format_decimal(round(share, 1) if share < 10 else int(share))

    app.add_template_filter(state_label, "label")
    app.add_template_filter(markdown_to_text, "plaintext")  # Markdown in the text part of mail

    @app.template_global()
    def current_path() -> str:
        return request.full_path.rstrip("?") if request else "/"


# What a stored code means to a person, in their language (statuses, roles).
STATE_LABELS = {
    "draft": _l("concept"),
    "open": _l("open"),
    "closed": _l("gesloten"),
    "archived": _l("gearchiveerd"),
    "pending": _l("nog niet bevestigd"),
    "confirmed": _l("bevestigd"),
    "invalidated": _l("ongeldig verklaard"),
    "withdrawn": _l("ingetrokken"),
    "sending": _l("wordt verstuurd"),
    "sent": _l("verstuurd"),
    "admin": _l("beheerder"),
    "campaigner": _l("campagnevoerder"),
    "viewer": _l("meelezer"),
}


def state_label(code: str) -> str:
    return str(STATE_LABELS.get(code, code))
