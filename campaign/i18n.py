"""Language: Dutch by default; `?lang=xx` on any public page (remembered in a cookie), /taal/xx, or,
on a petition, the browser's Accept-Language among the languages that petition is published in.

Adding an interface language: `make translations-init LOCALE=xx`, translate the catalogue, add the code
to LANGUAGES (setting). Right-to-left scripts are recognised from Babel's locale data.
"""

from contextlib import contextmanager
from functools import cached_property, lru_cache

from babel import Locale
from flask import Request, current_app, g, has_request_context, request
from flask_babel import force_locale as _babel_force_locale
from flask_babel import get_locale

LANG_COOKIE = "lang"
LANG_ARG = "lang"


def asked_language() -> str | None:
    """The language this request names with ?lang=, when it is one we offer."""
    code = request.args.get(LANG_ARG)
    return code if code in current_app.config["LANGUAGES"] else None


def remember_asked_language(response):
    """After a request with ?lang=: keep that choice for the pages that follow."""
    if has_request_context() and request.method == "GET" and response.status_code < 400:
        code = asked_language()
        if code and request.cookies.get(LANG_COOKIE) != code:
            set_language_cookie(response, code)
    return response


def set_language_cookie(response, code: str) -> None:
    response.set_cookie(
        LANG_COOKIE,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )


def current_locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


@lru_cache(maxsize=64)
def language_name(code: str) -> str:
    """A language named in itself (Nederlands, English, العربية, Українська), as a switcher shows it."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


@lru_cache(maxsize=64)
def text_direction(code: str) -> str:
    return "rtl" if Locale.parse(code).character_order == "right-to-left" else "ltr"


_WTFORMS_TRANSLATIONS: dict[str, object] = {}


def wtforms_translations():
    """WTForms' own messages (e.g. "Not a valid choice") in the request's language, from a
    per-process cache. Flask-WTF would read and parse WTForms' .mo file again for every request that
    builds a form, though the file never changes while the process runs."""
    from babel import support
    from wtforms.i18n import messages_path

    locale = current_locale()
    translations = _WTFORMS_TRANSLATIONS.get(locale)
    if translations is None:
        translations = support.Translations.load(messages_path(), [get_locale()], domain="wtforms")
        _WTFORMS_TRANSLATIONS[locale] = translations
    return translations


class CampaignRequest(Request):
    @cached_property
    def wtforms_translations(self):
        """Where Flask-WTF looks for them, found on first use: most requests build no form, and the
        locale look-up was a tenth of a health check's CPU when a hook did it for every request."""
        return wtforms_translations()


def keep_asked_language(endpoint: str, values: dict) -> None:
    """url_for on a page opened with ?lang=: links to other public pages carry it on."""
    if not has_request_context() or not endpoint.startswith("public.") or LANG_ARG in values:
        return
    code = g.get("asked_language", False)
    if code is False:
        code = g.asked_language = asked_language()
    if code:
        values[LANG_ARG] = code


@contextmanager
def force_locale(locale: str):
    """Render in another language, e.g. an email in the recipient's language."""
    locale = (
        locale if locale in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]
    )
    with _babel_force_locale(locale):
        yield
