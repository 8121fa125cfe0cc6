"""What every template may use: the locale, formatting, absolute links for sharing."""

from flask import current_app, request
from flask_babel import format_decimal

from campaign.i18n import current_locale


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

    @app.template_global()
    def current_path() -> str:
        return request.full_path.rstrip("?") if request else "/"
