"""OSDI's record-signature helper, as a verb: the partner's server brings a supporter's signature,
and it goes through the same verb as the sign form (campaign.signing.submit_signature), screened
by the domain rules only (the server's address says nothing about the supporter)."""

from datetime import datetime

from campaign import audit
from campaign.extensions import db
from campaign.models import Petition, Signature
from campaign.signing import SignRequest, normalise_email
from campaign.signing.submit import Refusal, submit_signature


def record_signature(
    petition: Petition, request: SignRequest, *, api_key_id: int, now: datetime
) -> tuple[Refusal | None, Signature | None]:
    """(why not, None) or (None, the signature as stored: new, or the one this address had). Owes
    the double opt-in mail as the sign form does. Flushes; the caller commits."""
    refused = submit_signature(petition, request, ip=None, proof=None, now=now, by_api_key=True)
    if refused is not None:
        return refused, None
    normalised = normalise_email(request.email)[1]
    row = db.session.execute(
        db.select(Signature).where(
            Signature.petition_id == petition.id, Signature.email_normalised == normalised
        )
    ).scalar_one()
    audit.record(
        "api.signature.record",
        f"petition:{petition.id}",
        details=f"api_key:{api_key_id} signature:{row.id}",
        actor=None,  # a partner's server: its key is named in the details
    )
    return None, row


def signature_now(signature_id: int) -> Signature | None:
    """A signature as it is now, for answering a replayed request (confirmed since, or withdrawn)."""
    return db.session.get(Signature, signature_id)
