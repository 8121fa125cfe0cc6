"""Share cards (campaign.media.cards): 1200x630 PNG, named after what is on them, drawn again only
when the count crosses a step, named by the petition page's og:image and twitter:image."""

import io
import re

import pytest
from PIL import Image, features

from campaign.extensions import db
from campaign.media import cards, public_dir
from campaign.media.cards import share_card_for, shown_count
from campaign.models import PetitionTranslation
from campaign.models.base import utcnow
from tests import factories
from tests.delivery_helpers import confirmed
from workers import tally as tally_jobs


@pytest.fixture
def config_overrides(tmp_path):
    return {"MEDIA_DIR": str(tmp_path / "media")}


@pytest.fixture
def drawn(monkeypatch):
    """Counts the real drawings (the real function still draws)."""
    calls = []
    real = cards.draw_card

    def counting(lines, rtl=False):
        calls.append(lines["count"])
        return real(lines, rtl=rtl)

    monkeypatch.setattr(cards, "draw_card", counting)
    return calls


def test_shown_count_steps():
    assert [shown_count(n) for n in (0, 7, 10, 19, 120, 149, 150, 1234, 9999, 56789)] == [
        0, 7, 10, 10, 100, 100, 150, 1000, 9500, 55000,
    ]  # fmt: skip


def test_card_is_a_1200_by_630_png_drawn_once_per_step(app, drawn):
    petition = factories.petition()
    first = share_card_for(petition, "nl", 120)
    image = Image.open(public_dir() / first)
    assert image.format == "PNG" and image.size == (1200, 630)
    assert share_card_for(petition, "nl", 149) == first  # the same step: the same card, not drawn again
    assert len(drawn) == 1 and drawn[0] == "100+ handtekeningen"
    crossed = share_card_for(petition, "nl", 150)
    assert crossed != first and len(drawn) == 2 and drawn[1] == "150 handtekeningen"
    assert share_card_for(petition, "en", 150) not in (first, crossed)  # each language its own card


def test_card_changes_with_the_title(app, drawn):
    petition = factories.petition()
    before = share_card_for(petition, "nl", 5)
    petition.title = "Een nieuwe titel"
    db.session.commit()
    assert share_card_for(petition, "nl", 5) != before


def test_the_title_is_drawn_on_the_card(app):
    """The card is not a fixed image: the title's ink is there, and a longer title covers more."""
    petition = factories.petition(title="Kort")
    short = Image.open(public_dir() / share_card_for(petition, "nl", 0)).convert("L")
    petition.title = "Een veel langere titel die over meerdere regels loopt en dus veel meer inkt nodig heeft"
    db.session.commit()
    long = Image.open(public_dir() / share_card_for(petition, "nl", 0)).convert("L")

    def ink(card):  # dark pixels in the yellow title area
        return sum(card.crop((0, 220, 1200, 470)).histogram()[:80])

    assert ink(long) > 3 * ink(short) > 0


def test_arabic_cards_are_shaped_right_to_left(app):
    assert features.check("raqm"), "Pillow without libraqm: Arabic would be drawn unshaped"
    petition = factories.petition()
    db.session.add(
        PetitionTranslation(
            petition_id=petition.id,
            language="ar",
            title="إجراءات لجوء عادلة",
            summary="ملخص",
            published_at=utcnow(),
        )
    )
    db.session.commit()
    card = Image.open(public_dir() / share_card_for(petition, "ar", 3)).convert("L")
    title_band = card.crop((0, 220, 1200, 320))
    columns = [x for x in range(1200) if any(title_band.getpixel((x, y)) < 80 for y in range(0, 100, 2))]
    assert columns and columns[-1] > 1100 and columns[0] > 300  # set against the right edge


def test_petition_page_names_its_card_and_draws_it_once(app, client, drawn):
    petition = factories.petition(goal=1000)
    html = client.get("/petitions/test-petitie").get_data(as_text=True)
    og = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    twitter = re.search(r'<meta name="twitter:image" content="([^"]+)"', html).group(1)
    assert og == twitter and re.fullmatch(r"https://petities\.test\.example/media/[0-9a-f]{24}\.png", og)
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    response = client.get(og.removeprefix("https://petities.test.example"))
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.data)).size == (1200, 630)
    for _ in range(3):
        client.get("/petitions/test-petitie")
    assert len(drawn) == 1  # never per request
    for i in range(12):
        confirmed(petition, email=f"card{i}@example.nl")
    tally_jobs.fold()
    html = client.get("/petitions/test-petitie").get_data(as_text=True)
    assert re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1) != og
    assert drawn[-1] == "10+ handtekeningen"
