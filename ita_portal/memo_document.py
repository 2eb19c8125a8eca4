"""The context of templates/memos/memo_document.html, the one template of a memo's HTML page and
its PDF: the live attachment content, the charts as inline SVG, the intro blocks, the numbering of
the generated sections and the Garuda emblem."""

import re
from dataclasses import dataclass

from assessments.thai import digits
from ita_portal.charts import indicator_chart_svg, trend_chart_svg
from ita_portal.models import PortalSettings
from measures.memo_content import PlanContent, confidence_note, memo_content, shown_framework
from measures.models import Memo

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


def _charts(memo: Memo, content) -> dict[str, str]:
    if not isinstance(content, PlanContent) or content.overview is None:
        return {}
    overview = content.overview
    name = overview.assessment.unit.short_name or overview.assessment.unit.name
    labels = [
        (digits(f"{indicator.number} {indicator.name}", thai=memo.thai_numerals), value)
        for indicator, value in overview.indicators
    ]
    return {
        "trend": trend_chart_svg(
            {name: overview.trend}, target=overview.target, thai_numerals=memo.thai_numerals
        ),
        "indicators": indicator_chart_svg(
            labels, target=overview.target, thai_numerals=memo.thai_numerals
        ),
    }


def page_name(memo: Memo, content) -> str:
    """The named @page of memo.css: landscape for a plan with the wide measures table (seed
    004), Arabic page numbers when the memo does not use Thai numerals."""
    wide = isinstance(content, PlanContent) and bool(content.by_indicator) and not memo.cover
    names = (["wide"] if wide else []) + ([] if memo.thai_numerals else ["arabic"])
    return "-".join(names)


def emblem_url() -> str:
    """The uploaded Garuda's URL, or "" while none is uploaded (its space then stays empty)."""
    emblem = PortalSettings.load().emblem
    return emblem.url if emblem else ""


def memo_document_context(memo: Memo) -> dict:
    """Everything memo_document.html needs to render ``memo`` (the same for HTML and PDF)."""
    content = memo_content(memo)
    intro = intro_blocks(memo.attachment_intro)
    return {
        "memo": memo,
        "signatures": list(memo.signatures.all()) if memo.cover else [],
        "content": content,
        "content_template": CONTENT_TEMPLATES[memo.kind],
        "intro": intro,
        "numbers": section_numbers(memo, content, intro),
        "charts": _charts(memo, content),
        "emblem_url": emblem_url(),
        "page_name": page_name(memo, content),
        "provisional_note": shown_framework(memo).provisional_note(thai=memo.thai_numerals),
        "confidence_note": confidence_note(memo, content),
    }
