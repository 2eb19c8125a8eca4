"""Form fields shared by every app's forms."""

import datetime

from django import forms
from django.db import models

from portal_core.thai import be_numeric_date, parse_be_date
from portal_core.uploads import safe_filename


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


# For a ModelAdmin's formfield_overrides: the admin takes and shows dates as the portal's forms do
# (the widget too, or the admin's own CE date widget would stay).
BE_DATE_OVERRIDES = {
    models.DateField: {"form_class": BuddhistEraDateField, "widget": BuddhistEraDateInput}
}


class LimitedTextFormField(forms.CharField):
    """The form field of a model's ``LimitedTextField``: line breaks a browser sends as CR LF are
    read as LF, as imports store them and as a textarea's ``maxlength`` counts them, so a text at
    its limit is not refused for its line breaks when it is saved again unchanged."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class SafeNameFileField(forms.FileField):
    """A file whose name is made safe and short (``safe_filename``) as it arrives, so a long name
    is stored shortened rather than refused, and messages name the file as it will be stored."""

    def to_python(self, data):
        if data not in self.empty_values and getattr(data, "name", None):
            data.name = safe_filename(data.name)
        return super().to_python(data)
