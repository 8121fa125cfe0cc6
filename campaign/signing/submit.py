"""Signing from the petition page: the one verb behind the sign form (the view validates, calls
`submit_signature`, commits, answers).

In order: the petition takes signatures (not closed, not paused), the proof of work if the petition
asks for one, then the screening (abuse flags), the consent version in force and the supporter's
language go with the signature.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.abuse import hash_ip, screen, snapshot
from campaign.abuse.challenge import spend_solution
from campaign.models import Petition
from campaign.models.petition import PetitionGate
from campaign.privacy import current_consent_version
from campaign.signing.emails import normalise_email
from campaign.signing.sign import SignRequest, sign_petition

CLOSED, PAUSED, PROOF_OF_WORK = "closed", "paused", "proof_of_work"
POW_PROBLEMS = {
    "missing": _l("Wacht tot de controle onder het formulier klaar is en verstuur het dan opnieuw."),
    "invalid": _l(
        "De controle onder het formulier is niet gelukt. Laad de pagina opnieuw en probeer het nog eens."
    ),
    "expired": _l(
        "De controle onder het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens."
    ),
    "replayed": _l("Deze controle is al eens gebruikt. Laad de pagina opnieuw en probeer het nog eens."),
}


@dataclass(frozen=True)
class Refusal:
    reason: str  # CLOSED, PAUSED or PROOF_OF_WORK
    message: str  # for the supporter, in their language


def pause_notice(petition: Petition) -> str | None:
    """The message for supporters while signing is paused here or everywhere, else None."""
    message = snapshot().pause_message(petition.id)
    if message is None:
        return None
    return message or _("Tekenen is tijdelijk niet mogelijk. Probeer het later opnieuw; we werken eraan.")


def proof_of_work_required(petition: Petition) -> bool:
    return snapshot().proof_of_work(petition.id)


def not_taking_signatures(petition: Petition, now: datetime) -> Refusal | None:
    """Why this petition takes no signature now (closed, or paused), else None. The page asks first,
    so a closed petition says so whatever was typed; `submit_signature` asks again."""
    if not petition.accepts_signatures(now):
        return Refusal(CLOSED, _("Deze petitie is gesloten en neemt geen handtekeningen meer aan."))
    paused = pause_notice(petition)
    return Refusal(PAUSED, paused) if paused else None


def submit_signature(
    petition: Petition | PetitionGate,
    request: SignRequest,
    *,
    ip: str | None,
    proof: str | None,
    now: datetime,
    by_api_key: bool = False,
) -> Refusal | None:
    """Store a supporter's signature (pending their confirmation), or say why not. Flushes; the
    caller commits. A repeated address is answered like a new one (see sign_petition).

    `by_api_key`: a partner's server recording a signature (campaign.api): there is no browser to
    solve a proof of work, and `ip` is None (the server's address says nothing about the supporter,
    so only the domain rules screen it)."""
    refused = not_taking_signatures(petition, now)
    if refused is not None:
        return refused
    if not by_api_key and proof_of_work_required(petition):
        problem = spend_solution(proof)
        if problem:
            return Refusal(PROOF_OF_WORK, str(POW_PROBLEMS[problem]))
    _typed, normalised = normalise_email(request.email)
    stored = replace(
        request,
        consent_version=request.consent_version or current_consent_version(),
        ip_hash=hash_ip(ip) if ip is not None else None,
        flag=screen(petition.id, ip, normalised),
    )
    sign_petition(petition, stored, now)
    return None
