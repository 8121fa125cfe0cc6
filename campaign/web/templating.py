"""What every template may use: the locale, formatting, absolute links for sharing."""

from flask import current_app, request
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from campaign.i18n import current_locale
from campaign.petitions.plaintext import markdown_to_text


def register(app) -> None:
    @app.context_processor
    def globals_for_templates():
        return {
            "locale": current_locale(),
            "languages": current_app.config["LANGUAGES"],
            "public_url": current_app.config["PUBLIC_URL"],
        }

    @app.template_filter("number")
    def number(value) -> str:
        return format_decimal(value or 0)

    @app.template_filter("percent_of")
    def percent_of(value, goal) -> int:
        return min(100, int(100 * (value or 0) / goal)) if goal else 0

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
