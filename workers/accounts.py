"""Mail to studio accounts: the invitation to set a password (campaign.accounts.invite_mail)."""

from campaign.accounts.invite_mail import send_invitation
from campaign.extensions import db


def send_invite(account_id: int) -> str:
    sent = send_invitation(account_id)
    db.session.commit()
    return sent
