"""Which language a request is answered in (Flask-Babel's locale selector, set by the factory):
?lang=, then the visitor's choice (cookie), then, on a petition's pages only, the browser's language
among the petition's published translations; else Dutch."""

from flask import after_this_request, current_app, has_request_context, request

from campaign.i18n import LANG_COOKIE, asked_language
from campaign.petitions.translations import published_languages

PETITION_ENDPOINTS = {"public.petition", "public.sign", "public.check_email", "public.thanks"}


def select_locale() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    asked = asked_language()
    if asked:
        return asked
    # The answer now follows the visitor's cookie, whether or not the session is read.
    after_this_request(_vary_on_cookie)
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in languages:
        return chosen
    # Only where a petition offers its own text in the browser's language: most Dutch supporters run
    # English-language browsers, and the interface alone is no reason to leave Dutch.
    if request.endpoint in PETITION_ENDPOINTS and request.accept_languages:
        offered = [code for code in published_languages(request.view_args.get("slug")) if code in languages]
        best = request.accept_languages.best_match(offered) if len(offered) > 1 else None
        if best:
            return best
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _vary_on_cookie(response):
    response.vary.add("Cookie")
    return response
