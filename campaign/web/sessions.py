"""The session cookie as Flask signs it, with the signing serializer made once per key, not twice a
request: making one serialises an empty dict to learn that the serializer writes text, a tenth of
opening a session. The same cookie, keys (SECRET_KEY_FALLBACKS too) and format."""

from flask.sessions import SecureCookieSessionInterface


class CampaignSessionInterface(SecureCookieSessionInterface):
    def __init__(self):
        self._made = (None, None)

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        made_for, serializer = self._made
        if made_for != keys:
            serializer = super().get_signing_serializer(app)
            self._made = (keys, serializer)
        return serializer
