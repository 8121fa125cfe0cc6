"""Every public route finds its petition the same way: unpublished is a 404, an old slug moves on."""

import pytest

from campaign.extensions import db
from campaign.models import PetitionSlug, PetitionStatus
from tests import factories
from tests.conftest import csrf_token


@pytest.fixture
def renamed(app):
    """A published petition whose slug changed from 'oud-adres' to 'nieuw-adres'."""
    petition = factories.petition(slug="nieuw-adres")
    db.session.add(PetitionSlug(slug="oud-adres", petition_id=petition.id))
    db.session.commit()
    return petition


@pytest.mark.parametrize(
    "path",
    [
        "/petitions/{}",
        "/petitions/{}/count.json",
        "/petitions/{}/check-email",
        "/petitions/{}/thanks",
        "/petitions/{}/withdrawn",
        "/petitions/{}/challenge.json",
    ],
)
def test_every_public_route_sends_an_old_slug_on(renamed, client, path):
    response = client.get(path.format("oud-adres"))
    assert response.status_code == 301
    assert response.headers["Location"].endswith(path.format("nieuw-adres"))


def test_signing_at_an_old_address_keeps_the_post(renamed, client):
    token = csrf_token(client, "/petitions/nieuw-adres")
    response = client.post("/petitions/oud-adres/sign", data={"csrf_token": token})
    assert response.status_code == 308
    assert response.headers["Location"].endswith("/petitions/nieuw-adres/sign")


@pytest.mark.parametrize("path", ["/petitions/{}", "/petitions/{}/count.json", "/petitions/{}/thanks"])
def test_a_draft_is_not_found_anywhere(app, client, path):
    factories.petition(slug="nog-geheim", status=PetitionStatus.DRAFT)
    assert client.get(path.format("nog-geheim")).status_code == 404
    assert client.get(path.format("bestaat-niet")).status_code == 404
