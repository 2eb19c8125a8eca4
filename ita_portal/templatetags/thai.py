"""Thin template filters over portal_core.thai: {% load thai %}{{ day|thai_date }}."""

from django import template
from django.utils import timezone

from portal_core import thai

register = template.Library()


@register.filter
def thai_digits(value):
    """๑๒๓ for 123."""
    return thai.thai_digits(value)


@register.filter
def digits(value, thai_numerals=True):
    """Thai digits when the flag is on (a memo's setting), else the value unchanged."""
    return thai.digits("" if value is None else value, thai=bool(thai_numerals))


@register.filter
def signer_name(value):
    """(นายสมชาย ใจดี), without doubling parentheses typed with the name."""
    return thai.signer_name(value or "")


@register.filter
def thai_date(value, thai_numerals=True):
    """๒๒ พฤศจิกายน ๒๕๖๙; pass False for Arabic digits."""
    return thai.thai_date(value, thai=bool(thai_numerals)) if value else ""


@register.filter
def thai_date_short(value, thai_numerals=False):
    """30 มี.ค. 66."""
    return thai.thai_date_short(value, thai=bool(thai_numerals)) if value else ""


@register.filter
def be_date(value):
    """30/03/2566, as forms show dates."""
    return thai.be_numeric_date(value) if value else ""


@register.filter
def score(value, thai_numerals=False):
    """90.40, or a dash when there is no score."""
    return thai.score_text(value, thai=bool(thai_numerals))


@register.filter
def change(value, thai_numerals=False):
    """+1.25 / −1.03, or a dash."""
    return thai.signed_change(value, thai=bool(thai_numerals))


@register.filter
def fiscal_year(value, thai_numerals=False):
    """ปีงบประมาณ พ.ศ. 2566 (blank for no year)."""
    if value in (None, ""):
        return ""
    return thai.fiscal_year_label(int(value), thai=bool(thai_numerals))


@register.filter
def thai_join(values, thai_numerals=True):
    """2, 4 และ 9."""
    return thai.thai_join(list(values), thai=bool(thai_numerals))


@register.filter
def memo_date(memo):
    """A memo's วันที่ in its own numerals, month and year only while the day is left blank."""
    return thai.memo_date(memo.date, thai=memo.thai_numerals, with_day=memo.show_day)


@register.filter
def memo_number(memo):
    """A memo's ที่: its number once approved, else the prefix it will get and a blank."""
    prefix = memo.number_prefix if memo.number is not None else memo.prefix_source
    return thai.memo_number(prefix, memo.number, thai=memo.thai_numerals)


@register.filter
def thai_datetime(value):
    """22 พ.ย. 69 14:05 in the portal's time zone."""
    return thai.thai_datetime_short(timezone.localtime(value)) if value else ""
