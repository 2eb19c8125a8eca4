"""``{% submission_token %}``: the one-time token of a create form (assessments.submissions)."""

from django import template
from django.utils.html import format_html

from assessments.submissions import TOKEN_FIELD, new_token

register = template.Library()


@register.simple_tag
def submission_token():
    """A hidden input with a fresh token; put it beside {% csrf_token %} in every create form."""
    return format_html('<input type="hidden" name="{}" value="{}">', TOKEN_FIELD, new_token())
