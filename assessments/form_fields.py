"""Form fields shared by every app's forms."""

import datetime

from django import forms

from assessments.thai import be_numeric_date, parse_be_date


class BuddhistEraDateInput(forms.TextInput):
    """Shows a stored date as Thai offices write it: 30/03/2566."""

    def __init__(self, attrs=None):
        super().__init__(
            {"placeholder": "วว/ดด/ปปปป เช่น 30/03/2566", "inputmode": "numeric", **(attrs or {})}
        )

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return be_numeric_date(value)
        return super().format_value(value)


class BuddhistEraDateField(forms.DateField):
    """Accepts Buddhist-era dates (30/03/2566, 30 มี.ค. 66) and stores an ordinary date."""

    widget = BuddhistEraDateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_be_date(str(value))
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc
