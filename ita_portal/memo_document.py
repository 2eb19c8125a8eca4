"""The context of templates/memos/memo_document.html, the one template of a memo's HTML page and
its PDF: the live attachment content, the charts as inline SVG, the intro blocks, the numbering of
the generated sections and the Garuda emblem."""

import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from ita_portal.charts import bar_chart_svg, indicator_chart_svg, trend_chart_svg
from ita_portal.models import PortalSettings
from measures.memo_content import (
    PlanContent,
    confidence_note,
    memo_content,
    shown_framework,
    tool_trend,
)
from measures.models import Memo, MemoRevision
from portal_core.thai import digits

CONTENT_TEMPLATES = {
    Memo.Kind.ANALYSIS: "memos/_analysis.html",
    Memo.Kind.RESULTS: "memos/_results.html",
    Memo.Kind.QUESTION_ANALYSIS: "memos/_question_analysis.html",
    Memo.Kind.MEASURES_PLAN: "memos/_plan.html",
}
NUMBERED_HEADING = re.compile(r"^[0-9๐-๙]+\s*\.")


@dataclass(frozen=True)
class IntroBlock:
    """A paragraph of the attachment's introduction, or a heading ("# " in the text)."""

    text: str
    heading: bool = False


def intro_blocks(text: str) -> list[IntroBlock]:
    """Split the typed introduction: blank lines separate paragraphs, "# " starts a heading."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        joined = " ".join(line.strip() for line in chunk.splitlines() if line.strip())
        if joined.startswith("# "):
            blocks.append(IntroBlock(joined[2:].strip(), heading=True))
        elif joined:
            blocks.append(IntroBlock(joined))
    return blocks


def section_numbers(memo: Memo, content, intro: list[IntroBlock]) -> dict[str, str]:
    """Numbers ("๒. ") of the generated section headings, continuing the intro's numbered
    headings; all blank when the intro's headings are not numbered."""
    numbered = sum(1 for b in intro if b.heading and NUMBERED_HEADING.match(b.text))
    if isinstance(content, PlanContent):
        present = {
            "overview": content.overview is not None,
            "by_indicator": bool(content.by_indicator),
            "by_issue": bool(content.by_issue),
            "limitations": bool(content.limitations),
        }
    else:
        present = {"weak": True}
    numbers, next_number = {}, numbered + 1
    for key, shown in present.items():
        if shown and numbered:
            numbers[key] = digits(f"{next_number}. ", thai=memo.thai_numerals)
            next_number += 1
        else:
            numbers[key] = ""
    return numbers


@dataclass(frozen=True)
class Chart:
    """One chart of the attachment with the caption printed above it (seed 002's order)."""

    caption: str
    drawing: str | bytes  # an inline SVG, or PNG bytes for the Word copy


def memo_charts(memo: Memo, content, *, fmt: str = "svg") -> list[Chart]:
    """The result summary's charts as seed 002 shows them: the trend, the overall score, the
    overall score over the years, the tools, the tools over the years and the indicators.
    Inline SVGs for the page and the PDF, PNG bytes with ``fmt="png"`` for the Word copy."""
    if not isinstance(content, PlanContent) or content.overview is None:
        return []
    thai_digits = memo.thai_numerals
    overview = content.overview
    assessment = overview.assessment
    name = assessment.unit.short_name or assessment.unit.name
    year = assessment.fiscal_year.year
    style = {"target": overview.target, "thai_numerals": thai_digits, "fmt": fmt}
    years = [(digits(y, thai=thai_digits), score) for y, score in overview.trend]
    tools = tool_trend(assessment)
    labels = [
        (digits(label, thai=thai_digits), value) for label, value in overview.result.chart_rows()
    ]
    first, last = digits(overview.trend[0][0], thai=thai_digits), digits(year, thai=thai_digits)
    return [
        Chart(
            f"กราฟแสดงผลการประเมิน ITA ของ{assessment.unit.name} ปี {first}-{last}",
            trend_chart_svg({name: overview.trend}, **style),
        ),
        Chart(
            "ผลการประเมินในภาพรวม",
            bar_chart_svg([(years[-1][0], assessment.official_score)], width_cm=6, **style),
        ),
        Chart("ผลการประเมินในภาพรวมย้อนหลัง", bar_chart_svg(years, **style)),
        Chart(
            "ผลการประเมินรายเครื่องมือ",
            bar_chart_svg([(tool.code, points[-1][1]) for tool, points in tools], **style),
        ),
        Chart(
            "ผลการประเมินรายเครื่องมือย้อนหลัง",
            trend_chart_svg({tool.code: points for tool, points in tools}, **style),
        ),
        Chart("ผลการประเมินรายตัวชี้วัด", indicator_chart_svg(labels, **style)),
    ]


def page_name(memo: Memo, content) -> str:
    """The named @page of memo.css: landscape for a plan with the wide measures table (seed
    004) and for the five-column question analysis (seed 003) when printed without a cover
    memo, Arabic page numbers when the memo does not use Thai numerals."""
    wide_table = memo.kind == Memo.Kind.QUESTION_ANALYSIS or (
        isinstance(content, PlanContent) and bool(content.by_indicator)
    )
    wide = wide_table and not memo.cover
    names = (["wide"] if wide else []) + ([] if memo.thai_numerals else ["arabic"])
    return "-".join(names)


def emblem_url() -> str:
    """The uploaded Garuda's URL, or "" while none is uploaded (its space then stays empty)."""
    emblem = PortalSettings.load().emblem
    return emblem.url if emblem else ""


EMBLEM_PLACEHOLDER = "ยังไม่ได้อัปโหลดตราครุฑ"
EMBLEM_MARK = 'alt="ตราครุฑ"'  # in the HTML of every memo rendered with the emblem


DRAFT_STAMP = "ร่าง"


def unapproved(memo: Memo) -> bool:
    """A draft or submitted memo: its page, PDF and Word copy are not yet the issued memo."""
    return memo.status in (Memo.Status.DRAFT, Memo.Status.SUBMITTED)


def emblem_placeholder(memo: Memo, url: str) -> str:
    """The text of the box standing in for a missing emblem: shown on a draft or submitted memo
    so nobody mistakes it for a finished one; "" once the emblem is uploaded, and always for an
    approved or published memo, whose space then stays empty."""
    return EMBLEM_PLACEHOLDER if unapproved(memo) and not url else ""


def published_memos_without_emblem() -> QuerySet[Memo]:
    """Published memos whose Garuda is missing: those served from a revision stored without the
    emblem, and, while no emblem is uploaded, those rendered from live data (the demo's)."""
    latest_has_emblem = MemoRevision.objects.filter(
        memo=OuterRef("pk"), number=OuterRef("latest"), html__contains=EMBLEM_MARK
    )
    latest = MemoRevision.objects.filter(memo=OuterRef("pk")).order_by("-number")
    memos = Memo.objects.published().annotate(latest=Subquery(latest.values("number")[:1]))
    missing = Q(latest__isnull=False) & ~Exists(latest_has_emblem)
    if not emblem_url():
        missing |= Q(latest__isnull=True)
    return memos.filter(missing)


def count_published_memos_without_emblem() -> int:
    """How many published memos show no Garuda (for the central team's readiness list)."""
    return published_memos_without_emblem().count()


def memo_document_context(memo: Memo) -> dict:
    """Everything memo_document.html needs to render ``memo`` (the same for HTML and PDF)."""
    content = memo_content(memo)
    intro = intro_blocks(memo.attachment_intro)
    url = emblem_url()
    return {
        "memo": memo,
        "signatures": list(memo.signatures.all()) if memo.cover else [],
        "photos": list(memo.photos.all()),
        "content": content,
        "content_template": CONTENT_TEMPLATES[memo.kind],
        "intro": intro,
        "numbers": section_numbers(memo, content, intro),
        "charts": memo_charts(memo, content),
        "emblem_url": url,
        "emblem_placeholder": emblem_placeholder(memo, url),
        "draft_stamp": DRAFT_STAMP if unapproved(memo) else "",
        "page_name": page_name(memo, content),
        "provisional_note": shown_framework(memo).provisional_note(thai=memo.thai_numerals),
        "confidence_note": confidence_note(memo, content),
    }
