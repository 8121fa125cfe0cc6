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
from campaign.abuse.screening import NO_PROOF
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


def held_for_no_proof(
    petition: Petition, proof: str | None, no_script: bool, by_api_key: bool = False
) -> bool:
    """Whether this submission is one from a browser without JavaScript under proof of work."""
    return not by_api_key and no_script and not proof and proof_of_work_required(petition)


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
    no_script: bool = False,
) -> Refusal | None:
    """Store a supporter's signature (pending their confirmation), or say why not. Flushes; the
    caller commits. A repeated address is answered like a new one (see sign_petition).

    `by_api_key`: a partner's server recording a signature (campaign.api): there is no browser to
    solve a proof of work, and `ip` is None (the server's address says nothing about the supporter,
    so only the domain rules screen it).

    `no_script`: the browser ran no JavaScript (the form's <noscript> field), so it could not solve
    the proof of work: the signature is stored held back (NO_PROOF, see docs/supporters.md) instead
    of refused."""
    refused = not_taking_signatures(petition, now)
    if refused is not None:
        return refused
    held = None
    if held_for_no_proof(petition, proof, no_script, by_api_key):
        held = NO_PROOF
    elif not by_api_key and proof_of_work_required(petition):
        problem = spend_solution(proof)
        if problem:
            return Refusal(PROOF_OF_WORK, str(POW_PROBLEMS[problem]))
    _typed, normalised = normalise_email(request.email)
    stored = replace(
        request,
        consent_version=request.consent_version or current_consent_version(),
        ip_hash=hash_ip(ip) if ip is not None else None,
        flag=screen(petition.id, ip, normalised) or held,
    )
    sign_petition(petition, stored, now)
    return None
