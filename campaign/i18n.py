"""Language: Dutch by default, English on request (link in the footer, remembered in a cookie)."""

from contextlib import contextmanager

from flask import current_app, has_request_context, request
from flask_babel import force_locale as _babel_force_locale
from flask_babel import get_locale

LANG_COOKIE = "lang"


def select_locale() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in languages:
        return chosen
    # Dutch unless the visitor chose otherwise: most Dutch supporters run English-language browsers.
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


_WTFORMS_TRANSLATIONS: dict[str, object] = {}


def share_wtforms_translations() -> None:
    """Before each request: WTForms' own messages (e.g. "Not a valid choice") in the request's
    language, from a per-process cache. Flask-WTF would read and parse WTForms' .mo file again for
    every request that builds a form, though the file never changes while the process runs."""
    from babel import support
    from wtforms.i18n import messages_path

    locale = current_locale()
    translations = _WTFORMS_TRANSLATIONS.get(locale)
    if translations is None:
        translations = support.Translations.load(messages_path(), [get_locale()], domain="wtforms")
        _WTFORMS_TRANSLATIONS[locale] = translations
    request.wtforms_translations = translations


@contextmanager
def force_locale(locale: str):
    """Render in another language, e.g. an email in the recipient's language."""
    locale = (
        locale if locale in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]
    )
    with _babel_force_locale(locale):
        yield
