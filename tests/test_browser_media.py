"""Hero images in a real Chromium: the petition's hero loads as WebP from our own origin at the size
the layout needs, nothing shifts, axe finds nothing; the studio's focal point is set by a click."""

import pytest

from campaign.extensions import db
from campaign.models import Petition
from campaign.seeding import seed_demo
from tests.browser_support import SIZES, axe_violations, horizontal_overflow, screenshot, watch_origins
from tests.studio_support import account

pytestmark = pytest.mark.browser
SLUG = "stop-gezichtsherkenning"


@pytest.mark.parametrize("size", SIZES)
def test_the_petition_hero_loads_from_our_origin(size, app, live_server, browser, tmp_path):
    seed_demo()
    db.session.commit()
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height}, locale="nl-NL")
    others = watch_origins(page, live_server)
    media = []
    page.on("response", lambda response: "/media/" in response.url and media.append(response))
    page.goto(f"{live_server}/petitions/{SLUG}")
    hero = page.locator(".petition-hero img")
    hero.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('.petition-hero img').complete")
    page.wait_for_load_state("networkidle")
    loaded = hero.evaluate(
        "img => ({src: img.currentSrc, natural: img.naturalWidth, shown: img.clientWidth})"
    )
    assert loaded["src"].startswith(f"{live_server}/media/") and loaded["src"].endswith(".webp")
    assert loaded["natural"] >= loaded["shown"] > 200  # a size at least as wide as the layout needs
    assert hero.get_attribute("alt") and hero.get_attribute("fetchpriority") == "high"
    hero_responses = [response for response in media if response.url == loaded["src"]]
    assert hero_responses and hero_responses[0].headers["content-type"] == "image/webp"
    assert "immutable" in hero_responses[0].headers["cache-control"]
    # No layout shift: before a byte of the picture arrives, its box already has the picture's shape.
    held_back = browser.new_page(viewport={"width": width, "height": height}, locale="nl-NL")
    held_back.route("**/media/**", lambda route: route.abort())
    held_back.goto(f"{live_server}/petitions/{SLUG}")
    empty = held_back.locator(".petition-hero img").evaluate("img => [img.clientWidth, img.clientHeight]")
    assert abs(empty[1] - empty[0] * 9 / 16) <= 1 and empty[0] > 200, empty
    held_back.close()
    if size == "phone":  # the title, the count and the form come before the picture
        assert page.locator("#name").bounding_box()["y"] < hero.bounding_box()["y"]
    assert horizontal_overflow(page) <= 0
    assert axe_violations(page) == []
    assert not others, others
    screenshot(page, f"petition-hero-{width}x{height}", tmp_path)


def test_the_studio_picks_the_focal_point_with_a_click(app, live_server, browser, tmp_path):
    seed_demo()
    db.session.commit()
    petition = db.session.execute(db.select(Petition).where(Petition.slug == SLUG)).scalar_one()
    account("campaigner", "beeld@example.org")
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="nl-NL")
    others = watch_origins(page, live_server)
    page.goto(f"{live_server}/studio/login")
    page.fill("#email", "beeld@example.org")
    page.fill("#password", "correct horse battery staple")
    page.click("button[type=submit]")
    page.goto(f"{live_server}/studio/petitions/{petition.id}/image")
    picker = page.locator(".focus-picker img")
    page.wait_for_function("document.querySelector('.focus-picker img').naturalWidth > 0")
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] * 0.8, "y": box["height"] * 0.25})
    assert page.input_value("#focus_x") == "80" and page.input_value("#focus_y") == "25"
    assert page.locator(".focus-mark").is_visible()
    assert axe_violations(page) == []
    page.click("form.studio-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    db.session.expire_all()
    image = db.session.get(Petition, petition.id).hero_image
    assert (image.focus_x, image.focus_y) == (80, 25)
    assert not others, others
    screenshot(page, "studio-image-1366x900", tmp_path)
