"""Reading the PDFs the app makes, for tests: their text, and every QR code on each page decoded the
way a phone would read it (the page rasterized by PDFium, the codes read by ZXing)."""

from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
import zxingcpp
from pypdf import PdfReader


def pdf_text(pdf: bytes) -> str:
    """All the text, whitespace removed (PDF extraction breaks lines where the layout does)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in pages))


def qr_codes(pdf: bytes, *, dpi: int = 150) -> list[list[str]]:
    """Per page, the text of each QR code found, top to bottom and left to right."""
    document = pdfium.PdfDocument(pdf)
    try:
        out = []
        for page in document:
            image = page.render(scale=dpi / 72).to_pil()
            page.close()
            found = [c for c in zxingcpp.read_barcodes(image) if c.format == zxingcpp.BarcodeFormat.QRCode]
            found.sort(key=lambda code: (code.position.top_left.y // 50, code.position.top_left.x))
            out.append([code.text for code in found])
        return out
    finally:
        document.close()
