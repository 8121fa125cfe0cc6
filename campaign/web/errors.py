"""Every error a user can cause gets a page in their language and the right status, never a 500."""

from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, default_exceptions

from campaign.dberrors import describe_database_error
from campaign.extensions import db
from campaign.web.hal import api_error
from campaign.web.input_guard import UnusableCharacters

MESSAGES = {
    400: lambda: _("Het verzoek kon niet worden verwerkt. Controleer wat u invulde en probeer het opnieuw."),
    403: lambda: _("U heeft geen toegang tot deze pagina."),
    404: lambda: _("Deze pagina bestaat niet (meer)."),
    405: lambda: _("Deze actie is hier niet mogelijk."),
    410: lambda: _("Deze petitie is gesloten en neemt geen handtekeningen meer aan."),
    413: lambda: _("Wat u verstuurde is te groot."),
    429: lambda: _("U heeft dit te vaak geprobeerd. Wacht even en probeer het dan opnieuw."),
    500: lambda: _("Er ging bij ons iets mis. Probeer het later opnieuw."),
}


def error_page(status: int, message: str | None = None):
    text = message or MESSAGES.get(status, MESSAGES[400])()
    if request.path.startswith("/api/v1/"):  # the OSDI API answers in its own JSON, even outside its routes
        return api_error(status, text)
    if request.accept_mimetypes.best == "application/json" or request.path.endswith(".json"):
        return {"error": text, "status": status}, status
    return render_template("error.html", status=status, message=text), status


def csrf_failed(error):
    """A missing or stale CSRF token (the sign form has its own handler that keeps the input)."""
    return error_page(
        400,
        _(
            "Uw sessie is verlopen of het formulier was onvolledig. Laad de pagina opnieuw en probeer het nog eens."
        ),
    )


def unusable_characters(error: UnusableCharacters):
    """Control or bidi characters in the request (the sign form has its own handler that keeps the input)."""
    if request.is_json:
        return {"error": error.user_message, "field": error.where, "status": 400}, 400
    return error_page(400, error.user_message)


def refuse(status: int, message: str):
    """Stop the request with `status` and a message of our own for the error page (raises)."""
    error = default_exceptions[status]()
    error.user_message = message
    raise error


def register(app) -> None:
    app.register_error_handler(CSRFError, csrf_failed)
    app.register_error_handler(UnusableCharacters, unusable_characters)

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code is None or error.code < 400:
            return error
        return error_page(error.code, getattr(error, "user_message", None))

    @app.errorhandler(Exception)
    def unexpected(error):
        # Logged with the request path only: never the form data, which holds personal data.
        if isinstance(error, SQLAlchemyError):  # its text can quote the values (campaign.dberrors)
            app.logger.error(
                "database error on %s %s: %s", request.method, request.path, describe_database_error(error)
            )
        else:
            app.logger.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return error_page(500)
