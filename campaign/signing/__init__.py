"""Signing a petition and confirming the signature: plain functions, no request objects."""

from campaign.signing.confirm import ConfirmResult, confirm_signature, find_by_token
from campaign.signing.emails import InvalidEmail, normalise_email
from campaign.signing.sign import SignRequest, sign_petition
from campaign.signing.submit import (
    CLOSED,
    PAUSED,
    PROOF_OF_WORK,
    Refusal,
    not_taking_signatures,
    pause_notice,
    proof_of_work_required,
    submit_signature,
)

__all__ = [
    "CLOSED",
    "PAUSED",
    "PROOF_OF_WORK",
    "ConfirmResult",
    "InvalidEmail",
    "Refusal",
    "SignRequest",
    "confirm_signature",
    "find_by_token",
    "normalise_email",
    "not_taking_signatures",
    "pause_notice",
    "proof_of_work_required",
    "sign_petition",
    "submit_signature",
]
