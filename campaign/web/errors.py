"""Every error a user can cause gets a page in their language and the right status, never a 500."""

from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from campaign.extensions import db
from campaign.privacy.errors import describe_database_error
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
        from campaign.web.api.osdi import api_error

        return api_error(status, text)
    if request.accept_mimetypes.best == "application/json" or request.path.endswith(".json"):
        return {"error": text, "status": status}, status
    return render_template("error.html", status=status, message=text), status


def refuse(status: int, message: str):
    """Stop the request with `status` and a message of our own for the error page (raises)."""
    from werkzeug.exceptions import default_exceptions

    error = default_exceptions[status]()
    error.user_message = message
    raise error


def register(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        from campaign.web.public.views import form_again_after_csrf

        again = form_again_after_csrf()
        if again is not None:
            return again
        return error_page(
            400,
            _(
                "Uw sessie is verlopen of het formulier was onvolledig. "
                "Laad de pagina opnieuw en probeer het nog eens."
            ),
        )

    @app.errorhandler(UnusableCharacters)
    def unusable_characters(error):
        from campaign.web.public.views import form_again_without_unusable

        if error.where != "url":
            again = form_again_without_unusable()
            if again is not None:
                return again
        if request.is_json:
            return {"error": error.user_message, "field": error.where, "status": 400}, 400
        return error_page(400, error.user_message)

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code is None or error.code < 400:
            return error
        return error_page(error.code, getattr(error, "user_message", None))

    @app.errorhandler(Exception)
    def unexpected(error):
        # Logged with the request path only: never the form data, which holds personal data.
        if isinstance(error, SQLAlchemyError):  # its text can quote the values (campaign.privacy.errors)
            app.logger.error(
                "database error on %s %s: %s", request.method, request.path, describe_database_error(error)
            )
        else:
            app.logger.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return error_page(500)
