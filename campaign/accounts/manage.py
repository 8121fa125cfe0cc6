"""What admins and account holders do with accounts: invite, change role, deactivate, change password.

Each function flushes and records an audit event; the caller commits. Changing a password or
deactivating bumps `session_version`, which ends the account's other sessions.
"""

import secrets

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from campaign import audit
from campaign.accounts import (
    AccountError,
    check_password_strength,
    create_account,
    hash_password,
    verify_password,
)
from campaign.extensions import db
from campaign.jobs import SEND_INVITE
from campaign.models import Account, Role
from campaign.oneoff_mail import RETRY as ONE_OFF_RETRY
from campaign.queueing import enqueue_after_commit

INVITE_DAYS = 7


def all_accounts() -> list[Account]:
    return db.session.execute(db.select(Account).order_by(Account.email)).scalars().all()


def invite_account(email: str, role: str, name: str, actor) -> Account:
    """An account without a usable password; the invitee sets one through the link in the mail."""
    account = create_account(email, secrets.token_urlsafe(32), role, name=name)
    audit.record("account.invite", f"account:{account.id}", details=f"role={role}", actor=actor)
    enqueue_after_commit(SEND_INVITE, account.id, retry=ONE_OFF_RETRY)
    return account


def add_account(email: str, password: str, role: str, name: str, actor) -> Account:
    account = create_account(email, password, role, name=name)
    audit.record("account.create", f"account:{account.id}", details=f"role={role}", actor=actor)
    return account


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="studio-invite")


def invite_token(account: Account) -> str:
    """Good until the password is set (that bumps session_version) or INVITE_DAYS pass."""
    return _serializer().dumps([account.id, account.session_version])


def account_for_invite(token: str) -> Account | None:
    try:
        account_id, version = _serializer().loads(token, max_age=INVITE_DAYS * 24 * 3600)
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    account = db.session.get(Account, account_id) if isinstance(account_id, int) else None
    if account is None or not account.active or account.session_version != version:
        return None
    return account


def accept_invite(account: Account, password: str) -> None:
    check_password_strength(password)
    _set_password(account, password)
    audit.record("account.invite_accepted", f"account:{account.id}", actor=account)


def change_password(account: Account, current: str, new: str) -> None:
    if not verify_password(account, current):
        raise AccountError(_("Uw huidige wachtwoord klopt niet."), "current")
    check_password_strength(new)
    _set_password(account, new)
    audit.record("account.password_change", f"account:{account.id}", actor=account)


def _set_password(account: Account, password: str) -> None:
    account.password_hash = hash_password(password)
    account.session_version += 1
    db.session.flush()


def end_sessions(account: Account) -> None:
    """Logging out ends the session on the server too: a copy of the cookie (taken before the logout,
    or left on a shared computer) stops working, as do the account's sessions elsewhere."""
    account.session_version += 1
    db.session.flush()
    audit.record("account.logout", f"account:{account.id}", actor=account)


def update_account(account: Account, role: str, active: bool, actor) -> None:
    """Change role or active state; the last active admin cannot be demoted or deactivated."""
    role = Role(role)
    losing_admin = account.role == Role.ADMIN and account.active and (role != Role.ADMIN or not active)
    if losing_admin and _active_admins() <= 1:
        raise AccountError(_("Er moet minstens één actieve beheerder blijven."), "role")
    changes = []
    if account.role != role:
        changes.append(f"role {account.role} -> {role}")
        account.role = role
    if account.active != active:
        changes.append("activated" if active else "deactivated")
        account.active = active
        account.session_version += 1  # a deactivated account's sessions end now
    if changes:
        db.session.flush()
        audit.record("account.update", f"account:{account.id}", details=", ".join(changes), actor=actor)


def _active_admins() -> int:
    return db.session.execute(
        db.select(db.func.count())
        .select_from(Account)
        .where(Account.role == Role.ADMIN, Account.active.is_(True))
    ).scalar()
