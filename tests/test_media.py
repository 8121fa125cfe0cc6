"""Hero images (campaign.media): what an upload becomes, what is refused, how it is served."""

import hashlib
import io
import re
from pathlib import Path

import pytest
from PIL import Image

from campaign.extensions import db
from campaign.media import MediaError, public_dir
from campaign.media.heroes import set_hero_from_upload, update_hero
from campaign.models.base import utcnow
from tests import factories


@pytest.fixture
def config_overrides(tmp_path):
    return {"MEDIA_DIR": str(tmp_path / "media")}


def jpeg_with_gps_and_orientation(size=(1000, 600)) -> bytes:
    """A photo as phones make them: GPS position, camera make, and 'turn me 90° clockwise'."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 4, size[1]))  # a blue strip on the left edge
    exif = Image.Exif()
    exif[0x010F] = "Phonemaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (52.0, 22.0, 30.0)
    gps[3], gps[4] = "E", (4.0, 53.0, 10.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def png(size=(1600, 900), colour=(255, 230, 0)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def upload(petition, data: bytes, name="foto.jpg", alt="Mensen op het plein", focus=(50, 50)):
    image = set_hero_from_upload(petition, name, io.BytesIO(data), alt, focus, actor=None, now=utcnow())
    db.session.commit()
    return image


def stored(name: str) -> Path:
    return public_dir() / name


def test_metadata_is_stripped_and_orientation_applied_first(app):
    petition = factories.petition()
    data = jpeg_with_gps_and_orientation()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the input really carries GPS
    image = upload(petition, data)
    for size in image.sizes:
        for kind in ("webp", "jpeg"):
            raw = stored(size[kind]).read_bytes()
            written = Image.open(io.BytesIO(raw))
            assert not written.getexif(), size[kind]
            assert (
                "exif" not in written.info and "icc_profile" not in written.info and "xmp" not in written.info
            )
            assert b"Phonemaker" not in raw and b"Exif" not in raw
    original = Image.open(Path(app.config["MEDIA_DIR"]) / "originals" / f"{image.digest}.jpg")
    assert original.size == (600, 1000)  # turned upright before anything else
    assert not original.getexif()
    # The blue strip was on the left; turned clockwise it is at the top.
    top = original.getpixel((300, 20))
    assert top[2] > 150 and top[0] < 100, top


def test_sizes_are_cropped_to_16_9_and_named_by_their_content(app):
    image = upload(factories.petition(), png((2400, 1800)), name="beeld.png")
    assert [size["width"] for size in image.sizes] == [480, 800, 1200, 1600]
    for size in image.sizes:
        assert size["height"] * 16 == size["width"] * 9
        for kind, pillow_format in (("webp", "WEBP"), ("jpeg", "JPEG")):
            raw = stored(size[kind]).read_bytes()
            assert size[kind].split(".")[0] == hashlib.sha256(raw).hexdigest()[:24]
            written = Image.open(io.BytesIO(raw))
            assert written.format == pillow_format
            assert written.size == (size["width"], size["height"])


def test_a_small_picture_gets_only_the_sizes_it_is_wide_enough_for(app):
    image = upload(factories.petition(), png((900, 600)), name="klein.png")
    assert [size["width"] for size in image.sizes] == [480, 800]


def test_the_crop_keeps_the_focal_point_in_view(app):
    wide = Image.new("RGB", (3200, 900), (255, 255, 255))
    wide.paste((0, 0, 0), (3000, 0, 3200, 900))  # something dark at the far right
    out = io.BytesIO()
    wide.save(out, "PNG")
    petition = factories.petition()
    image = upload(petition, out.getvalue(), name="breed.png", focus=(95, 50))
    right_edge = Image.open(stored(image.largest["jpeg"])).getpixel((1590, 450))
    assert max(right_edge) < 60, right_edge
    first_names = [size["jpeg"] for size in image.sizes]
    image = update_hero(petition, "Breed beeld", (5, 50), actor=None, now=utcnow())  # cropped again
    db.session.commit()
    assert max(Image.open(stored(image.largest["jpeg"])).getpixel((1590, 450))) > 200
    assert [size["jpeg"] for size in image.sizes] != first_names
    assert image.alt == "Breed beeld"


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (800, 600)).save(out, "GIF")
    return out.getvalue()


def _truncated_jpeg() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((1200, 800), 60).convert("RGB").save(out, "JPEG")
    return out.getvalue()[:5000]


BAD_UPLOADS = [
    ("not-an-image", "foto.jpg", lambda: b"<html><script>alert(1)</script></html>", 415, "geen JPEG"),
    ("a-gif-named-png", "foto.png", _gif, 415, "geen JPEG"),
    ("a-pdf-named-jpg", "foto.jpg", lambda: b"%PDF-1.4\n" + b"0" * 2000, 415, "geen JPEG"),
    ("wrong-extension", "foto.gif", lambda: png(), 415, "JPEG, PNG of WebP"),
    ("no-extension", "foto", lambda: png(), 415, "JPEG, PNG of WebP"),
    ("empty", "foto.png", lambda: b"", 400, "leeg"),
    ("damaged", "foto.jpg", _truncated_jpeg, 400, "beschadigd"),
    ("too-small", "foto.png", lambda: png((300, 200)), 400, "te klein"),
]


@pytest.mark.parametrize("case,name,make,status,words", BAD_UPLOADS, ids=[case[0] for case in BAD_UPLOADS])
def test_bad_uploads_are_refused_with_a_reason(app, case, name, make, status, words):
    petition = factories.petition()
    with pytest.raises(MediaError) as refused:
        upload(petition, make(), name=name)
    assert refused.value.status == status
    assert words in str(refused.value)
    db.session.rollback()
    assert petition.hero_image is None
    assert not any(public_dir().iterdir())  # nothing half-written


def test_too_large_a_file_is_refused(app):
    app.config["HERO_IMAGE_MAX_BYTES"] = 20_000
    with pytest.raises(MediaError) as refused:
        upload(factories.petition(), Image.effect_noise((800, 600), 80).tobytes()[:30_000], name="groot.png")
    assert refused.value.status == 413 and "groter dan" in str(refused.value)


def _huge_png(size) -> bytes:
    out = io.BytesIO()
    Image.new("1", size).save(out, "PNG")  # a few KB that decode to many megapixels
    return out.getvalue()


def test_a_decompression_bomb_is_refused_before_it_is_decoded(app):
    data = _huge_png((8000, 7000))
    assert len(data) < 100_000
    with pytest.raises(MediaError) as refused:
        upload(factories.petition(), data, name="bom.png")
    assert refused.value.status == 413 and "te veel pixels" in str(refused.value)


def test_pillows_own_bomb_guard_is_answered_too(app, monkeypatch):
    app.config["HERO_IMAGE_MAX_PIXELS"] = 10**12  # our limit out of the way: Pillow's must hold
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)
    for size in ((1200, 1000), (3000, 3000)):  # Pillow warns above its limit and refuses above twice it
        with pytest.raises(MediaError) as refused:
            upload(factories.petition(slug=f"bom-{size[0]}"), _huge_png(size), name="bom.png")
        assert refused.value.status == 413


def test_alt_text_is_required_and_the_focal_point_checked(app):
    petition = factories.petition()
    with pytest.raises(MediaError) as refused:
        upload(petition, png(), name="a.png", alt="   ")
    assert refused.value.field == "alt"
    with pytest.raises(MediaError) as refused:
        upload(petition, png(), name="a.png", focus=(50, 101))
    assert refused.value.field == "focus_x"


def test_media_route_serves_public_files_for_a_year(app, client):
    image = upload(factories.petition(), png(), name="beeld.png")
    for kind, content_type in (("webp", "image/webp"), ("jpeg", "image/jpeg")):
        response = client.get(f"/media/{image.largest[kind]}")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == content_type
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.data == stored(image.largest[kind]).read_bytes()


def test_media_route_serves_nothing_else(app, client):
    image = upload(factories.petition(), png(), name="beeld.png")
    evidence = Path(app.config["MEDIA_DIR"]) / "evidence"
    evidence.mkdir(parents=True)
    (evidence / ("a" * 24 + ".png")).write_bytes(b"secret")
    for name in (
        "a" * 24 + ".png",  # an evidence-like name: not in the public folder
        "../evidence/" + "a" * 24 + ".png",
        f"{image.digest}.jpg",  # the original's name
        image.largest["webp"].replace(".webp", ".svg"),
        "..%2Foriginals%2F" + image.digest + ".jpg",
    ):
        assert client.get(f"/media/{name}").status_code == 404, name


def test_petition_page_shows_the_hero_and_renders_again_when_it_changes(app, client):
    petition = factories.petition()
    assert "<picture" not in client.get("/petitions/test-petitie").get_data(as_text=True)  # now cached
    image = upload(petition, png((2000, 1200)), name="beeld.png", alt="Een geel vlak")
    html = client.get("/petitions/test-petitie").get_data(as_text=True)
    hero = re.search(r'<div class="petition-hero">(.*?)</div>', html, re.S).group(1)
    assert 'type="image/webp"' in hero and "srcset=" in hero and "sizes=" in hero
    assert f"/media/{image.sizes[0]['webp']} 480w" in hero
    assert f"/media/{image.largest['jpeg']} 1600w" in hero
    assert 'width="1600" height="900"' in hero and 'alt="Een geel vlak"' in hero
    assert 'fetchpriority="high"' in hero and 'loading="lazy"' not in hero
    assert "lang=" not in hero  # one URL per file, whatever the page's language


def test_cards_show_the_image_lazily(app, client):
    petition = factories.petition()
    upload(petition, png(), name="beeld.png", alt="Een geel vlak")
    home = client.get("/").get_data(as_text=True)
    assert 'class="featured-image"' in home and 'class="card-image"' in home
    card = re.search(r'<picture class="card-image">(.*?)</picture>', home, re.S).group(1)
    assert 'loading="lazy"' in card
    theme = client.get(f"/themes/{petition.theme.slug}").get_data(as_text=True)
    assert 'class="card-image"' in theme and "/static/img/themes/technologie.svg" in theme
