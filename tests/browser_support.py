"""Shared steps of the public pages' browser tests: axe-core, other-origin requests, overflow, screenshots."""

import os
from pathlib import Path
from urllib.parse import urlsplit

AXE = (Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js").read_text()
# `make screenshots` points this at docs/screenshots; otherwise they go to pytest's temporary folder.
SCREENSHOTS = os.environ.get("SCREENSHOTS_DIR")
SIZES = {"phone": (390, 844), "desktop": (1366, 900)}


def watch_origins(page, base: str) -> list[str]:
    """Collect every request the page makes to another origin (there must be none)."""
    own = urlsplit(base).netloc
    others: list[str] = []
    page.on(
        "request",
        lambda request: (
            urlsplit(request.url).scheme in ("http", "https")
            and urlsplit(request.url).netloc != own
            and others.append(request.url)
        ),
    )
    return others


def axe_violations(page) -> list[str]:
    """axe-core (WCAG 2.1 A/AA, best practices, experimental rules) on the page as it is now.

    Evaluated through the DevTools protocol, so the page's strict CSP stays on for the page itself."""
    page.evaluate(AXE)
    result = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice', 'experimental']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:5]}" for v in result["violations"]
    ]


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 when nothing sticks out)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def screenshot(page, name: str, tmp_path) -> Path:
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    if SCREENSHOTS:  # a whole-page picture: lazy images further down load as if scrolled to
        page.evaluate(
            "() => document.querySelectorAll('img[loading=lazy]').forEach(img => { img.loading = 'eager'; })"
        )
        page.wait_for_function("() => [...document.images].every(img => img.complete)")
        page.evaluate("() => document.fonts.ready.then(() => document.fonts.status)")
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in_the_page(page, name: str, email: str, postcode: str = "3511 AB") -> None:
    """Fill in and send the petition page's sign form (the page is open); wait for check-email."""
    page.fill("#name", name)
    page.fill("#email", email)
    page.fill("#postcode", postcode)
    page.check("#consent")
    page.click("form.sign-form button[type=submit]")
    page.wait_for_url("**/check-email")
