"""A petition's hero image: set it from an upload (or a drawn picture), move its focal point, take it
away. Plain functions: they flush, the caller commits. The petition's updated_at moves with the image,
so the cached petition page is rendered again."""

import hashlib
from datetime import datetime

from flask_babel import gettext as _
from PIL import Image

from campaign import audit
from campaign.extensions import db
from campaign.media import MediaError, hashed_name, media_dir, public_dir, write_once
from campaign.media.images import clean, encode, open_image, read_upload, responsive_sizes
from campaign.models import Petition, PetitionImage

ALT_MAX = 300


def set_hero_from_upload(
    petition: Petition, file_name: str, stream, alt: str, focus: tuple[int, int], *, actor, now: datetime
) -> PetitionImage:
    """Check, clean and store an uploaded image as the petition's hero. Raises MediaError."""
    alt = _checked_alt(alt)
    original = clean(open_image(read_upload(file_name, stream)))
    image = set_hero(petition, original, alt, focus, now)
    audit.record("petition.image", f"petition:{petition.id}", actor=actor)
    return image


def set_hero(
    petition: Petition, original: Image.Image, alt: str, focus: tuple[int, int], now: datetime
) -> PetitionImage:
    """Store a cleaned picture (see images.clean) and its sizes as the petition's hero."""
    data = encode(original, "jpeg")
    digest = hashlib.sha256(data).hexdigest()
    write_once(media_dir("originals"), f"{digest}.jpg", data)
    image = petition.hero_image
    if image is None:
        image = petition.hero_image = PetitionImage()
    image.alt, image.digest = _checked_alt(alt), digest
    image.focus_x, image.focus_y = _checked_focus(focus)
    image.sizes = _store_sizes(original, image.focus_x, image.focus_y)
    image.updated_at = petition.updated_at = now
    db.session.flush()
    return image


def update_hero(
    petition: Petition, alt: str, focus: tuple[int, int], *, actor, now: datetime
) -> PetitionImage:
    """A new alt text or focal point for the image there is: cropped again from the kept original."""
    image = petition.hero_image
    if image is None:
        raise MediaError(_("Kies een afbeelding."))
    alt, focus = _checked_alt(alt), _checked_focus(focus)
    if focus != (image.focus_x, image.focus_y):
        path = media_dir("originals") / f"{image.digest}.jpg"
        if not path.is_file():
            raise MediaError(
                _("Het origineel van deze afbeelding ontbreekt. Upload de afbeelding opnieuw."), 409
            )
        with Image.open(path) as stored:
            original = Image.frombytes("RGB", stored.size, stored.convert("RGB").tobytes())
        image.focus_x, image.focus_y = focus
        image.sizes = _store_sizes(original, *focus)
    image.alt = alt
    image.updated_at = petition.updated_at = now
    audit.record("petition.image", f"petition:{petition.id}", details="alt/focus", actor=actor)
    db.session.flush()
    return image


def remove_hero(petition: Petition, *, actor, now: datetime) -> None:
    """The petition shows no image any more. The files stay: cached pages and shared links may still
    name them, and a content-hashed file is never wrong."""
    if petition.hero_image is not None:
        petition.hero_image = None
        petition.updated_at = now
        audit.record("petition.image_removed", f"petition:{petition.id}", actor=actor)
        db.session.flush()


def _store_sizes(original: Image.Image, focus_x: int, focus_y: int) -> list[dict]:
    folder = public_dir()
    sizes = []
    for width, height, picture in responsive_sizes(original, focus_x, focus_y):
        size = {"width": width, "height": height}
        for kind, extension in (("webp", "webp"), ("jpeg", "jpg")):
            data = encode(picture, kind)
            size[kind] = hashed_name(data, extension)
            write_once(folder, size[kind], data)
        sizes.append(size)
    return sizes


def _checked_alt(alt: str) -> str:
    alt = " ".join((alt or "").split())
    if not alt:
        raise MediaError(
            _("Beschrijf wat er op de afbeelding te zien is (voor wie haar niet kan zien)."), field="alt"
        )
    if len(alt) > ALT_MAX:
        raise MediaError(_("De beschrijving mag hoogstens %(n)s tekens lang zijn.", n=ALT_MAX), field="alt")
    return alt


def _checked_focus(focus: tuple[int, int]) -> tuple[int, int]:
    x, y = focus
    if x is None or y is None or not (0 <= x <= 100 and 0 <= y <= 100):
        raise MediaError(_("Het brandpunt is twee getallen van 0 tot en met 100."), field="focus_x")
    return int(x), int(y)
