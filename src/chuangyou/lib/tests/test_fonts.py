import io

from reportlab.pdfgen import canvas

from chuangyou.lib.fonts import HEI, KAI, register


def test_cjk_fonts_embed_as_subsets() -> None:
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for spec in (HEI, KAI):
        pdf.setFont(register(spec), 20)
        pdf.drawString(50, 700 if spec is HEI else 650, "荣誉证书 昭陵中学")
    pdf.save()
    data = out.getvalue()
    assert b"/FontFile2" in data  # the TrueType program is embedded...
    assert len(data) < 200_000  # ...as a subset: the whole fonts are over 20 MB
