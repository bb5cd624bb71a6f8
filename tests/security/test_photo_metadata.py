"""Residents' photos are stored without any metadata segment: a photo built with EXIF,
XMP, an ICC profile, a JPEG comment (COM), IPTC (APP13) or PNG text chunks is sent
through the report form, and the bytes on disk are parsed segment by segment."""

import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from feedback.models import ComplaintPhoto

from .feedback_fixtures import *  # noqa: F403
from .feedback_fixtures import REPORT, _own_media_root, report_data  # noqa: F401 - autouse: empty media folders

pytestmark = pytest.mark.django_db
SECRET = "幸福路88号-张三丰-13812345678"
SECRET_BYTES = SECRET.encode()


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "SECRET-PHONE-MAKER"  # Make
    exif[0x8825] = {1: "N", 2: (25.0, 2.0, 30.0)}  # GPS IFD
    exif[0x9286] = SECRET  # UserComment
    return exif


def _xmp() -> bytes:
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description dc:creator="{SECRET}" xmlns:dc="http://purl.org/dc/elements/1.1/"/>'
        "</rdf:RDF></x:xmpmeta>"
    ).encode()


def _icc() -> bytes:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return profile.tobytes() + SECRET_BYTES  # trailing bytes: the profile still loads


def _iptc_segment() -> bytes:
    """An APP13 (Photoshop 3.0 / IPTC-IIM) segment with a caption 2:120."""
    record = b"\x1c\x02\x78" + struct.pack(">H", len(SECRET_BYTES)) + SECRET_BYTES
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(record)) + record
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def _picture() -> Image.Image:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    image.paste((20, 120, 220), (10, 10, 40, 30))
    return image


def _jpeg(**kwargs) -> bytes:
    out = io.BytesIO()
    _picture().save(out, format="JPEG", **kwargs)
    return out.getvalue()


def _jpeg_with_iptc() -> bytes:
    data = _jpeg()
    return data[:2] + _iptc_segment() + data[2:]  # right after SOI


def _png(**kwargs) -> bytes:
    out = io.BytesIO()
    _picture().save(out, format="PNG", **kwargs)
    return out.getvalue()


def _png_text() -> PngInfo:
    info = PngInfo()
    info.add_text("Author", "SECRET-AUTHOR")
    info.add_text("Comment", SECRET, zip=True)  # zTXt
    info.add_itxt("Description", SECRET, lang="zh", tkey="说明")  # iTXt
    info.add_itxt("XML:com.adobe.xmp", _xmp().decode())
    return info


def _webp(**kwargs) -> bytes:
    out = io.BytesIO()
    _picture().save(out, format="WEBP", **kwargs)
    return out.getvalue()


PHOTOS = {
    "jpeg exif": ("jpg", lambda: _jpeg(exif=_exif())),
    "jpeg xmp": ("jpg", lambda: _jpeg(xmp=_xmp())),
    "jpeg icc": ("jpg", lambda: _jpeg(icc_profile=_icc())),
    "jpeg comment": ("jpg", lambda: _jpeg(comment=SECRET_BYTES)),
    "jpeg iptc": ("jpg", _jpeg_with_iptc),
    "jpeg everything": (
        "jpg",
        lambda: (lambda d: d[:2] + _iptc_segment() + d[2:])(
            _jpeg(exif=_exif(), xmp=_xmp(), icc_profile=_icc(), comment=SECRET_BYTES)
        ),
    ),
    "png text": ("png", lambda: _png(pnginfo=_png_text())),
    "png icc": ("png", lambda: _png(icc_profile=_icc())),
    "png exif": ("png", lambda: _png(exif=_exif())),
    "webp exif xmp icc": ("webp", lambda: _webp(exif=_exif(), xmp=_xmp(), icc_profile=_icc())),
}


def jpeg_markers(data: bytes) -> list[int]:
    """The markers of every segment before the image data (SOS)."""
    assert data[:2] == b"\xff\xd8"
    markers, pos = [], 2
    while pos < len(data):
        assert data[pos] == 0xFF
        marker = data[pos + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        pos += 2 + length
    return markers


def png_chunks(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        chunks.append(data[pos + 4 : pos + 8])
        pos += 12 + length
    return chunks


def webp_chunks(data: bytes) -> list[bytes]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    chunks, pos = [], 12
    while pos < len(data):
        kind = data[pos : pos + 4]
        (length,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        chunks.append(kind)
        pos += 8 + length + (length & 1)
    return chunks


@pytest.mark.parametrize("kind", PHOTOS)
def test_uploaded_photo_is_stored_without_any_metadata_segment(client, site, category, community, kind):
    extension, build = PHOTOS[kind]
    original = build()
    # The test image does carry it (a PNG's iCCP chunk is compressed, so look for the chunk).
    assert SECRET_BYTES in original or b"SECRET-" in original or b"iCCP" in original
    data = report_data(category, community)
    data["photos"] = [
        SimpleUploadedFile(f"IMG_0001.{extension}", original, content_type=f"image/{extension}")
    ]
    assert client.post(REPORT, data).status_code == 302

    photo = ComplaintPhoto.objects.get()
    with photo.file.open("rb") as handle:
        stored = handle.read()
    assert SECRET_BYTES not in stored and b"SECRET-" not in stored and b"8BIM" not in stored
    if extension == "jpg":
        markers = jpeg_markers(stored)
        # Only JFIF (APP0), tables, frame and scan: no APP1 (EXIF/XMP), APP2 (ICC),
        # APP13 (IPTC), COM or any other application segment.
        assert set(markers) <= {0xE0, 0xDB, 0xC4, 0xC0, 0xC2, 0xDD, 0xDA}, [hex(m) for m in markers]
    elif extension == "png":
        assert set(png_chunks(stored)) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
    else:
        assert set(webp_chunks(stored)) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (64, 48) and not image.getexif() and "icc_profile" not in image.info


def test_transparency_of_a_palette_png_survives_the_clean_up():
    from feedback.complaints.photos import clean_photo

    image = Image.new("P", (32, 32), 0)
    image.putpalette([255, 255, 255, 200, 30, 30] + [0] * 762)
    image.paste(1, (8, 8, 24, 24))
    out = io.BytesIO()
    image.save(out, format="PNG", transparency=0, pnginfo=_png_text())
    cleaned = clean_photo(SimpleUploadedFile("a.png", out.getvalue(), content_type="image/png"))
    assert SECRET_BYTES not in cleaned.content
    with Image.open(io.BytesIO(cleaned.content)) as stored:
        assert stored.info.get("transparency") == 0
