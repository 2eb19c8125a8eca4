"""portal_core.thai: Thai digits, Buddhist-era dates, labels, memo numbers, scores."""

import datetime
from decimal import Decimal

import pytest

from portal_core import thai


def test_thai_digits_writes_every_digit_in_thai():
    assert thai.thai_digits("กท 5601/123") == "กท ๕๖๐๑/๑๒๓"
    assert thai.thai_digits(2566) == "๒๕๖๖"
    assert thai.thai_digits("ไม่มีตัวเลข") == "ไม่มีตัวเลข"


def test_arabic_digits_reverses_thai_digits():
    assert thai.arabic_digits("๐๑๒๓๔๕๖๗๘๙") == "0123456789"
    assert thai.arabic_digits(thai.thai_digits("30/03/2566")) == "30/03/2566"


@pytest.mark.parametrize(("flag", "expected"), [(True, "๙๐.๔๐"), (False, "90.40")])
def test_digits_follows_the_memo_setting(flag, expected):
    assert thai.digits("90.40", thai=flag) == expected


def test_be_year_adds_543():
    assert thai.be_year(datetime.date(2026, 11, 22)) == 2569


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 11, 22), "๒๒ พฤศจิกายน ๒๕๖๙"),
        (datetime.date(2020, 1, 31), "๓๑ มกราคม ๒๕๖๓"),
        (datetime.date(2023, 1, 1), "๑ มกราคม ๒๕๖๖"),
        (datetime.date(2023, 12, 31), "๓๑ ธันวาคม ๒๕๖๖"),
        (datetime.date(2026, 3, 5), "๕ มีนาคม ๒๕๖๙"),
    ],
)
def test_thai_date_is_the_official_memo_date_without_a_leading_zero(day, expected):
    assert thai.thai_date(day) == expected


def test_thai_date_in_arabic_digits_and_month_only():
    day = datetime.date(2022, 6, 5)
    assert thai.thai_date(day, thai=False) == "5 มิถุนายน 2565"
    assert thai.thai_date(day, with_day=False) == "มิถุนายน ๒๕๖๕"


def test_memo_date_is_blank_without_a_date():
    assert thai.memo_date(None) == ""
    assert thai.memo_date(datetime.date(2021, 12, 1), with_day=False) == "ธันวาคม ๒๕๖๔"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2023, 3, 30), "30 มี.ค. 66"),
        (datetime.date(2023, 4, 5), "5 เม.ย. 66"),
        (datetime.date(2043, 1, 1), "1 ม.ค. 86"),
        (datetime.date(2057, 12, 31), "31 ธ.ค. 00"),
    ],
)
def test_thai_date_short_uses_two_digit_years(day, expected):
    assert thai.thai_date_short(day) == expected


def test_thai_date_short_in_thai_digits():
    assert thai.thai_date_short(datetime.date(2023, 3, 30), thai=True) == "๓๐ มี.ค. ๖๖"


def test_thai_datetime_short():
    moment = datetime.datetime(2026, 11, 22, 9, 5)
    assert thai.thai_datetime_short(moment) == "22 พ.ย. 69 09:05"
    assert thai.thai_datetime_short(moment, thai=True) == "๒๒ พ.ย. ๖๙ ๐๙:๐๕"


def test_be_numeric_date_pads_day_and_month():
    assert thai.be_numeric_date(datetime.date(2023, 3, 5)) == "05/03/2566"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30/03/2566", datetime.date(2023, 3, 30)),
        ("30-3-66", datetime.date(2023, 3, 30)),
        ("30.03.2566", datetime.date(2023, 3, 30)),
        ("30 มี.ค. 66", datetime.date(2023, 3, 30)),
        ("30 มีนาคม 2566", datetime.date(2023, 3, 30)),
        ("30 มีนาคม 66", datetime.date(2023, 3, 30)),
        ("๑ เมษายน ๒๕๖๖", datetime.date(2023, 4, 1)),
        ("๑5 เม.ย. 66", datetime.date(2023, 4, 15)),
        ("1/1/2567", datetime.date(2024, 1, 1)),
        ("31/12/2566", datetime.date(2023, 12, 31)),
        ("29/02/2567", datetime.date(2024, 2, 29)),
        (" 5 เม.ย. 66 ", datetime.date(2023, 4, 5)),
    ],
)
def test_parse_be_date_reads_what_staff_type(text, expected):
    assert thai.parse_be_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "รูปแบบวันที่ไม่ถูกต้อง"),
        ("พรุ่งนี้", "รูปแบบวันที่ไม่ถูกต้อง"),
        ("30 มีนา 66", "ไม่รู้จักชื่อเดือน 'มีนา'"),
        ("30/03/2023", "ปีต้องเป็นปีพุทธศักราช"),
        ("29/02/2566", "ไม่มีวันที่นี้ในปฏิทิน"),
        ("31/04/2566", "ไม่มีวันที่นี้ในปฏิทิน"),
        ("1/13/2566", "ไม่มีวันที่นี้ในปฏิทิน"),
    ],
)
def test_parse_be_date_refuses_bad_dates_with_a_thai_message(text, message):
    with pytest.raises(ValueError, match=message):
        thai.parse_be_date(text)


def test_fiscal_year_label():
    assert thai.fiscal_year_label(2566) == "ปีงบประมาณ พ.ศ. 2566"
    assert thai.fiscal_year_label(2566, thai=True) == "ปีงบประมาณ พ.ศ. ๒๕๖๖"


def test_memo_number_is_blank_after_the_slash_until_numbered():
    assert thai.memo_number("กท ๕๖๐๑", None) == "กท ๕๖๐๑/"
    assert thai.memo_number("กท 5601", 123) == "กท ๕๖๐๑/๑๒๓"
    assert thai.memo_number("กท 5601", 7, thai=False) == "กท 5601/7"


@pytest.mark.parametrize(
    ("value", "thai_numerals", "expected"),
    [
        (Decimal("90.4"), False, "90.40"),
        (Decimal("90.40"), True, "๙๐.๔๐"),
        (Decimal("0"), False, "0.00"),
        (Decimal("100"), True, "๑๐๐.๐๐"),
        (None, False, "–"),
    ],
)
def test_score_text_has_two_places_or_a_dash(value, thai_numerals, expected):
    assert thai.score_text(value, thai=thai_numerals) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1.25"), "+1.25"),
        (Decimal("-1.03"), "−1.03"),
        (Decimal("0"), "0.00"),
        (None, "–"),
    ],
)
def test_signed_change_shows_the_sign(value, expected):
    assert thai.signed_change(value) == expected


def test_signed_change_in_thai_digits():
    assert thai.signed_change(Decimal("-1.03"), thai=True) == "−๑.๐๓"


@pytest.mark.parametrize(
    ("items", "expected"),
    [([], ""), ([2], "๒"), ([2, 4], "๒ และ ๔"), ([2, 4, 9], "๒, ๔ และ ๙")],
)
def test_thai_join_lists_as_thai_writes_them(items, expected):
    assert thai.thai_join(items) == expected


def test_thai_join_in_arabic_digits():
    assert thai.thai_join([2, 4, 9], thai=False) == "2, 4 และ 9"


@pytest.mark.parametrize(
    "typed, printed",
    [
        ("นายสมชาย ใจดี", "(นายสมชาย ใจดี)"),
        ("(นายสมชาย ใจดี)", "(นายสมชาย ใจดี)"),
        ("  (นายสมชาย ใจดี) ", "(นายสมชาย ใจดี)"),
    ],
)
def test_a_signers_name_gets_its_parentheses_once(typed, printed):
    assert thai.signer_name(typed) == printed
