"""The supporter's personal link (see, download, withdraw): its own token, not the confirmation token.

The confirmation link travels more (forwarded, scanned, kept in mail archives) and used to open the
supporter's data for as long as the petition was open. The personal token is signed (SECRET_KEY), names
the signature and a fingerprint of its row, and expires after PERSONAL_LINK_DAYS; every mail brings a
fresh one. A wiped or withdrawn signature's row changes, so its old links stop working.
"""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from campaign.extensions import db
from campaign.models import Signature

SALT = "supporter-personal-link"


class LinkExpired(Exception):
    """A genuine personal link, past its lifetime."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(signature) -> str:
    return hashlib.sha256(signature.token.encode()).hexdigest()[:12]


def personal_token(signature) -> str:
    """For a Signature or a row with its id and (confirmation) token."""
    return _serializer().dumps([signature.id, _fingerprint(signature)])


def find_by_personal_token(token: str) -> Signature | None:
    """The signature the link belongs to, None for a link that never was one; LinkExpired when old."""
    if not token or len(token) > 200:
        return None
    max_age = current_app.config["PERSONAL_LINK_DAYS"] * 24 * 3600
    try:
        signature_id, fingerprint = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise LinkExpired from None
    except (BadSignature, ValueError, TypeError):
        return None
    signature = db.session.get(Signature, signature_id) if isinstance(signature_id, int) else None
    if signature is None or signature.anonymised_at is not None or _fingerprint(signature) != fingerprint:
        return None
    return signature
