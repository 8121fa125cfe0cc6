"""The studio's image page: upload with CSRF, refusals shown on the form, refocus, removal, roles."""

import io
import re

import pytest
from PIL import Image

from campaign.extensions import db
from campaign.models import AuditEvent, Petition
from tests import factories
from tests.studio_support import logged_in, post


@pytest.fixture
def config_overrides(tmp_path):
    return {"MEDIA_DIR": str(tmp_path / "media")}


def png(size=(1600, 900)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (255, 230, 0)).save(out, "PNG")
    return out.getvalue()


def send(client, petition, data: bytes | None, name="foto.png", alt="Een geel vlak", x="50", y="50"):
    fields = {"alt": alt, "focus_x": x, "focus_y": y}
    if data is not None:
        fields["image"] = (io.BytesIO(data), name)
    url = f"/studio/petitions/{petition.id}/image"
    return post(client, url, fields, token_page=url, content_type="multipart/form-data")


def hero(petition_id: int):
    db.session.expire_all()
    return db.session.get(Petition, petition_id).hero_image


def test_a_campaigner_uploads_a_hero_image(app):
    client = logged_in(app, "campaigner")
    petition = factories.petition()
    page = client.get(f"/studio/petitions/{petition.id}/edit").get_data(as_text=True)
    assert f"/studio/petitions/{petition.id}/image" in page  # linked from the edit page
    response = send(client, petition, png())
    assert response.status_code == 303
    image = hero(petition.id)
    assert image.alt == "Een geel vlak" and len(image.sizes) == 4
    assert db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "petition.image")).scalar()
    page = client.get(f"/studio/petitions/{petition.id}/image").get_data(as_text=True)
    assert f"/studio/petition-images/{image.id}/original" in page
    original = client.get(f"/studio/petition-images/{image.id}/original")
    assert original.status_code == 200 and original.headers["Cache-Control"] == "no-store"
    # A new focal point and alt text without a new file: cropped again from the kept original.
    response = send(client, petition, None, alt="Nieuwe beschrijving", x="10", y="90")
    assert response.status_code == 303
    again = hero(petition.id)
    assert (again.focus_x, again.focus_y, again.alt) == (10, 90, "Nieuwe beschrijving")


@pytest.mark.parametrize(
    "data,name,status,words",
    [
        (b"GIF89a not really", "foto.png", 415, "geen JPEG-, PNG- of WebP-afbeelding"),
        (b"hello", "foto.txt", 415, "Kies een afbeelding in JPEG, PNG of WebP"),
        (png((200, 100)), "foto.png", 400, "te klein"),
    ],
)
def test_a_bad_upload_shows_the_form_again_with_the_reason(app, data, name, status, words):
    client = logged_in(app, "campaigner")
    petition = factories.petition()
    response = send(client, petition, data, name=name, alt="Mijn beschrijving")
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert words in html
    assert 'value="Mijn beschrijving"' in html  # the input is kept
    assert hero(petition.id) is None


def test_the_alt_text_is_required(app):
    client = logged_in(app, "campaigner")
    petition = factories.petition()
    response = send(client, petition, png(), alt="")
    assert response.status_code == 400
    assert "Beschrijf wat er op de afbeelding te zien is" in response.get_data(as_text=True)
    assert hero(petition.id) is None


def test_a_focal_point_out_of_range_is_refused(app):
    client = logged_in(app, "campaigner")
    petition = factories.petition()
    response = send(client, petition, png(), x="150")
    assert response.status_code == 400
    assert hero(petition.id) is None


def test_too_large_a_request_gets_a_clear_413(app):
    app.config["HERO_IMAGE_MAX_BYTES"] = 50_000
    client = logged_in(app, "campaigner")
    petition = factories.petition()
    response = send(client, petition, b"\x89PNG" + bytes(600_000))
    assert response.status_code == 413
    assert "te groot" in response.get_data(as_text=True)


def test_without_a_csrf_token_nothing_is_stored(app):
    client = logged_in(app, "campaigner")
    petition = factories.petition()
    response = client.post(
        f"/studio/petitions/{petition.id}/image",
        data={"alt": "x", "focus_x": "50", "focus_y": "50", "image": (io.BytesIO(png()), "a.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert hero(petition.id) is None


def test_a_viewer_sees_the_page_but_cannot_upload(app):
    client = logged_in(app, "viewer")
    petition = factories.petition()
    page = client.get(f"/studio/petitions/{petition.id}/image")
    assert page.status_code == 200 and 'type="file"' not in page.get_data(as_text=True)
    assert send(client, petition, png()).status_code == 403
    assert hero(petition.id) is None


def test_removing_the_image(app):
    client = logged_in(app, "campaigner")
    petition = factories.petition()
    assert send(client, petition, png()).status_code == 303
    url = f"/studio/petitions/{petition.id}/image"
    response = post(client, f"{url}/delete", token_page=url)
    assert response.status_code == 303
    assert hero(petition.id) is None
    html = client.get(f"/petitions/{petition.slug}").get_data(as_text=True)
    assert not re.search(r"<picture", html)
