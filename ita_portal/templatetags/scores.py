"""Score, change and pass/fail cells of the dashboards and public tables: {% load scores %}.

One meaning per sign: BELOW_SIGN marks a score below the pass mark, ▲/▼ only a rise or fall since
the year before (a page showing both carries templates/portal/_signs_legend.html).

Tags rather than included templates: the BMA overview draws 16 of them per unit row, and an
``{% include %}`` per cell cost more than the page's queries.
"""

from decimal import Decimal
from functools import lru_cache

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from portal_core import thai

register = template.Library()

BELOW_SIGN = "◆"
NO_DATA = mark_safe('<span class="na" title="ไม่มีข้อมูล">–</span>')
NO_CHANGE = mark_safe('<span class="na">–</span>')
PASS_MARK = mark_safe(
    '<span class="mark pass" title="ผ่านเกณฑ์"><span aria-hidden="true">✓</span>'
    '<span class="visually-hidden">ผ่านเกณฑ์</span></span> '
)
FAIL_MARK = mark_safe(
    '<span class="mark fail" title="ไม่ผ่านเกณฑ์"><span aria-hidden="true">✗</span>'
    '<span class="visually-hidden">ไม่ผ่านเกณฑ์</span></span> '
)
PASS_BADGE = mark_safe('<span class="badge pass"><span aria-hidden="true">✓ </span>ผ่าน</span>')
FAIL_BADGE = mark_safe('<span class="badge fail"><span aria-hidden="true">✗ </span>ไม่ผ่าน</span>')


@lru_cache(maxsize=16)
def _below_note(target: Decimal) -> str:
    return f'<span class="visually-hidden"> (ต่ำกว่า {floatformat(target, 0)})</span>'


@register.simple_tag
def score_cell(value: Decimal | None, target: Decimal | None) -> SafeString:
    """90.40, in red with BELOW_SIGN and a screen-reader note when below ``target``; a dash for
    no score."""
    if value is None:
        return NO_DATA
    # score_text gives only digits, a point and a sign: nothing to escape, and the BMA overview
    # draws thousands of these cells, so plain formatting rather than format_html, and SafeString
    # itself rather than mark_safe (whose lazy-argument checks cost more than the formatting).
    text = thai.score_text(value)
    if isinstance(target, Decimal | int | float) and value < target:
        return SafeString(
            f'<span class="score below"><span aria-hidden="true">{BELOW_SIGN} </span>{text}'
            f"{_below_note(target)}</span>"
        )
    return SafeString(f'<span class="score meets">{text}</span>')


@register.simple_tag
def score_cells(values: list[Decimal | None], target: Decimal | None) -> SafeString:
    """A table cell (<td class="num">) per score, as one string for a whole row."""
    return SafeString(
        "".join(f'<td class="num">{score_cell(value, target)}</td>' for value in values)
    )


@register.simple_tag
def change_cell(value: Decimal | None) -> SafeString:
    """+1.25 with ▲ (เพิ่มขึ้น), −1.03 with ▼ (ลดลง), 0.00, or a dash."""
    if value is None:
        return NO_CHANGE
    text = thai.signed_change(value)
    if value == 0:
        return format_html('<span class="change same">{}</span>', text)
    direction, arrow, note = ("up", "▲", "เพิ่มขึ้น") if value > 0 else ("down", "▼", "ลดลง")
    return format_html(
        '<span class="change {}"><span aria-hidden="true">{} </span>{}'
        '<span class="visually-hidden"> {}</span></span>',
        direction,
        arrow,
        text,
        note,
    )


@register.simple_tag
def passed_mark(passed: bool | None) -> SafeString:
    """✓ or ✗ before a level (nothing when there is no result)."""
    if passed is None:
        return mark_safe("")
    return PASS_MARK if passed else FAIL_MARK


@register.simple_tag
def passed_badge(passed: bool | None) -> SafeString:
    """A ผ่าน / ไม่ผ่าน badge, or a dash when there is no result."""
    if passed is None:
        return NO_CHANGE
    return PASS_BADGE if passed else FAIL_BADGE
