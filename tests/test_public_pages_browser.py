"""The public pages in Chromium at a phone's and a desktop's size: axe-core finds nothing, nothing
sticks out sideways, no request goes to another origin; `make screenshots` keeps the pictures."""

import pytest

from campaign.extensions import db
from campaign.models import Petition
from campaign.seeding import seed_demo
from tests.browser_support import (
    SIZES,
    axe_violations,
    horizontal_overflow,
    screenshot,
    sign_in_the_page,
    watch_origins,
)
from tests.delivery_helpers import confirmed
from workers import tally as tally_jobs

pytestmark = pytest.mark.browser

PAGES = [
    ("home", "/"),
    ("theme", "/themes/vluchtelingen-en-migratie"),
    ("petition", "/petitions/stop-gezichtsherkenning"),
    ("check-email", "/petitions/stop-gezichtsherkenning/check-email"),
    ("thanks", "/petitions/stop-gezichtsherkenning/thanks"),
    ("metrics", "/metrics"),
    ("impact", "/impact"),
    ("petition-ar", "/petitions/eerlijke-asielprocedure?lang=ar"),
    ("petition-uk", "/petitions/eerlijke-asielprocedure?lang=uk"),
]


@pytest.fixture
def demo(app):
    seed_demo()
    db.session.commit()
    # Twelve in the last hour: the petition page shows its momentum line (SOCIAL_PROOF_MIN is 10).
    for slug, people in (("stop-gezichtsherkenning", 12), ("eerlijke-asielprocedure", 3)):
        petition = db.session.execute(db.select(Petition).where(Petition.slug == slug)).scalar_one()
        for i in range(people):
            confirmed(petition, name=f"Demo {i}", email=f"demo{i}@example.nl", locale="nl")
    tally_jobs.fold()


@pytest.mark.parametrize("size", SIZES)
def test_public_pages_are_clean_at(size, app, live_server, browser, demo, tmp_path):
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height}, locale="nl-NL")
    others = watch_origins(page, live_server)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    problems = {}
    for name, path in PAGES:
        if name == "check-email":
            _sign_in_the_page(page, live_server)  # as a supporter arrives there: the address shows
        else:
            page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
        found = axe_violations(page)
        overflow = horizontal_overflow(page)
        if overflow > 0:
            found.append(f"{overflow}px wider than the window")
        if found:
            problems[name] = found
        screenshot(page, f"{name}-{width}x{height}", tmp_path)
    assert not problems, problems
    assert not others, others
    assert not errors, errors  # a CSP violation shows up here


def _sign_in_the_page(page, live_server):
    page.goto(live_server + "/petitions/stop-gezichtsherkenning")
    sign_in_the_page(page, "Sam de Vries", "sam.devries@example.nl")
    assert "sam.devries@example.nl" in page.inner_text(".sent-to")
