"""Seed 002's six charts in the memo of a plan citing an assessment, captioned as the seed does,
and a year without data said on the chart itself (matplotlib writes each text of an SVG as a
comment beside its glyph paths, which is what these tests read)."""

import io
import re
from decimal import Decimal

import pytest
from docx import Document

from ita_portal import charts
from ita_portal.memo_docx import render_memo_docx
from measures.models import Memo

SEED_002_CAPTIONS = [
    "กราฟแสดงผลการประเมิน ITA ของกรุงเทพมหานคร ปี ๒๕๖๒-๒๕๖๖",
    "ผลการประเมินในภาพรวม",
    "ผลการประเมินในภาพรวมย้อนหลัง",
    "ผลการประเมินรายเครื่องมือ",
    "ผลการประเมินรายเครื่องมือย้อนหลัง",
    "ผลการประเมินรายตัวชี้วัด",
    "สรุปผลการประเมินรายตัวชี้วัด",
]


@pytest.fixture
def seed_002(db) -> Memo:
    return Memo.objects.get(unit__code="council-secretariat", kind=Memo.Kind.MEASURES_PLAN)


def test_the_seed_002_memo_draws_its_six_charts_in_the_seeds_order(client, seed_002):
    memo = seed_002
    page = client.get(f"/memos/{memo.pk}/").content.decode()

    captions = re.findall(r'<p class="caption">([^<]+)</p>', page)

    assert captions == SEED_002_CAPTIONS
    assert page.count('<div class="chart"><svg') == 6


def test_the_word_copy_has_the_same_six_charts_under_the_same_captions(seed_002):
    document = Document(io.BytesIO(render_memo_docx(seed_002)))
    texts = [p.text for p in document.paragraphs]

    assert [t for t in texts if t in SEED_002_CAPTIONS] == SEED_002_CAPTIONS
    assert len(document.inline_shapes) == 6


def test_the_trend_says_which_year_has_no_data(db):
    page = charts.trend_chart_svg(
        {"กรุงเทพมหานคร": [(2563, Decimal("91.48")), (2564, None), (2565, Decimal("90.01"))]},
        thai_numerals=True,
    )

    assert page.count("<!-- ไม่มีข้อมูล -->") == 1
    assert "<!-- ๒๕๖๔ -->" in page  # the year keeps its place on the axis


def test_a_bar_without_a_score_reads_no_data(db):
    drawn = charts.bar_chart_svg(
        [("IIT", Decimal("82.44")), ("EIT", None), ("OIT", Decimal("100"))], thai_numerals=True
    )

    assert drawn.count("<!-- ไม่มีข้อมูล -->") == 1
    assert "<!-- ๘๒.๔๔ -->" in drawn


def test_the_seed_002_trend_marks_its_missing_2564(client, seed_002):
    page = client.get(f"/memos/{seed_002.pk}/").content.decode()
    trend = page.split('<div class="chart">')[1]

    assert "<!-- ไม่มีข้อมูล -->" in trend.split("</svg>")[0]
