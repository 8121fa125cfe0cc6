"""Images: hero images per petition (heroes), share cards (cards), the demo's drawn pictures (drawing).

Public files live in MEDIA_DIR/public under names made from a hash of their content, so a name never
points at other bytes and every cache may keep them for ever (the /media/<name> route says so).
"""

import hashlib
import os
import re
import tempfile
from pathlib import Path

from flask import current_app

# What /media/<name> serves: content-hashed names only, nothing else in that folder.
PUBLIC_NAME = re.compile(r"^[0-9a-f]{24}\.(webp|jpg|png)$")
CONTENT_TYPES = {"webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}


class MediaError(ValueError):
    """An upload we refuse; the message is for the campaigner, `status` the answer's code and
    `field` the form field it is about."""

    def __init__(self, message: str, status: int = 400, field: str = "image"):
        super().__init__(message)
        self.status, self.field = status, field


def media_dir(part: str) -> Path:
    path = Path(current_app.config["MEDIA_DIR"]) / part
    path.mkdir(parents=True, exist_ok=True)
    return path


def public_dir() -> Path:
    return media_dir("public")


def hashed_name(data: bytes, extension: str) -> str:
    return f"{hashlib.sha256(data).hexdigest()[:24]}.{extension}"


def write_once(folder: Path, name: str, data: bytes) -> None:
    """Write a file whole or not at all (a temporary file renamed over): a reader on another
    process or machine never sees half of it. A content-hashed name already there is left alone."""
    target = folder / name
    if target.exists():
        return
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
