"""Mail to studio accounts: the invitation to set a password."""

from campaign.extensions import db, mail
from campaign.mail import public_url, render_message
from campaign.models import Account


def send_invite(account_id: int) -> str:
    account = db.session.get(Account, account_id)
    if account is None or not account.active or account.last_login_at is not None:
        return "nothing to send"  # gone, or already in: the invitation was used
    from campaign.accounts.manage import INVITE_DAYS, invite_token

    link = public_url("studio.accept_invite", token=invite_token(account))
    mail.send(
        render_message(
            "studio_invite", "nl", [account.email], account=account, invite_url=link, days=INVITE_DAYS
        )
    )
    return "sent"
