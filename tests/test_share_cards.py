"""Share cards (campaign.media.cards): 1200x630 PNG, named after what is on them, drawn by a worker
only when the count crosses a step, named by the petition page's og:image and twitter:image."""

import io
import re

import pytest
from PIL import Image, features

from campaign.extensions import db
from campaign.media import cards, public_dir
from campaign.media.cards import draw_share_card, shown_count
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


def card(petition, locale, count):
    return draw_share_card(petition, locale, shown_count(count))


def test_shown_count_steps():
    assert [shown_count(n) for n in (0, 7, 10, 19, 120, 149, 150, 1234, 9999, 56789)] == [
        0, 7, 10, 10, 100, 100, 150, 1000, 9500, 55000,
    ]  # fmt: skip


def test_card_is_a_1200_by_630_png_drawn_once_per_step(app, drawn):
    petition = factories.petition()
    first = card(petition, "nl", 120)
    image = Image.open(public_dir() / first)
    assert image.format == "PNG" and image.size == (1200, 630)
    assert card(petition, "nl", 149) == first  # the same step: the same card, not drawn again
    assert len(drawn) == 1 and drawn[0] == "100+ handtekeningen"
    crossed = card(petition, "nl", 150)
    assert crossed != first and len(drawn) == 2 and drawn[1] == "150+ handtekeningen"
    assert card(petition, "nl", 7) != first and drawn[2] == "7 handtekeningen"  # exact below ten
    assert card(petition, "en", 150) not in (first, crossed)  # each language its own card


def test_card_changes_with_the_title(app, drawn):
    petition = factories.petition()
    before = card(petition, "nl", 5)
    petition.title = "Een nieuwe titel"
    db.session.commit()
    assert card(petition, "nl", 5) != before


def test_the_title_is_drawn_on_the_card(app):
    """The card is not a fixed image: the title's ink is there, and a longer title covers more."""
    petition = factories.petition(title="Kort")
    short = Image.open(public_dir() / card(petition, "nl", 0)).convert("L")
    petition.title = "Een veel langere titel die over meerdere regels loopt en dus veel meer inkt nodig heeft"
    db.session.commit()
    long = Image.open(public_dir() / card(petition, "nl", 0)).convert("L")

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
    drawing = Image.open(public_dir() / card(petition, "ar", 3)).convert("L")
    title_band = drawing.crop((0, 220, 1200, 320))
    columns = [x for x in range(1200) if any(title_band.getpixel((x, y)) < 80 for y in range(0, 100, 2))]
    assert columns and columns[-1] > 1100 and columns[0] > 300  # set against the right edge


def _og_image(client) -> str:
    html = client.get("/petitions/test-petitie").get_data(as_text=True)
    og = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    twitter = re.search(r'<meta name="twitter:image" content="([^"]+)"', html).group(1)
    assert og == twitter and '<meta name="twitter:card" content="summary_large_image">' in html
    return og


def test_petition_page_asks_a_worker_for_its_card_once_then_names_it(app, client, drawn, run_jobs):
    app.config["PAGE_CACHE_SECONDS"] = 0
    petition = factories.petition(goal=1000)
    for _ in range(3):  # until the card is there: the generic image, and one job for all views
        assert _og_image(client) == "https://petities.test.example/static/img/share.png"
    assert drawn == []  # never drawn in the request
    run_jobs()
    assert len(drawn) == 1
    og = _og_image(client)
    assert re.fullmatch(r"https://petities\.test\.example/media/[0-9a-f]{24}\.png", og)
    response = client.get(og.removeprefix("https://petities.test.example"))
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.data)).size == (1200, 630)
    for _ in range(3):
        assert _og_image(client) == og
    run_jobs()
    assert len(drawn) == 1  # no second job for the same card
    for i in range(12):  # crossing the step of ten: a new card
        confirmed(petition, email=f"card{i}@example.nl")
    tally_jobs.fold()
    assert _og_image(client).endswith("/static/img/share.png")
    run_jobs()
    assert _og_image(client) not in (og, "https://petities.test.example/static/img/share.png")
    assert drawn[-1] == "10+ handtekeningen"
