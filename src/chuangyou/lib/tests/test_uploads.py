import io

import pytest
from PIL import Image

from chuangyou.lib.errors import Invalid
from chuangyou.lib.uploads import clean_upload


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (28.0, 11.0, 0.0)}  # GPSInfo: latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_reencoded_without_its_exif() -> None:
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()  # the test photo really has metadata
    cleaned = clean_upload(name="活动照片.JPG", data=io.BytesIO(original))
    assert cleaned.is_image
    assert cleaned.name == "活动照片.jpg"
    result = Image.open(io.BytesIO(cleaned.content))
    assert result.size == (40, 30)
    assert dict(result.getexif()) == {}


def test_text_named_like_a_photo_is_refused() -> None:
    with pytest.raises(Invalid, match="图片无法识别或已损坏"):
        clean_upload(name="x.jpg", data=io.BytesIO(b"not an image at all"))


def test_a_pdf_must_look_like_a_pdf() -> None:
    assert clean_upload(name="a.pdf", data=io.BytesIO(b"%PDF-1.7 ...")).content.startswith(b"%PDF")
    with pytest.raises(Invalid, match=r"文件内容与扩展名 \.pdf 不符"):
        clean_upload(name="a.pdf", data=io.BytesIO(b"MZ\x90\x00 an executable"))


def test_type_and_size_limits_are_explained_in_chinese() -> None:
    with pytest.raises(Invalid, match="只能上传 JPEG、JPG、PDF、PNG 文件"):
        clean_upload(name="a.exe", data=io.BytesIO(b"x"))
    with pytest.raises(Invalid, match="不能超过 1 MB"):
        clean_upload(name="a.pdf", data=io.BytesIO(b"%PDF" + b"0" * (1024 * 1024)), max_bytes=1024 * 1024)
    with pytest.raises(Invalid, match="文件是空的"):
        clean_upload(name="a.pdf", data=io.BytesIO(b""))
