"""Thin template filters over assessments.thai: {% load thai %}{{ day|thai_date }}."""

from django import template

from assessments import thai

register = template.Library()


@register.filter
def thai_digits(value):
    """๑๒๓ for 123."""
    return thai.thai_digits(value)


@register.filter
def thai_date(value, thai_numerals=True):
    """๒๒ พฤศจิกายน ๒๕๖๙; pass False for Arabic digits."""
    return thai.thai_date(value, thai=bool(thai_numerals)) if value else ""


@register.filter
def thai_date_short(value):
    """30 มี.ค. 66."""
    return thai.thai_date_short(value) if value else ""


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
    """ปีงบประมาณ พ.ศ. 2566."""
    return thai.fiscal_year_label(int(value), thai=bool(thai_numerals))
