"""A partner site on a second origin embeds a petition with /static/embed.js; a supporter signs inside
the frame in Chromium (no cookie needed), and a site not in EMBED_ORIGINS is refused framing."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from campaign.extensions import db
from campaign.models import Signature
from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def partner_site():
    """Serves one page that embeds a petition, on localhost (the app runs on 127.0.0.1: another site)."""
    pages = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}", pages
    server.shutdown()
    server.server_close()


def partner_page(app_url: str, slug: str) -> str:
    return f"""<!doctype html><html><head><title>Partner</title></head><body>
<h1>Een partnersite</h1>
<div id="petitie" data-petitie="{app_url}/petitions/{slug}/embed"></div>
<script src="{app_url}/static/embed.js" async></script>
</body></html>"""


def test_a_supporter_signs_inside_the_frame_on_a_partner_site(
    app, live_server, browser, partner_site, mailbox, run_jobs
):
    origin, pages = partner_site
    app.config["EMBED_ORIGINS"] = (origin,)
    factories.petition(slug="ingesloten", title="Stop de test")
    pages["/actie"] = partner_page(live_server, "ingesloten")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{origin}/actie")
    frame_element = page.wait_for_selector("#petitie iframe")
    frame = frame_element.content_frame()
    frame.wait_for_selector("form.sign-form")
    # embed.js sized the iframe to its content from the frame's message (origin checked).
    page.wait_for_function("() => parseInt(document.querySelector('#petitie iframe').style.height) > 700")
    frame.fill("#name", "Fatima El Amrani")
    frame.fill("#email", "fatima@example.nl")
    frame.fill("#postcode", "3511 AB")
    frame.check("#consent")
    frame.click("button[type=submit]")
    frame.wait_for_selector(".embed-done")
    assert "bevestig uw handtekening" in frame.inner_text(".embed-done").lower()
    assert page.url == f"{origin}/actie"  # the supporter stayed on the partner's page
    assert db.session.execute(db.select(Signature.name)).scalar_one() == "Fatima El Amrani"
    run_jobs()
    assert len(mailbox.wait_for(1)) == 1
    # Our site set no cookie at all: the design does not need one the frame may not keep.
    assert [c for c in context.cookies() if c["domain"] == "127.0.0.1"] == []
    context.close()


def test_a_site_not_listed_is_refused_framing(app, live_server, browser, partner_site):
    origin, pages = partner_site
    app.config["EMBED_ORIGINS"] = ("https://een-andere-site.example",)
    factories.petition(slug="ingesloten")
    pages["/actie"] = partner_page(live_server, "ingesloten")
    page = browser.new_page()
    # Chromium reports the refusal on the console, naming the directive that refused it.
    with page.expect_console_message(lambda message: "frame-ancestors" in message.text, timeout=15000):
        page.goto(f"{origin}/actie")
    frame = page.wait_for_selector("#petitie iframe").content_frame()
    frame.wait_for_load_state()
    assert frame.query_selector("form.sign-form") is None  # our page never rendered inside it
