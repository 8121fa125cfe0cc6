"""The studio's login policy: refuse while guessing goes on, check the password, keep the record."""

from datetime import datetime
from enum import Enum

from campaign import audit
from campaign.accounts import authenticate
from campaign.accounts.throttle import clear_login_failures, login_refused, note_login_failure
from campaign.models import Account


class LoginResult(Enum):
    OK = "ok"
    WRONG = "wrong"  # no active account with this address and password
    REFUSED = "refused"  # too many failures lately, for this address or from this network


def log_in(email: str, password: str, ip: str, now: datetime) -> tuple[LoginResult, Account | None]:
    """Check a login and record it in the audit log. Flushes; the caller commits, and on OK starts
    the session (Flask-Login) for the account returned."""
    if login_refused(email, ip):
        # Checked before the password, so guessing stops here whether or not the account exists.
        audit.record("account.login_refused", "login", details="too many failures", actor=None)
        return LoginResult.REFUSED, None
    account = authenticate(email, password)
    if account is None:
        note_login_failure(email, ip)
        audit.record("account.login_failed", "login", actor=None)
        return LoginResult.WRONG, None
    clear_login_failures(email)
    account.last_login_at = now
    audit.record("account.login", f"account:{account.id}", actor=account)
    return LoginResult.OK, account
