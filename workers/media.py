"""Share cards (campaign.media.cards): drawn here, not in the web request that noticed one missing."""

from campaign.extensions import db
from campaign.media.cards import draw_share_card as draw
from campaign.models import Petition


def draw_share_card(petition_id: int, locale: str, shown: int) -> str | None:
    petition = db.session.get(Petition, petition_id)
    if petition is None or not petition.is_public():
        return None
    return draw(petition, locale, shown)
