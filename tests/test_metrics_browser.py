"""The metrics in a real browser: the charts and the map draw under the strict CSP, on a phone, and
the numbers behind a chart open as a table. The campaigner's outcome reaches /impact."""

from datetime import timedelta

import pytest

from campaign.extensions import db
from campaign.models.base import utcnow
from campaign.signing import confirm_signature
from tests import factories
from tests.studio_support import account
from tests.test_metrics_counts import pending_signatures
from workers import tally as tally_jobs

pytestmark = pytest.mark.browser


def _confirmed(petition, n):
    for i, signature in enumerate(pending_signatures(petition, n)):
        confirm_signature(signature.token, utcnow() - timedelta(hours=i * 5))
    db.session.commit()
    tally_jobs.fold()


def test_metrics_page_draws_its_charts_without_breaking_the_csp(app, live_server, browser):
    petition = factories.petition(slug="browser-cijfers", title="Cijfers in de browser")
    petition.opens_at = utcnow() - timedelta(days=5)
    db.session.commit()
    _confirmed(petition, 14)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.goto(f"{live_server}/metrics")

    bars = page.locator("#chart-daily rect.chart-bar")
    assert bars.count() == 60
    box = page.locator("#chart-daily svg").bounding_box()
    assert box["width"] > 300 and box["height"] > 80  # drawn, and fitted to the phone's width
    assert page.locator("#map-provinces path.map-province").count() == 12
    assert page.locator("#map-provinces svg.map-svg").bounding_box()["width"] > 200
    assert page.locator("#map-provinces .map-legend li").count() >= 2

    # Every piece of chart and map text, as drawn on a 390 px phone, is at least 12 CSS px: the
    # computed size times whatever scale an SVG applies to it (1 for HTML labels).
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.chart, .province-map')].flatMap(figure =>
            [...figure.querySelectorAll('*')].filter(el => [...el.childNodes].some(
                n => n.nodeType === 3 && n.textContent.trim()) && el.getClientRects().length
                && !el.closest('title, details:not([open]) > :not(summary), .visually-hidden'))
            .map(el => {
                const svg = el.closest('svg');
                const scale = svg && svg.viewBox.baseVal && svg.viewBox.baseVal.width
                    ? svg.getBoundingClientRect().width / svg.viewBox.baseVal.width : 1;
                return [el.textContent.trim().slice(0, 20), parseFloat(getComputedStyle(el).fontSize) * scale];
            }))"""
    )
    assert len(sizes) > 8, sizes
    small = [(text, size) for text, size in sizes if size < 12]
    assert not small, small
    # The wide themes table scrolls inside its own box, which says so and can take the focus.
    region = page.locator(".table-scroll[role=region]")
    assert region.first.get_attribute("tabindex") == "0"
    assert page.locator("#themes-scroll-hint").is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390

    assert not page.locator("#chart-daily-table").is_visible()
    page.click("#chart-daily summary")
    assert page.locator("#chart-daily-table").is_visible()
    total = page.inner_text("#chart-daily-table tfoot td")
    assert total == "14" == page.inner_text("#total-signatures")
    assert not problems, problems  # a CSP violation (inline style or script) shows up here


def test_campaigner_records_an_outcome_that_the_public_sees(app, live_server, browser):
    petition = factories.petition(slug="browser-impact", title="Impact in de browser")
    campaigner = account("campaigner", "impact-browser@example.org")
    page = browser.new_page()
    page.goto(f"{live_server}/studio/login")
    page.fill("#email", campaigner.email)
    page.fill("#password", "correct horse battery staple")
    page.click("button[type=submit]")
    page.wait_for_url("**/studio/")

    page.goto(f"{live_server}/studio/impact/new")
    page.select_option("#petition_id", str(petition.id))
    page.select_option("#change_type", "law")
    page.fill("#happened_on", "2026-10-01")
    page.fill("#title", "Wet aangenomen in de browser")
    page.fill("#source_url", "https://example.org/wet")
    page.click('main button:has-text("Opslaan")')
    page.wait_for_url("**/studio/impact")
    assert "Wet aangenomen in de browser" in page.content()

    page.goto(f"{live_server}/petitions/{petition.slug}")
    assert page.inner_text(".petition-outcomes h3") == "Wet aangenomen in de browser"
    page.goto(f"{live_server}/impact")
    page.select_option("#filter-type", "law")
    page.click("form.filters button")
    page.wait_for_url("**/impact?*type=law*")
    assert page.inner_text(".outcome h3") == "Wet aangenomen in de browser"
