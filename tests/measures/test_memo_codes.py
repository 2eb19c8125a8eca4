"""Question codes are written one way within a memo: as the memo's own text types them."""

import pytest

from measures.models import Memo

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed, thai_numerals, expected",
    [
        ("ดำเนินงานตามข้อ O43 การดำเนินการ", True, False),  # seed 000: Thai numbers, code "O43"
        ("ตามข้อ(O๔๓)", False, True),
        ("ไม่มีรหัสข้อ", True, True),
        ("ไม่มีรหัสข้อ", False, False),
        ("ISO 9001 และ E-mail", True, True),  # not question codes
    ],
)
def test_a_memo_writes_question_codes_as_its_text_types_them(typed, thai_numerals, expected):
    memo = Memo(facts=typed, thai_numerals=thai_numerals)

    assert memo.codes_in_thai_digits is expected


def test_the_seed_memos_print_codes_as_the_offices_typed_them(client):
    analysis = Memo.objects.get(kind=Memo.Kind.ANALYSIS, unit__code="dusit")
    question_analysis = Memo.objects.get(kind=Memo.Kind.QUESTION_ANALYSIS)

    analysis_page = client.get(analysis.get_absolute_url()).content.decode()
    question_page = client.get(question_analysis.get_absolute_url()).content.decode()

    assert "(I7)" in analysis_page and "(I๗)" not in analysis_page  # seed 001 types "O42"
    assert "E๑ " in question_page  # seed 003 writes E๑
