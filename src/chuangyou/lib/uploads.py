"""Checking uploaded evidence: size, type by content (not by name), and images re-encoded.

A photo from a phone carries EXIF (GPS position, device); re-encoding drops it and also defeats files
that only pretend to be images. Every app that accepts a photo or document calls `clean_upload`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import PurePath
from typing import Protocol

from django.utils.translation import gettext
from PIL import Image, ImageOps, UnidentifiedImageError

from chuangyou.lib.errors import Invalid

IMAGE_TYPES = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
DOCUMENT_SIGNATURES = {
    "pdf": (b"%PDF",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "xls": (b"\xd0\xcf\x11\xe0",),
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Larger photos are scaled down: enough for print and the exhibition, and it bounds storage.
MAX_IMAGE_SIDE = 3000
Image.MAX_IMAGE_PIXELS = 60_000_000  # refuse decompression bombs


class Readable(Protocol):
    """Anything with read(): an uploaded file, an open file, BytesIO."""

    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True)
class CleanFile:
    name: str  # a safe file name with the right extension
    content: bytes
    is_image: bool


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def clean_upload(
    *,
    name: str,
    data: Readable,
    allowed: tuple[str, ...] = ("jpg", "jpeg", "png", "pdf"),
    max_bytes: int = DEFAULT_MAX_BYTES,
    field: str = "file",
) -> CleanFile:
    """Check an upload and return what to store. Raises Invalid with a Chinese message."""
    extension = _extension(name)
    allowed_text = "、".join(sorted({e.upper() for e in allowed}))
    if extension not in allowed:
        raise Invalid(
            gettext("不支持的文件类型：只能上传 %(allowed_text)s 文件。") % {"allowed_text": allowed_text},
            {field: [gettext("文件类型不支持。")]},
        )
    content = data.read(max_bytes + 1)
    if not content:
        raise Invalid(gettext("上传的文件是空的。"), {field: [gettext("文件是空的。")]})
    if len(content) > max_bytes:
        raise Invalid(
            gettext("文件太大：不能超过 %(value)s MB。") % {"value": max_bytes // (1024 * 1024)},
            {field: [gettext("文件太大。")]},
        )
    stem = PurePath(name).stem[:80] or "file"
    if extension in IMAGE_TYPES:
        return CleanFile(
            name=f"{stem}.{'jpg' if extension == 'jpeg' else extension}",
            content=reencode_image(content, IMAGE_TYPES[extension], field=field),
            is_image=True,
        )
    signatures = DOCUMENT_SIGNATURES.get(extension, ())
    if signatures and not content.startswith(signatures):
        raise Invalid(
            gettext("文件内容与扩展名 .%(extension)s 不符，请检查文件。") % {"extension": extension},
            {field: [gettext("文件内容与类型不符。")]},
        )
    return CleanFile(name=f"{stem}.{extension}", content=content, is_image=False)


def reencode_image(content: bytes, fmt: str, *, field: str = "file") -> bytes:
    """Decode and re-encode: metadata (EXIF, GPS) is dropped, orientation applied, size bounded."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise Invalid(
            gettext("图片无法识别或已损坏，请重新拍照或换一张图片。"), {field: [gettext("图片无法识别。")]}
        ) from exc
    upright.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    if fmt == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    out = io.BytesIO()
    options = {"quality": 88, "optimize": True} if fmt == "JPEG" else {}
    upright.save(out, format=fmt, **options)  # no exif= argument: nothing of the original's metadata
    return out.getvalue()
