"""A form's CSRF token made when the form is shown, not when it is built.

Flask-WTF makes the token (a signed, timed value) as every form is built. A sign post that passes
validation is answered with a redirect and never shows it: there it was a tenth of building the
form. Checking the posted token is unchanged (CSRFProtect, then the form).
"""

from flask_wtf import FlaskForm


class _TokenWhenShown:
    def __init__(self, make):
        self._make = make
        self._token = None

    def __str__(self) -> str:
        if self._token is None:
            self._token = self._make()
        return self._token


class CSRFOnDemand(FlaskForm.Meta.csrf_class):
    def generate_csrf_token(self, csrf_token_field):
        make = super().generate_csrf_token
        return _TokenWhenShown(lambda: make(csrf_token_field))
