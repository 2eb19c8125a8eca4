"""An editable Word copy (.docx) of a memo, built with python-docx from the same context as the
HTML page and the PDF (ita_portal.memo_document.memo_document_context): the same paragraphs,
tables, numbering and signature chain, never parsed back out of the HTML.

The layout follows ../shared/reference/memo_and_pdf.md §1.2 as static/css/memo.css does: A4
(landscape for the wide plan of seed 004), margins left 3 cm, right 2 cm, top 1.5 cm, bottom 2 cm,
TH Sarabun New 16 pt (the font Thai offices have installed; the portal's PDFs embed its free
twin Sarabun), heading 29 pt, header labels 20 pt, first-line indent 2.5 cm, page numbers
"- ๒ -" centred at the top from page 2 (Thai digits through Word's ThaiArabic field switch when
the memo uses Thai numerals), table header rows repeated on every page.

``render_memo_docx(memo)`` is the one entry point (the memo page's download and bulk packs).
"""

import io
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_UNDERLINE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ita_portal.memo_document import memo_charts, memo_document_context
from ita_portal.models import PortalSettings
from ita_portal.templatetags.thai import memo_date, memo_number
from measures.memo_content import PlanContent, QuestionAnalysisContent, WeakPointsContent
from measures.models import Memo
from portal_core import thai

FONT = "TH Sarabun New"
BODY_PT = 16
TABLE_PT = 13
SMALL_TABLE_PT = 11
INDENT = Cm(2.5)
EMBLEM_HEIGHT = Cm(1.5)
PHOTO_WIDTH = Cm(7.5)
GROUP_SHADE = "F0F0F0"
A4 = (Cm(21), Cm(29.7))
MARGINS = {"top": Cm(1.5), "right": Cm(2), "bottom": Cm(2), "left": Cm(3)}
WIDE_MARGINS = {"top": Cm(1.5), "right": Cm(2), "bottom": Cm(1.5), "left": Cm(2.5)}
RUN_PROPERTIES_AFTER_SZCS = (
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
TABLE_PROPERTIES_AFTER_BORDERS = (
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Cell:
    """One cell of a memo table as the HTML writes it: its lines (each a paragraph in Word),
    how many rows and columns it spans, and whether it is a bold or shaded heading cell."""

    lines: list[str]
    rowspan: int = 1
    colspan: int = 1
    bold: bool = False
    shaded: bool = False
    centred: bool = False


@dataclass
class Table:
    """A table of the attachment: header cells, body rows and column widths in per cent."""

    headers: list[str]
    widths: list[int]
    rows: list[list[Cell]] = field(default_factory=list)
    size: int = TABLE_PT
    width_share: int = 100


def _font(element, *, size: float | None = None, bold: bool | None = None) -> None:
    """Set the Thai font on a style or run: Word reads Thai text from the complex-script slots
    (w:cs, w:szCs, w:bCs), which python-docx's font properties leave alone. Elements are
    placed in the schema's order (Word refuses a file whose run properties are out of order)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    if size is not None:
        complex_size = rpr.find(qn("w:szCs"))
        if complex_size is None:
            complex_size = OxmlElement("w:szCs")
            rpr.insert_element_before(complex_size, *RUN_PROPERTIES_AFTER_SZCS)
        rpr.get_or_add_sz().set(qn("w:val"), str(int(size * 2)))
        complex_size.set(qn("w:val"), str(int(size * 2)))
    if bold is not None:
        for node in (rpr.get_or_add_b(), rpr.get_or_add_bCs()):
            node.set(qn("w:val"), "1" if bold else "0")


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _borders(table, *, visible: bool) -> None:
    """Single 0.6 pt lines around every cell (the grid tables), or none (layout tables)."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        node = OxmlElement(f"w:{edge}")
        node.set(qn("w:val"), "single" if visible else "nil")
        if visible:
            node.set(qn("w:sz"), "5")
            node.set(qn("w:color"), "000000")
        borders.append(node)
    tbl_pr.insert_element_before(borders, *TABLE_PROPERTIES_AFTER_BORDERS)


def _box(cell) -> None:
    """A thin border around one cell (the placeholder of the missing emblem)."""
    borders = OxmlElement("w:tcBorders")
    for edge in ("top", "left", "bottom", "right"):
        node = OxmlElement(f"w:{edge}")
        node.set(qn("w:val"), "single")
        node.set(qn("w:sz"), "6")
        node.set(qn("w:color"), "666666")
        borders.append(node)
    cell._tc.get_or_add_tcPr().append(borders)


def _repeat_header(row) -> None:
    node = OxmlElement("w:tblHeader")
    node.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(node)


def _cant_split(row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _page_field(paragraph, *, thai_digits: bool) -> None:
    """A PAGE field, in Thai digits (Word's ThaiArabic switch) when the memo uses them."""
    instruction = " PAGE \\* ThaiArabic " if thai_digits else " PAGE "
    for kind in ("begin", None, "separate", "end"):
        run = paragraph.add_run()
        if kind is None:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = instruction
            run._r.append(code)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
            if kind == "separate":
                paragraph.add_run("๒" if thai_digits else "2")


class MemoWriter:
    """Writes one memo into a python-docx Document, block by block, in the HTML's order."""

    def __init__(self, memo: Memo, context: dict):
        self.memo = memo
        self.context = context
        self.thai_digits = memo.thai_numerals
        self.document = Document()
        self._styles()
        self._page(wide=context["page_name"].startswith("wide"))

    # formatting helpers -------------------------------------------------------------------
    def d(self, value) -> str:
        """``value`` in the memo's digits."""
        return thai.digits("" if value is None else value, thai=self.thai_digits)

    def code(self, code: str) -> str:
        """A question code written as the memo writes codes (Memo.codes_in_thai_digits)."""
        return thai.digits(code, thai=self.memo.codes_in_thai_digits)

    def score(self, value) -> str:
        return thai.score_text(value, thai=self.thai_digits)

    def year(self, value) -> str:
        return thai.fiscal_year_label(int(value), thai=self.thai_digits)

    def _styles(self) -> None:
        normal = self.document.styles["Normal"]
        _font(normal.element, size=BODY_PT)
        normal.paragraph_format.space_before = Pt(0)
        normal.paragraph_format.space_after = Pt(2)
        normal.paragraph_format.line_spacing = 1.0

    def _page(self, *, wide: bool) -> None:
        section = self.document.sections[0]
        width, height = A4
        if wide:
            section.orientation = WD_ORIENT.LANDSCAPE
            width, height = height, width
        section.page_width, section.page_height = width, height
        for side, value in (WIDE_MARGINS if wide else MARGINS).items():
            setattr(section, f"{side}_margin", value)
        section.header_distance = Cm(0.8)
        section.different_first_page_header_footer = True
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        header.add_run("- ")
        _page_field(header, thai_digits=self.thai_digits)
        header.add_run(" -")

    @property
    def text_width(self):
        section = self.document.sections[0]
        return section.page_width - section.left_margin - section.right_margin

    def paragraph(
        self,
        text: str = "",
        *,
        container=None,
        lead: str = "",
        indent: bool = False,
        bold: bool = False,
        size: float | None = None,
        align=None,
        space_before: float | None = None,
    ):
        """A paragraph; newlines in ``text`` become line breaks (the HTML's linebreaksbr)."""
        paragraph = (container or self.document).add_paragraph()
        if indent:
            paragraph.paragraph_format.first_line_indent = INDENT
        if align is not None:
            paragraph.alignment = align
        if space_before is not None:
            paragraph.paragraph_format.space_before = Pt(space_before)
        if lead:
            _font(paragraph.add_run(lead + " ")._r, bold=True)
        self.runs(paragraph, text, bold=bold, size=size)
        return paragraph

    def runs(self, paragraph, text: str, *, bold: bool = False, size: float | None = None):
        for number, line in enumerate(str(text).split("\n")):
            run = paragraph.add_run()
            if number:
                run.add_break(WD_BREAK.LINE)
            run.add_text(line)
            _font(run._r, size=size, bold=bold or None)
        return paragraph

    def heading(self, text: str, *, centred: bool = False) -> None:
        paragraph = self.paragraph(text, bold=True, space_before=6)
        paragraph.paragraph_format.keep_with_next = True
        if centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def caption(self, text: str) -> None:
        paragraph = self.paragraph(text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=6)
        paragraph.paragraph_format.keep_with_next = True

    def picture(self, data: bytes) -> None:
        """A chart at the size it was drawn (its PNG records its resolution), never wider than
        the text."""
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        shape = paragraph.add_run().add_picture(io.BytesIO(data))
        if shape.width > self.text_width:
            shape.height = int(shape.height * self.text_width / shape.width)
            shape.width = self.text_width

    def table(self, spec: Table) -> None:
        """A bordered table with a repeated header row; cells spanning rows or columns are
        merged as in the HTML (a cell is placed in the first column the rows above leave free)."""
        columns = len(spec.headers)
        table = self.document.add_table(rows=1 + len(spec.rows), cols=columns)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _borders(table, visible=True)
        total = int(self.text_width * spec.width_share / 100)
        widths = [int(total * share / sum(spec.widths)) for share in spec.widths]
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width
        header = table.rows[0]
        _repeat_header(header)
        for cell, text in zip(header.cells, spec.headers, strict=True):
            self._fill(cell, Cell([text], bold=True, centred=True), size=spec.size)
        # the cells are looked up before any merge: table.cell() walks the whole grid each time
        grid = [row.cells for row in table.rows]
        taken: set[tuple[int, int]] = set()
        for r, cells in enumerate(spec.rows, start=1):
            _cant_split(table.rows[r])
            column = 0
            for cell in cells:
                while (r, column) in taken:
                    column += 1
                last_row, last_column = r + cell.rowspan - 1, column + cell.colspan - 1
                target = grid[r][column]
                if (last_row, last_column) != (r, column):
                    target = target.merge(grid[last_row][last_column])
                for rr in range(r, last_row + 1):
                    for cc in range(column, last_column + 1):
                        taken.add((rr, cc))
                self._fill(target, cell, size=spec.size)
                column = last_column + 1
        self.document.add_paragraph()

    def _fill(self, cell, spec: Cell, *, size: float) -> None:
        lines = spec.lines or [""]
        first = cell.paragraphs[0]
        for text in lines:
            paragraph = first if first is not None else cell.add_paragraph()
            first = None
            if spec.centred:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.runs(paragraph, text, bold=spec.bold, size=size)
        if spec.shaded:
            _shade(cell, GROUP_SHADE)

    # the memo ------------------------------------------------------------------------------
    def write(self) -> bytes:
        memo = self.memo
        if memo.cover:
            self.cover()
        self.attachment()
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    def cover(self) -> None:
        memo = self.memo
        self.head()
        issuer = memo.issuer.name
        if memo.issuer.phone:
            issuer += f" ({self.d(memo.issuer.phone)})"
        self.field(self.document.add_paragraph(), "ส่วนราชการ", issuer)
        row = self._layout_table(2, [0.5, 0.5])
        self.field(row[0].paragraphs[0], "ที่", memo_number(memo))
        self.field(row[1].paragraphs[0], "วันที่", memo_date(memo))
        self.field(self.document.add_paragraph(), "เรื่อง", memo.subject)
        self.paragraph(f"เรียน  {memo.addressee}", space_before=3)
        for lead, text in (
            ("ต้นเรื่อง", memo.background),
            ("ข้อเท็จจริง", memo.facts),
            ("ข้อพิจารณา", memo.considerations),
            ("ข้อเสนอ", memo.proposal),
        ):
            if text:
                self.paragraph(text, lead=lead, indent=True)
        if memo.closing:
            self.paragraph(memo.closing, indent=True, space_before=4)
        self.signatures(self.context["signatures"])

    def _layout_table(self, columns: int, shares: list[float]):
        table = self.document.add_table(rows=1, cols=columns)
        _borders(table, visible=False)
        for cell, share in zip(table.rows[0].cells, shares, strict=True):
            cell.width = int(self.text_width * share)
        return table.rows[0].cells

    def head(self) -> None:
        """The Garuda (or, on a draft without it, the placeholder box) and บันทึกข้อความ."""
        emblem_cm = 1.5 / (self.text_width / Cm(1))
        garuda, title, _ = self._layout_table(3, [emblem_cm, 1 - 2 * emblem_cm, emblem_cm])
        emblem = self.context.get("emblem_path")
        if emblem:
            garuda.paragraphs[0].add_run().add_picture(str(emblem), height=EMBLEM_HEIGHT)
        elif self.context["emblem_placeholder"]:
            _box(garuda)
            self.runs(garuda.paragraphs[0], self.context["emblem_placeholder"], size=8)
        heading = title.paragraphs[0]
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.runs(heading, "บันทึกข้อความ", bold=True, size=29)

    def field(self, paragraph, label: str, value: str) -> None:
        """A header line: the label in bold 20 pt, the value on a dotted line."""
        _font(paragraph.add_run(label + " ")._r, bold=True, size=20)
        run = paragraph.add_run(value)
        run.font.underline = WD_UNDERLINE.DOTTED
        _font(run._r)

    def signature(self, sig, *, container=None, left_indent=None) -> None:
        """One signer: endorsement and remark on the left, the room for the handwritten
        signature, then the name in parentheses and the position centred (memo.css .sig)."""
        paragraphs = []
        if sig.endorsement:
            paragraphs.append(self.paragraph(sig.endorsement, container=container))
        if sig.remark:
            paragraphs.append(self.paragraph(f"- {sig.remark}", container=container))
        name = self.paragraph(
            thai.signer_name(sig.name), container=container, align=WD_ALIGN_PARAGRAPH.CENTER
        )
        name.paragraph_format.space_before = Pt(24)
        position = self.paragraph(
            sig.position, container=container, align=WD_ALIGN_PARAGRAPH.CENTER
        )
        # a new cell starts with an empty paragraph: drop it so the signer starts at the top
        if container is not None and not container.paragraphs[0].text:
            container.paragraphs[0]._p.getparent().remove(container.paragraphs[0]._p)
        for paragraph in [*paragraphs, name, position]:
            paragraph.paragraph_format.keep_with_next = paragraph is not position
            if left_indent is not None:
                paragraph.paragraph_format.left_indent = left_indent
                paragraph.paragraph_format.right_indent = self.text_width - left_indent - Cm(8)

    def signatures(self, signatures: list) -> None:
        """The author on the right, then the chain of endorsements two by two."""
        if not signatures:
            return
        self.document.add_paragraph()
        self.signature(signatures[0], left_indent=Cm(7))
        chain = signatures[1:]
        for start in range(0, len(chain), 2):
            cells = self._layout_table(2, [0.5, 0.5])
            for cell, sig in zip(cells, chain[start : start + 2], strict=False):
                self.signature(sig, container=cell)

    def attachment(self) -> None:
        memo, context = self.memo, self.context
        if memo.cover:
            self.document.add_page_break()
        if memo.attachment_title:
            self.paragraph(memo.attachment_title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for block in context["intro"]:
            if block.heading:
                self.heading(block.text)
            else:
                self.paragraph(block.text, indent=True)
        if context["photos"]:
            self.photos(context["photos"])
        content = context["content"]
        {
            Memo.Kind.ANALYSIS: self.analysis,
            Memo.Kind.RESULTS: self.results,
            Memo.Kind.QUESTION_ANALYSIS: self.question_analysis,
            Memo.Kind.MEASURES_PLAN: self.plan,
        }[self.memo.kind](content)
        if context["provisional_note"]:
            self.paragraph(f"หมายเหตุ: {context['provisional_note']}", size=12, space_before=6)
        if context["confidence_note"]:
            self.paragraph(f"หมายเหตุ: {context['confidence_note']}", size=12, space_before=6)

    def photos(self, photos: list) -> None:
        """Two photos a row, each with its caption under it, as the page shows them."""
        if self.memo.photos_heading:
            self.heading(self.memo.photos_heading, centred=True)
        for start in range(0, len(photos), 2):
            cells = self._layout_table(2, [0.5, 0.5])
            for cell, photo in zip(cells, photos[start : start + 2], strict=False):
                picture = cell.paragraphs[0]
                picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
                with photo.image.open("rb") as handle:
                    picture.add_run().add_picture(handle, width=PHOTO_WIDTH)
                if photo.caption:
                    self.paragraph(
                        photo.caption,
                        container=cell,
                        size=TABLE_PT,
                        align=WD_ALIGN_PARAGRAPH.CENTER,
                    )

    # the attachment's content, one method per template of templates/memos/ ---------------------
    def weak_points(self, content, *, corrections: bool, ending: str) -> None:
        """templates/memos/_weak_points.html."""
        numbers = self.context["numbers"]
        self.heading(
            f"{numbers['weak']}ข้อมูลรายละเอียดการวิเคราะห์ เช่น ประเด็นที่เป็นข้อบกพร่อง "
            "หรือจุดอ่อนที่ต้องแก้ไขโดยเร่งด่วน"
        )
        self.paragraph(
            "จากผลการจัดเก็บข้อมูลและการวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT), "
            "ผู้มีส่วนได้ส่วนเสียภายนอก (EIT) และการเปิดเผยข้อมูลสู่สาธารณะ (OIT) "
            f"จุดบกพร่องมีทั้งหมด {self.d(len(content.weak_indicator_numbers))} ตัวชี้วัด "
            f"{self.d(len(content.weak_items))} จุด {ending}",
            indent=True,
        )
        last = "การดำเนินการแก้ไขข้อบกพร่อง" if corrections else "คะแนน"
        spec = Table(
            headers=["จุดอ่อน/จุดบกพร่อง", "หัวข้อประเด็น", "หัวข้อการประเมิน", last],
            widths=[22, 24, 24, 30] if corrections else [22, 33, 33, 12],
        )
        for item in content.weak_items:
            w = item.weakness
            label = f"ตัวชี้วัดที่ {self.d(item.label_code)} {item.label_name}"
            if not w.sub_indicator_id and item.indicator_score is not None:
                label += f" {self.score(item.indicator_score)} คะแนน"
            if corrections:
                last_cell = Cell([w.correction])
            else:
                last_cell = Cell([self.score(item.score)], centred=True)
            topic = Cell([self.question_or_topic(w)])
            spec.rows.append([Cell([label]), topic, Cell([item.topic]), last_cell])
        self.table(spec)

    def question_or_topic(self, weakness) -> str:
        if weakness.question_id:
            return f"{self.code(weakness.question.code)} {weakness.question.text}"
        return self.d(weakness.topic)

    def group_row(self, tool, columns: int) -> list[Cell]:
        return [Cell([f"{tool.name} ({tool.code})"], colspan=columns, bold=True, shaded=True)]

    def analysis(self, content: WeakPointsContent) -> None:
        """templates/memos/_analysis.html."""
        memo = self.memo
        self.weak_points(content, corrections=False, ending="มีรายละเอียดดังนี้")
        if content.weak_items:
            numbers = thai.thai_join(content.weak_indicator_numbers, thai=self.thai_digits)
            self.heading(f"การวิเคราะห์จากตัวชี้วัดที่ {numbers} สรุปได้ดังนี้")
            for item in content.weak_items:
                self.paragraph(self.weak_analysis(item), indent=True)
        self.heading(f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน {memo.unit.name}", centred=True)
        if memo.assessment:
            self.paragraph(
                "จากผลการดำเนินการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ ITA "
                f"{self.year(memo.assessment.fiscal_year.year)} ของ{memo.assessment.unit.name}",
                indent=True,
            )
        spec = Table(
            headers=[
                "ผลการประเมิน",
                "การวิเคราะห์ข้อบกพร่อง/จุดอ่อน/ประเด็นที่จะต้องพัฒนา",
                "มาตรการ/กิจกรรม ในการพัฒนาปรับปรุง",
                "ส่วนราชการที่รับผิดชอบ",
            ],
            widths=[30, 25, 28, 16],
        )
        for group in content.tools:
            spec.rows.append(self.group_row(group.tool, 4))
            for row in group.rows:
                result = [
                    f"ตัวชี้วัดที่ {self.d(row.indicator.number)} {row.indicator.name} "
                    f"ได้คะแนน {self.score(row.score)} คะแนน"
                ]
                if row.analysis and row.analysis.result_text:
                    result.append(row.analysis.result_text)
                spec.rows.append(
                    [
                        Cell(result),
                        Cell([row.analysis.analysis if row.analysis else ""]),
                        Cell([m.measure.title for m in row.measures]),
                        Cell([m.owner_text for m in row.measures]),
                    ]
                )
        self.table(spec)

    def weak_analysis(self, item) -> str:
        """One weak point's analysis paragraph of seed 001."""
        w, memo = item.weakness, self.memo
        text = f"ตัวชี้วัดที่ {self.d(item.label_code)} {item.label_name}"
        if w.question_id and not item.is_oit:
            text += f" ({self.code(w.question.code)}) {w.question.text}"
        shown = item.sub_score if item.is_oit and item.sub_score is not None else item.score
        text += f" จากผลการประเมิน{memo.assessment.unit.name} ได้ค่าคะแนน {self.score(shown)} คะแนน"
        if item.is_oit and w.question_id:
            text += f" ขาดในส่วนของ ({self.code(w.question.code)}) {w.question.text}"
        if item.lowest_share is not None:
            text += f" มีการเลือกตัวเลือกน้อยที่สุดถึงร้อยละ {self.score(item.lowest_share)}"
        return f"{text} {w.analysis}"

    def results(self, content: WeakPointsContent) -> None:
        """templates/memos/_results.html."""
        memo = self.memo
        self.weak_points(content, corrections=True, ending="มีการดำเนินการแก้ไข ดังนี้")
        self.heading(
            "สรุปรายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
            f"{memo.unit.name}",
            centred=True,
        )
        self.paragraph(
            "จากผลการดำเนินการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ ITA "
            f"{self.year(memo.fiscal_year.year)} ของ{memo.unit.name}",
            indent=True,
        )
        spec = Table(
            headers=["มาตรการ/แนวทางปฏิบัติ", "ขั้นตอน/วิธีการ", "ผลการดำเนินงาน", "ผู้รับผิดชอบ"],
            widths=[16, 33, 33, 18],
        )
        for group in content.tools:
            spec.rows.append(self.group_row(group.tool, 4))
            for row in group.rows:
                label = f"ตัวชี้วัดที่ {self.d(row.indicator.number)} {row.indicator.name}"
                for m_index, m in enumerate(row.measures):
                    status = m.measure.get_status_display()
                    steps = m.steps or [None]
                    for s_index, step in enumerate(steps):
                        cells = []
                        if m_index == 0 and s_index == 0:
                            cells.append(Cell([label], rowspan=row.step_count))
                        if step is None:
                            result = f" : {m.measure.result}" if m.measure.result else ""
                            cells += [Cell([m.measure.title]), Cell([status + result])]
                        else:
                            number = f"{self.d(s_index + 1)}. " if len(m.steps) > 1 else ""
                            result = f" : {step.result}" if step.result else ""
                            cells += [Cell([number + step.text]), Cell([status + result])]
                        if s_index == 0:
                            cells.append(Cell([m.owner_text], rowspan=len(steps)))
                        spec.rows.append(cells)
        self.table(spec)

    def question_analysis(self, content: QuestionAnalysisContent) -> None:
        """templates/memos/_question_analysis.html."""
        self.heading("ประเด็นที่ต้องปรับปรุง/ยกระดับการพัฒนา")
        spec = Table(
            headers=[
                "ประเด็นการประเมิน",
                "ประเด็นที่ต้องปรับปรุง/ ยกระดับการพัฒนา",
                "มาตรการ/กิจกรรม ในการเตรียมความพร้อมรับการประเมิน ในประเด็นที่ต้องปรับปรุง/ยกระดับการพัฒนา",
                "หน่วยงาน รับผิดชอบ",
                "การกำกับ ติดตาม",
            ],
            widths=[22, 20, 38, 10, 10],
        )
        for group in content.tools:
            spec.rows.append(self.group_row(group.tool, 5))
            for block in group.rows:
                indicator = block.indicator
                spec.rows.append(
                    [
                        Cell(
                            [f"ตัวชี้วัดที่ {self.d(indicator.number)} {indicator.name}"],
                            colspan=5,
                            bold=True,
                        )
                    ]
                )
                for row in block.rows:
                    w = row.item.weakness
                    cells = [
                        Cell([f"{self.question_or_topic(w)} ({self.score(row.item.score)} คะแนน)"]),
                        Cell([w.analysis]),
                    ]
                    if row.rowspan:
                        m = row.measure
                        texts = ["", "", ""]
                        if m:
                            monitoring = self.d(m.measure.monitoring_label)
                            texts = [m.measure.title, " ".join(m.owners), monitoring]
                        cells += [Cell([text], rowspan=row.rowspan) for text in texts]
                    spec.rows.append(cells)
        self.table(spec)

    def plan(self, content: PlanContent) -> None:
        """templates/memos/_plan.html."""
        if content.overview:
            self.overview(content.overview)
        if content.by_indicator:
            self.plan_by_indicator(content)
        if content.by_issue:
            self.plan_by_issue(content)
        if content.limitations:
            memo = self.memo
            self.heading(
                f"{self.context['numbers']['limitations']}วิเคราะห์ข้อจำกัดของ{memo.unit.name}"
                f"ในการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ{memo.unit.name}"
            )
            for number, limitation in enumerate(content.limitations, start=1):
                self.paragraph(f"{self.d(number)}. {limitation.text}", indent=True)

    def overview(self, o) -> None:
        a = o.assessment
        unit, year = a.unit.name, self.year(a.fiscal_year.year)
        self.heading(
            f"{self.context['numbers']['overview']}ผลการประเมินคุณธรรมและความโปร่งใส"
            f"ในการดำเนินงานของ{unit} {year}"
        )
        text = (
            f"ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ{unit} {year} "
            f"มีผลคะแนนอยู่ที่ {self.score(a.official_score)} คะแนน"
        )
        if o.level:
            text += f" อยู่ในระดับ “{o.level}”"
        if o.change is not None:
            direction = "ลดลง" if o.decreased else "เพิ่มขึ้น"
            text += (
                f" และเมื่อเปรียบเทียบกับ{self.year(o.previous_year)} "
                f"พบว่ามีคะแนน{direction}จำนวน {self.score(o.change_size)} คะแนน"
            )
        self.paragraph(text, indent=True)
        for chart in memo_charts(self.memo, self.context["content"], fmt="png"):
            self.caption(chart.caption)
            self.picture(chart.drawing)
        self.caption("สรุปผลการประเมินรายตัวชี้วัด")
        spec = Table(
            headers=["ตัวชี้วัดที่", "รายละเอียดตัวชี้วัด", "คะแนน"],
            widths=[16, 66, 18],
            width_share=70,
        )
        for line in o.indicators:
            spec.rows.append(
                [
                    Cell([self.d(line.number)], centred=True),
                    Cell([line.name]),
                    Cell([self.score(line.score)], centred=True),
                ]
            )
        self.table(spec)
        if o.below_target:
            listed = " ".join(
                f"{line.name} ({self.score(line.score)} คะแนน)" for line in o.below_target
            )
            self.paragraph(
                f"จากตารางแสดงผลการประเมินรายตัวชี้วัด พบว่า มี {self.d(len(o.below_target))} "
                f"ตัวชี้วัดที่ได้คะแนนต่ำกว่า {self.d(f'{o.target:.0f}')} คะแนน "
                + (f"({o.target_label}) " if o.target_label else "")
                + f"โดยเรียงลำดับจากมากไปน้อย ดังนี้ {listed}",
                indent=True,
            )

    def plan_by_indicator(self, content: PlanContent) -> None:
        memo = self.memo
        self.heading(
            f"{self.context['numbers']['by_indicator']}มาตรการส่งเสริมคุณธรรมและความโปร่งใส"
            f"ภายในหน่วยงานของ{memo.unit.name}",
            centred=True,
        )
        monitoring = (
            "ระยะเวลากำกับติดตามโดย ผอ.เขต" if memo.unit.kind == "district" else "การกำกับติดตาม"
        )
        spec = Table(
            headers=[
                "ตัวชี้วัด",
                "ประเด็นที่ต้องเตรียมความพร้อม/ยกระดับ",
                "กิจกรรมที่จะดำเนินการ",
                "ผลผลิต",
                "วิธีการสร้างการรับรู้",
                "ระยะเวลาแล้วเสร็จ",
                "ผู้รับผิดชอบ",
                monitoring,
            ],
            widths=[10, 15, 17, 14, 14, 10, 11, 9],
            size=SMALL_TABLE_PT,
        )
        for row in content.by_indicator:
            for index, m in enumerate(row.measures):
                measure = m.measure
                cells = []
                if index == 0:
                    label = f"{self.d(row.indicator.number)}) {row.indicator.name}"
                    cells.append(Cell([label], rowspan=len(row.measures)))
                deadline = measure.deadline_note or (
                    thai.thai_date_short(measure.deadline, thai=self.thai_digits)
                    if measure.deadline
                    else ""
                )
                cells += [
                    Cell([measure.issue]),
                    Cell([measure.activity or measure.title]),
                    Cell([measure.output]),
                    Cell([measure.communication]),
                    Cell([deadline]),
                    Cell(["\n".join(m.owners)]),
                    Cell([self.d(measure.monitoring_label)]),
                ]
                spec.rows.append(cells)
        self.table(spec)

    def plan_by_issue(self, content: PlanContent) -> None:
        memo = self.memo
        if content.overview:
            a = content.overview.assessment
            title = (
                "การนำผลการวิเคราะห์การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ"
                f"{a.unit.name} ใน{self.year(a.fiscal_year.year)} "
                f"แต่ละประเด็นไปสู่การปฏิบัติของ{memo.unit.name}"
            )
        else:
            title = f"มาตรการและขั้นตอนการดำเนินงานแต่ละประเด็นของ{memo.unit.name}"
        self.heading(self.context["numbers"]["by_issue"] + title)
        spec = Table(
            headers=[
                "ประเด็น",
                "วิธีการนำผลการวิเคราะห์ไปสู่การปฏิบัติ",
                "ผู้รับผิดชอบ",
                "ขั้นตอนหรือวิธีปฏิบัติ",
            ],
            widths=[17, 40, 14, 30],
        )
        for number, m in enumerate(content.by_issue, start=1):
            steps = [
                (f"{self.d(i)}. " if len(m.steps) > 1 else "") + step.text
                for i, step in enumerate(m.steps, start=1)
            ]
            spec.rows.append(
                [
                    Cell([f"{self.d(number)}. {m.measure.issue}"]),
                    Cell([m.measure.title]),
                    Cell([m.owner_text]),
                    Cell(steps),
                ]
            )
        self.table(spec)


def _emblem_path() -> Path | None:
    """The uploaded emblem's file in MEDIA_ROOT (read from disk, never fetched by URL)."""
    emblem = PortalSettings.load().emblem
    if not emblem:
        return None
    path = Path(emblem.path)
    return path if path.is_file() else None


def render_memo_docx(memo: Memo) -> bytes:
    """The memo as an editable Word document (.docx bytes), from the same content as its page."""
    context = memo_document_context(memo)
    context["emblem_path"] = _emblem_path()
    return MemoWriter(memo, context).write()
