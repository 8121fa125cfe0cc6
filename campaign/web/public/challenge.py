"""The proof-of-work challenge for the ALTCHA widget (shown only on petitions that require it)."""

from campaign.abuse.challenge import new_challenge
from campaign.web.public.views import _public_petition, bp


@bp.get("/petitions/<slug>/challenge.json")
def proof_of_work_challenge(slug: str):
    _public_petition(slug)
    return new_challenge(), 200, {"Cache-Control": "no-store"}
