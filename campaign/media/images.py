"""Pillow's part of a hero image: open and check an upload, clean it, crop it around a focal point
and encode the responsive sizes.

Cleaning: EXIF orientation is applied first, the colours are converted to sRGB when the file carries
an ICC profile, and the pixels are copied into a new image, so no metadata (EXIF, GPS, XMP, IPTC,
comments, the ICC profile) reaches any file we write.
"""

import io
import warnings

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from campaign.media import MediaError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
EXTENSIONS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
RATIO = (16, 9)  # every hero size is cropped to this
WIDTHS = (480, 800, 1200, 1600)
MIN_WIDTH, MIN_HEIGHT = 480, 270
ORIGINAL_MAX_SIDE = 3200  # the cleaned original we keep for cropping again


def read_upload(file_name: str, stream) -> bytes:
    """The upload's bytes, refused when missing, too large or not named as an image we take."""
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in (file_name or "") else ""
    if extension not in EXTENSIONS:
        raise MediaError(_("Kies een afbeelding in JPEG, PNG of WebP (.jpg, .png of .webp)."), 415)
    limit = current_app.config["HERO_IMAGE_MAX_BYTES"]
    data = stream.read(limit + 1)
    if not data:
        raise MediaError(_("Het bestand is leeg."))
    if len(data) > limit:
        raise MediaError(_("De afbeelding is groter dan %(mb)s MB.", mb=limit // (1024 * 1024)), 413)
    return data


def open_image(data: bytes) -> Image.Image:
    """Open, verify and decode: refuses what is not a JPEG, PNG or WebP whatever its name says,
    too many pixels (a decompression bomb), damaged files and images too small for a hero."""
    max_pixels = current_app.config["HERO_IMAGE_MAX_PIXELS"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ACCEPTED_FORMATS:
                raise MediaError(_("Dit bestand is geen JPEG-, PNG- of WebP-afbeelding."), 415)
            _refuse_bomb(probe.size, max_pixels)
            probe.verify()
            image = Image.open(io.BytesIO(data))  # verify() leaves the image unusable
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaError(_bomb_message(), 413) from None
    except UnidentifiedImageError:
        raise MediaError(_("Dit bestand is geen JPEG-, PNG- of WebP-afbeelding."), 415) from None
    except (OSError, SyntaxError, ValueError) as error:
        if isinstance(error, MediaError):
            raise
        raise MediaError(_("De afbeelding is beschadigd of onvolledig. Probeer een ander bestand.")) from None
    if image.width < MIN_WIDTH or image.height < MIN_HEIGHT:
        raise MediaError(
            _("De afbeelding is te klein: minstens %(w)s bij %(h)s pixels.", w=MIN_WIDTH, h=MIN_HEIGHT)
        )
    return image


def _refuse_bomb(size: tuple[int, int], max_pixels: int) -> None:
    if size[0] * size[1] > max_pixels:
        raise MediaError(_bomb_message(), 413)


def _bomb_message() -> str:
    return _("De afbeelding heeft te veel pixels. Verklein haar tot hoogstens 50 megapixel.")


def clean(image: Image.Image) -> Image.Image:
    """Upright, sRGB, RGB, at most ORIGINAL_MAX_SIDE, and without any metadata."""
    image = ImageOps.exif_transpose(image)
    profile = image.info.get("icc_profile")
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    elif image.mode != "RGB":
        image = image.convert("RGB")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            image = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"))
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile: keep the pixels as they are
    image.thumbnail((ORIGINAL_MAX_SIDE, ORIGINAL_MAX_SIDE), Image.Resampling.LANCZOS)
    # A fresh image holds pixels only: nothing from the file's info travels along.
    return Image.frombytes("RGB", image.size, image.tobytes())


def crop_box(size: tuple[int, int], focus_x: int, focus_y: int) -> tuple[int, int, int, int]:
    """The largest RATIO box inside `size`, centred on the focal point (percentages) as far as the
    edges allow."""
    width, height = size
    crop_w = min(width, height * RATIO[0] // RATIO[1])
    crop_h = crop_w * RATIO[1] // RATIO[0]
    left = round(width * focus_x / 100 - crop_w / 2)
    top = round(height * focus_y / 100 - crop_h / 2)
    left = max(0, min(left, width - crop_w))
    top = max(0, min(top, height - crop_h))
    return left, top, left + crop_w, top + crop_h


def encode(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind == "webp":
        image.save(out, "WEBP", quality=80, method=4)
    elif kind == "jpeg":
        image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def responsive_sizes(original: Image.Image, focus_x: int, focus_y: int):
    """(width, height, resized image) for each of WIDTHS the crop is wide enough for (at least one)."""
    cropped = original.crop(crop_box(original.size, focus_x, focus_y))
    widths = [width for width in WIDTHS if width <= cropped.width] or [WIDTHS[0]]
    for width in widths:
        height = width * RATIO[1] // RATIO[0]
        yield width, height, cropped.resize((width, height), Image.Resampling.LANCZOS)
