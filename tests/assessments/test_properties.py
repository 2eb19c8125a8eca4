"""Property-based checks of the Thai formatting and scoring functions (hypothesis)."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from assessments.scoring import mean, round_score, sub_indicator_score, weighted_overall
from portal_core.thai import (
    THAI_DIGITS,
    arabic_digits,
    be_numeric_date,
    parse_be_date,
    thai_date,
    thai_digits,
)

scores = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2150, 12, 31))


@given(st.text())
def test_thai_and_arabic_digits_round_trip(text):
    assert arabic_digits(thai_digits(text)) == arabic_digits(text)
    assert not any(ch.isascii() and ch.isdigit() for ch in thai_digits(text))


@given(dates)
def test_a_form_date_reads_back_as_the_same_day(day):
    assert parse_be_date(be_numeric_date(day)) == day


@given(dates)
def test_a_form_date_typed_in_thai_digits_reads_back_too(day):
    assert parse_be_date(thai_digits(be_numeric_date(day))) == day


@given(dates)
def test_a_memo_date_has_only_thai_digits_and_no_leading_zero(day):
    text = thai_date(day)
    assert not any(ch in "0123456789" for ch in text)
    assert not text.startswith(THAI_DIGITS[0])
    assert text.endswith(thai_digits(day.year + 543))


@given(st.lists(scores, min_size=1, max_size=40))
def test_a_mean_lies_between_the_lowest_and_highest_score(values):
    assert min(values) <= mean(values) <= max(values)


@given(scores, scores, scores)
def test_the_weighted_overall_stays_within_0_and_100(iit, eit, oit):
    overall = weighted_overall([(Decimal(30), iit), (Decimal(30), eit), (Decimal(40), oit)])
    assert Decimal(0) <= overall <= Decimal(100)
    assert overall == round_score(overall)
    assert min(iit, eit, oit) - Decimal("0.01") <= overall <= max(iit, eit, oit) + Decimal("0.01")


@given(st.lists(st.sampled_from([Decimal(0), Decimal(100)]), min_size=1, max_size=15))
def test_a_sub_indicator_is_100_only_when_every_item_passed(items):
    value = sub_indicator_score(items)
    assert Decimal(0) <= value <= Decimal(100)
    assert (value == Decimal(100)) == all(item == Decimal(100) for item in items)
