"""Mail to studio accounts: the invitation to set a password."""

from campaign import audit
from campaign.extensions import db
from campaign.mail import public_url, render_message
from campaign.models import Account
from campaign.oneoff_mail import send_one_off


def send_invite(account_id: int) -> str:
    account = db.session.get(Account, account_id)
    if account is None or not account.active or account.last_login_at is not None:
        return "nothing to send"  # gone, or already in: the invitation was used
    from campaign.accounts.manage import INVITE_DAYS, invite_token

    link = public_url("studio.accept_invite", token=invite_token(account))
    message = render_message(
        "studio_invite", "nl", [account.email], account=account, invite_url=link, days=INVITE_DAYS
    )
    failure = send_one_off(message)  # raises for a retry
    account.invite_error = failure.text if failure else None
    if failure:  # the accounts list shows it; the admin can correct the address and invite again
        audit.record("account.invite_failed", f"account:{account.id}", details=failure.text, actor=None)
    db.session.commit()
    return "failed" if failure else "sent"
