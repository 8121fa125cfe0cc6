"""Every studio route, taken from the URL map, as anonymous, viewer, campaigner and admin.

Expectations come from each view's `required_role` (set by the decorators of access.py): anonymous
is sent to the login, a lower role gets 403, the role itself and higher get the page. A studio view
without `required_role` fails here unless it is listed in PUBLIC on purpose. Teach FILL how to build
an argument for a new route's URL.
"""

import pytest
from werkzeug.routing import Map, Rule

from campaign import create_app
from campaign.accounts.manage import invite_account, invite_token
from campaign.extensions import db
from campaign.models import Role, Signature
from campaign.models.account import RANK
from tests import factories
from tests.conftest import csrf_token
from tests.studio_support import PASSWORD, account, login

ROLES = [None, Role.VIEWER, Role.CAMPAIGNER, Role.ADMIN]
# Studio views open without a role, on purpose: what each answers when it works.
PUBLIC = {"studio.login", "studio.logout", "studio.accept_invite"}


def _studio_rules():
    app = create_app({"SECRET_KEY": "route-table", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("studio."):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                rules.append(pytest.param(rule.rule, rule.endpoint, method, id=f"{method} {rule.rule}"))
    return rules


RULES = _studio_rules()


class World:
    """One of everything a studio URL may point at."""

    def __init__(self):
        self.target = factories.target()
        self.petition = factories.petition(slug="route-table")
        self.signature = Signature(
            petition_id=self.petition.id,
            name="Route Tabel",
            email="rt@example.nl",
            email_normalised="rt@example.nl",
            consent_version="t",
            token="route-table-token",
        )
        db.session.add(self.signature)
        self.invitee = invite_account("invitee@example.org", Role.VIEWER, "", None)
        db.session.commit()


FILL = {
    "petition_id": lambda world: world.petition.id,
    "target_id": lambda world: world.target.id,
    "signature_id": lambda world: world.signature.id,
    "account_id": lambda world: world.invitee.id,
    "token": lambda world: invite_token(world.invitee),
    "outcome_id": lambda world: _outcome(world).id,
    "delivery_id": lambda world: _delivery(world).id,
    "kind": lambda world: "letter",
    "rule_id": lambda world: _abuse_rule().id,
    "language": lambda world: "en",
    "evidence_id": lambda world: _evidence(world).id,
    "review_id": lambda world: _review(world).id,
    "response_id": lambda world: _response(world).id,
    "name": lambda world: "2025-3",  # a four-monthly report
    "slug": lambda world: world.petition.theme.slug,
    "key_id": lambda world: _api_key().id,
    "endpoint_id": lambda world: _webhook(world).id,
    "message_id": lambda world: _webhook_message(world).id,
    "update_id": lambda world: _update(world).id,
    "image_id": lambda world: _hero_image(world).id,
}


def _hero_image(world):
    from PIL import Image

    from campaign.media.heroes import set_hero
    from campaign.models.base import utcnow

    image = set_hero(
        world.petition, Image.new("RGB", (640, 360), (255, 230, 0)), "Geel vlak", (50, 50), utcnow()
    )
    db.session.commit()
    return image


def _evidence(world):
    import io
    import tempfile

    from flask import current_app

    from campaign.impact.evidence import store_document

    current_app.config["MEDIA_DIR"] = tempfile.mkdtemp(prefix="route-table-media-")
    item = store_document(_outcome(world), "besluit.pdf", io.BytesIO(b"%PDF-1.4 route table"))
    db.session.commit()
    return item


def _response(world):
    from datetime import date

    from campaign.models.base import utcnow
    from campaign.reports.responses import ResponseDetails, record_response

    response = record_response(world.petition, ResponseDetails(date(2026, 1, 5), "Antwoord"), None, utcnow())
    db.session.commit()
    return response


def _review(world):
    from campaign.models.base import utcnow
    from campaign.reports.reviews import Reviewer, invite_outcome_review

    review = invite_outcome_review(_outcome(world), Reviewer("R. Tabel", "rt@example.org"), None, utcnow())
    db.session.commit()
    return review


def _api_key():
    from campaign.api.keys import create_key
    from campaign.models.base import utcnow

    row, _key = create_key("route-table", "read", None, utcnow())
    db.session.commit()
    return row


def _webhook(world):
    from campaign.models import WebhookEndpoint

    if not hasattr(world, "webhook"):
        world.webhook = WebhookEndpoint(
            url="http://127.0.0.1:9/", events="petition.closed", secret="whsec_AAAA"
        )
        db.session.add(world.webhook)
        db.session.commit()
    return world.webhook


def _webhook_message(world):
    from campaign.models import WebhookMessage

    message = WebhookMessage(
        endpoint_id=_webhook(world).id, message_id="msg_route", event_type="petition.closed", payload="{}"
    )
    db.session.add(message)
    db.session.commit()
    return message


def _update(world):
    from campaign.models import SupporterUpdate

    update = SupporterUpdate(petition_id=world.petition.id, subject="Route", body="Tabel")
    db.session.add(update)
    db.session.commit()
    return update


def _abuse_rule():
    from campaign.abuse.controls import add_rule

    rule = add_rule("domain", "route-table.example", "block", actor=None)
    db.session.commit()
    return rule


def _delivery(world):
    from campaign.models import Delivery

    delivery = Delivery(
        kind="letter",
        key="route-table",
        petition_id=world.petition.id,
        target_id=world.target.id,
        status="failed",
    )
    db.session.add(delivery)
    db.session.commit()
    return delivery


def _outcome(world):
    from datetime import date

    from campaign.impact import OutcomeDetails, record_outcome

    outcome = record_outcome(
        OutcomeDetails("law", date(2026, 1, 5), "Route", petition_id=world.petition.id), None
    )
    db.session.commit()
    return outcome


def _url(rule: str, world: World) -> str:
    probe = Rule(rule, endpoint="probe")
    adapter = Map([probe]).bind("localhost")
    missing = [name for name in probe.arguments if name not in FILL]
    assert not missing, f"teach tests/test_studio_routes.py FILL how to build {missing} for {rule}"
    return adapter.build("probe", {name: FILL[name](world) for name in probe.arguments})


def _client_as(app, role):
    client = app.test_client()
    if role is not None:
        account(role, f"{role}-routes@example.org")
        assert login(client, f"{role}-routes@example.org", PASSWORD).status_code == 303
    return client


def _request(client, method: str, url: str):
    if method == "GET":
        return client.get(url, buffered=True)  # read a streamed body while its context is live
    return client.post(url, data={"csrf_token": csrf_token(client, "/studio/login")})


def _goes_to_login(response) -> bool:
    return response.status_code == 302 and "/studio/login" in response.headers.get("Location", "")


@pytest.mark.parametrize("rule,endpoint,method", RULES)
def test_every_studio_route_answers_each_role_as_its_required_role_says(app, rule, endpoint, method):
    required = getattr(app.view_functions[endpoint], "required_role", None)
    assert required is not None or endpoint in PUBLIC, f"{endpoint} has no role decorator from access.py"
    world = World()
    url = _url(rule, world)
    for role in ROLES:
        response = _request(_client_as(app, role), method, url)
        status, where = response.status_code, f"{method} {url} as {role or 'anonymous'}"
        if endpoint in PUBLIC:
            _check_public(endpoint, method, role, response, where)
        elif role is None:
            assert _goes_to_login(response), f"{where}: {status}, expected a redirect to the login"
        elif RANK[Role(role)] < RANK[Role(required)]:
            assert status == 403, f"{where}: {status}, expected 403"
        elif method == "GET":
            assert status == 200, f"{where}: {status}, expected 200"
        else:
            assert status < 500 and status not in (401, 403) and not _goes_to_login(response), (
                f"{where}: {status}"
            )


def _check_public(endpoint, method, role, response, where):
    status = response.status_code
    if endpoint == "studio.logout":
        assert _goes_to_login(response) if role is None else status == 303, f"{where}: {status}"
    elif method == "GET":
        assert status == 200, f"{where}: {status}"
    else:
        assert status in (400, 401, 303), f"{where}: {status}"


@pytest.mark.parametrize("rule,endpoint,method", [r for r in RULES if r.values[2] == "POST"])
def test_every_studio_post_needs_a_csrf_token(app, rule, endpoint, method):
    world = World()
    client = _client_as(app, Role.ADMIN)
    response = client.post(_url(rule, world), data={})
    assert response.status_code == 400, f"POST {rule} without a CSRF token: {response.status_code}"
    assert "formulier" in response.get_data(as_text=True)
