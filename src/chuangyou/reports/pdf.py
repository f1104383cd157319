"""Converting a .docx to PDF with LibreOffice headless, as a school's own computer would print it."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings


class ConversionFailed(RuntimeError):
    pass


def soffice() -> str:
    configured = settings.SOFFICE_PATH
    found = configured or shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise ConversionFailed("找不到 LibreOffice（soffice）：请安装 libreoffice-writer-nogui。")
    return found


def docx_to_pdf(data: bytes, *, timeout: int = 120) -> bytes:
    """Each call has its own LibreOffice profile, so parallel conversions never share a lock."""
    with tempfile.TemporaryDirectory(prefix="cy-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "document.docx"
        source.write_bytes(data)
        profile = (folder / "profile").as_uri()
        result = subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
            [
                soffice(),
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(source),
            ],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        target = folder / "document.pdf"
        if result.returncode != 0 or not target.exists():
            detail = (result.stderr or result.stdout).decode("utf-8", "replace")[:200]
            raise ConversionFailed(f"LibreOffice 未能转换为 PDF：{detail}")
        return target.read_bytes()
