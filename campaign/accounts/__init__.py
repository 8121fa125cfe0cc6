"""Campaigner accounts: passwords (Argon2id), creating accounts, checking a login."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _

from campaign.errors import FieldError
from campaign.extensions import db
from campaign.models import Account, Role

# At or above the OWASP minimum for Argon2id: 19 MiB, t=2, p=1.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verified when the account does not exist, so a login takes as long either way.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

MIN_PASSWORD_LENGTH = 12


class AccountError(FieldError):
    """A rule about accounts said no; `field`: "email", "password", "current" or "role"."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def normalise_login(email: str) -> str:
    return (email or "").strip().lower()


def create_account(email: str, password: str, role: str, name: str = "") -> Account:
    """Flushes; the caller commits."""
    email = normalise_login(email)
    if "@" not in email:
        raise AccountError(_("Dit is geen geldig e-mailadres."), "email")
    check_password_strength(password)
    role = Role(role)
    if db.session.execute(db.select(Account.id).where(Account.email == email)).scalar() is not None:
        raise AccountError(_("Er is al een account met dit e-mailadres."), "email")
    account = Account(email=email, name=name, password_hash=hash_password(password), role=role)
    db.session.add(account)
    db.session.flush()
    return account


def check_password_strength(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        message = _("Kies een wachtwoord van minstens %(n)s tekens.", n=MIN_PASSWORD_LENGTH)
        raise AccountError(message, "password")


def verify_password(account: Account, password: str) -> bool:
    try:
        return _hasher.verify(account.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def authenticate(email: str, password: str) -> Account | None:
    """The active account with this email and password, or None (in the same time either way)."""
    account = db.session.execute(
        db.select(Account).where(Account.email == normalise_login(email))
    ).scalar_one_or_none()
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if account is None or not account.active:
        return None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    return account


def load_session_account(session_id: str) -> Account | None:
    """Flask-Login's user loader: '<id>:<session_version>'."""
    account_id, _, version = (session_id or "").partition(":")
    if not account_id.isdigit() or not version.isdigit():
        return None
    account = db.session.get(Account, int(account_id))
    if account is None or account.session_version != int(version) or not account.active:
        return None
    return account
