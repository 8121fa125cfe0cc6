"""Signing a petition and confirming the signature: plain functions, no request objects."""

from campaign.signing.confirm import ConfirmResult, confirm_signature, find_by_token
from campaign.signing.emails import InvalidEmail, normalise_email
from campaign.signing.sign import SignRequest, sign_petition

__all__ = [
    "ConfirmResult",
    "InvalidEmail",
    "SignRequest",
    "confirm_signature",
    "find_by_token",
    "normalise_email",
    "sign_petition",
]
