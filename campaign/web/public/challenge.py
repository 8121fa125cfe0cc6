"""The proof-of-work challenge for the ALTCHA widget (shown only on petitions that require it)."""

from campaign.abuse.challenge import new_challenge
from campaign.web.lookups import public_petition_or_404
from campaign.web.public.blueprint import bp


@bp.get("/petitions/<slug>/challenge.json")
def proof_of_work_challenge(slug: str):
    public_petition_or_404(slug)
    return new_challenge(), 200, {"Cache-Control": "no-store"}
