"""GB/T 9704 (党政机关公文格式) layout with python-docx: page, fonts, headings and page numbers.

Chinese fonts in Word are chosen per script: `w:eastAsia` picks the font of Han characters, the
other attributes the font of digits and Latin letters. Both are set, so a document opened on a
machine without the official fonts falls back predictably (仿宋_GB2312 → 仿宋, 方正小标宋简体 → 宋体).
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "宋体"
BODY_FONT = "仿宋_GB2312"
BODY_FALLBACK = "仿宋"
HEI = "黑体"
KAI = "楷体_GB2312"
SONG = "宋体"

SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
LINE = Pt(28)  # 28 磅固定行距: 22 lines of 28 characters on the page
RED = RGBColor(0xE6, 0x00, 0x12)

STYLE_TITLE = "公文标题"
STYLE_H1 = "一级标题"
STYLE_H2 = "二级标题"
STYLE_BODY = "Normal"
STYLE_TABLE = "表格文字"
STYLE_SIGN = "落款"


def set_fonts(target: Run | ParagraphStyle, east_asian: str, latin: str | None = None) -> None:
    """Set the Han font (w:eastAsia) and the Latin one on a run or a style."""
    target.font.name = latin or east_asian
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin or east_asian)
    fonts.set(qn("w:eastAsia"), east_asian)


def _paragraph_style(doc: DocxDocument, name: str) -> ParagraphStyle:
    styles = doc.styles
    if name in [s.name for s in styles]:
        style = styles[name]
    else:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[STYLE_BODY]
    assert isinstance(style, ParagraphStyle)
    return style


def _exact_lines(style: ParagraphStyle, *, indent: bool) -> None:
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(32) if indent else Pt(0)  # 2 characters of 三号


def setup(doc: DocxDocument) -> None:
    """A4 with the standard margins, the body, title and heading styles, and page numbers."""
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(28)
    body = doc.styles[STYLE_BODY]
    assert isinstance(body, ParagraphStyle)
    set_fonts(body, BODY_FONT, BODY_FALLBACK)
    body.font.size = SIZE_3
    _exact_lines(body, indent=True)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    title = _paragraph_style(doc, STYLE_TITLE)
    set_fonts(title, TITLE_FONT, TITLE_FALLBACK)
    title.font.size = SIZE_2
    _exact_lines(title, indent=False)
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(28)
    title.paragraph_format.keep_with_next = True

    h1 = _paragraph_style(doc, STYLE_H1)
    set_fonts(h1, HEI)
    h1.font.size = SIZE_3
    _exact_lines(h1, indent=True)
    h1.paragraph_format.keep_with_next = True  # never a heading alone at the foot of a page

    h2 = _paragraph_style(doc, STYLE_H2)
    set_fonts(h2, KAI, "楷体")
    h2.font.size = SIZE_3
    _exact_lines(h2, indent=True)
    h2.paragraph_format.keep_with_next = True

    table = _paragraph_style(doc, STYLE_TABLE)
    set_fonts(table, BODY_FONT, BODY_FALLBACK)
    table.font.size = SIZE_4
    _exact_lines(table, indent=False)
    table.paragraph_format.line_spacing = Pt(22)
    table.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    sign = _paragraph_style(doc, STYLE_SIGN)
    _exact_lines(sign, indent=False)
    sign.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.paragraph_format.right_indent = Pt(32)  # 右空二字
    sign.paragraph_format.keep_together = True
    page_numbers(doc)


def _field(paragraph: Paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run._r.append(shown)
    set_fonts(run, SONG)
    run.font.size = SIZE_4


def _page_number(paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    paragraph.paragraph_format.alignment = align
    paragraph.paragraph_format.first_line_indent = Pt(0)
    # 单页码居右空一字，双页码居左空一字; "— 1 —" in 4号 半角宋体.
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = SIZE_4
    else:
        paragraph.paragraph_format.left_indent = SIZE_4
    for text in ("— ", None, " —"):
        if text is None:
            _field(paragraph, "PAGE")
        else:
            run = paragraph.add_run(text)
            set_fonts(run, SONG)
            run.font.size = SIZE_4


def page_numbers(doc: DocxDocument) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    for section in doc.sections:
        odd = section.footer.paragraphs[0]
        _page_number(odd, WD_ALIGN_PARAGRAPH.RIGHT)
        even = section.even_page_footer.paragraphs[0]
        _page_number(even, WD_ALIGN_PARAGRAPH.LEFT)


def title(doc: DocxDocument, text: str) -> Paragraph:
    return doc.add_paragraph(text, style=STYLE_TITLE)


def heading(doc: DocxDocument, text: str, level: int = 1) -> Paragraph:
    return doc.add_paragraph(text, style=STYLE_H1 if level == 1 else STYLE_H2)


def body(doc: DocxDocument, text: str) -> Paragraph:
    return doc.add_paragraph(text, style=STYLE_BODY)


def signature(doc: DocxDocument, text: str) -> Paragraph:
    """A line of the 落款 (the issuer, then the date), right-aligned two characters in. The first line
    keeps with the next and has a blank line above it, as the standard has it below the body."""
    paragraph = doc.add_paragraph(text, style=STYLE_SIGN)
    earlier = doc.paragraphs[-2] if len(doc.paragraphs) > 1 else None
    if earlier is None or earlier.style is None or earlier.style.name != STYLE_SIGN:
        paragraph.paragraph_format.space_before = LINE
        paragraph.paragraph_format.keep_with_next = True
    return paragraph


def table_layout(table: Table, doc: DocxDocument, *, header_rows: int = 1) -> None:
    """Table text in the table style; the header row(s) repeat at the top of every page
    (w:tblHeader), and no row is split across two pages (w:cantSplit)."""
    for index, row in enumerate(table.rows):
        props = row._tr.get_or_add_trPr()
        # The schema orders trPr's children: cantSplit before trHeight, tblHeader after it.
        later = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
        props.insert_element_before(OxmlElement("w:cantSplit"), "w:trHeight", "w:tblHeader", *later)
        if index < header_rows:
            props.insert_element_before(OxmlElement("w:tblHeader"), *later)
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.style = doc.styles[STYLE_TABLE]


def red_rule(paragraph: Paragraph, *, size_eighths: int = 18) -> None:
    """A red line under a paragraph: the rule under a 版头 or 报头."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size_eighths))
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "E60012")
    borders.append(bottom)
    ppr.append(borders)


def thin_rule(paragraph: Paragraph, *, top: bool = False) -> None:
    """A black line above or below a paragraph: the rules around the 版记 (报/送/发)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    edge = OxmlElement("w:top" if top else "w:bottom")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), "6")
    edge.set(qn("w:space"), "1")
    edge.set(qn("w:color"), "000000")
    borders.append(edge)
    ppr.append(borders)
