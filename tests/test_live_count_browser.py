"""The live count in Chromium (static/js/live-count.js), on a fake clock: count.json is asked gently
(not before 20 s), slower while nothing changes or the server fails, never sooner than a server's
Retry-After, not at all while the tab is hidden, and the number on the page follows it."""

from datetime import UTC, datetime, timedelta

import pytest

from campaign.extensions import db
from tests import factories
from tests.delivery_helpers import confirmed
from workers import tally as tally_jobs

pytestmark = pytest.mark.browser


@pytest.fixture
def config_overrides():
    # The fake clock runs minutes in a second of real time: no cache may answer for the server.
    return {"COUNT_CACHE_SECONDS": 0, "COUNT_MAX_AGE": 0}


def _shown(page) -> str:
    for _ in range(50):
        text = page.inner_text("[data-count]")
        if text != "0":
            return text
        page.wait_for_timeout(100)
    return text


def test_the_count_is_polled_gently_with_backoff(app, live_server, browser):
    petition = factories.petition(slug="live-telling", goal=100)
    page = browser.new_page()
    asked = []
    page.on("request", lambda request: "count.json" in request.url and asked.append(request.url))
    start = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    page.clock.install(time=start)
    page.clock.pause_at(start + timedelta(seconds=1))  # time moves only when the test says so
    page.goto(f"{live_server}/petitions/{petition.slug}")
    page.wait_for_load_state("networkidle")

    page.clock.run_for(19_000)
    assert asked == []  # nothing in the first 20 seconds

    with page.expect_response("**/count.json"):
        page.clock.run_for(3_000)  # 20 s plus at most 2 s of jitter
    assert len(asked) == 1

    # A new signature: the next answer shows it on the page.
    confirmed(petition, name="Live Lezer", email="live@example.nl")
    tally_jobs.fold()
    db.session.commit()
    page.clock.run_for(29_000)  # nothing changed at the first answer: 1.5 x 20 s = 30 s
    assert len(asked) == 1
    with page.expect_response("**/count.json"):
        page.clock.run_for(3_000)
    assert _shown(page) == "1"

    # The server fails without saying when to come back: the wait doubles (20 s after a change -> 40 s).
    page.route("**/count.json", lambda route: route.fulfill(status=503, body="{}"))
    with page.expect_response("**/count.json"):
        page.clock.run_for(22_000)
    failures = len(asked)
    page.clock.run_for(39_000)
    assert len(asked) == failures
    with page.expect_response("**/count.json"):
        page.clock.run_for(3_000)

    # It says when: not sooner than that (two minutes here).
    page.unroute("**/count.json")
    page.route(
        "**/count.json", lambda route: route.fulfill(status=429, headers={"Retry-After": "120"}, body="{}")
    )
    with page.expect_response("**/count.json"):
        page.clock.run_for(82_000)
    told = len(asked)
    page.clock.run_for(119_000)
    assert len(asked) == told
    page.unroute("**/count.json")
    with page.expect_response("**/count.json"):
        page.clock.run_for(3_000)

    # A hidden tab asks nothing, however long it stays hidden.
    page.evaluate(
        """() => { Object.defineProperty(document, 'hidden', {value: true, configurable: true});
                   document.dispatchEvent(new Event('visibilitychange')); }"""
    )
    hidden_at = len(asked)
    page.clock.run_for(30 * 60_000)
    assert len(asked) == hidden_at
