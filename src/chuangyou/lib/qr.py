"""QR codes drawn into PDFs as vector squares.

One filled path of the dark modules (each row's runs of dark modules as one rectangle): sharp at any
print size, a few hundred bytes, and no PNG to encode. The mask is fixed: letting segno score all eight
masks cost three quarters of a certificate's time, and any mask scans (every code the app prints is
decoded in its tests).
"""

from __future__ import annotations

import segno
from reportlab.lib.colors import black
from reportlab.pdfgen.canvas import Canvas

MASK = 0
QUIET = 2  # modules of blank margin inside the given square; the paper around it adds to it


def modules(text: str) -> tuple[bytearray, ...]:
    """The symbol's rows, dark modules as 1. Error correction M (15% of the code may be lost), raised
    for free by segno when the text still fits the same size."""
    return segno.make(text, error="m", mask=MASK, micro=False).matrix


def draw(canvas: Canvas, text: str, x: float, y: float, size: float, *, quiet: int = QUIET) -> None:
    """The code of `text` in the square of side `size` whose lower-left corner is (x, y)."""
    rows = modules(text)
    count = len(rows)
    module = size / (count + 2 * quiet)
    ops: list[str] = []
    for r, row in enumerate(rows):
        bottom = count - 1 - r  # in modules, from the symbol's lower edge
        c = 0
        while c < count:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < count and row[c]:
                c += 1
            ops.append(f"{start} {bottom} {c - start} 1 re")
    canvas.saveState()
    # In module units, so every coordinate is a small integer: short to write and to format.
    canvas.transform(module, 0, 0, module, x + quiet * module, y + quiet * module)
    canvas.setFillColor(black)
    canvas.addLiteral("\n".join(ops) + "\nf")
    canvas.restoreState()
