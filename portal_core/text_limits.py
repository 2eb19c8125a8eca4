"""One length limit for free text on every way in (forms, the admin, imports).

``LimitedTextField`` is the model field; its form field (portal_core.form_fields) carries the
same limit, so text an import stored can always be saved again through a form.
"""

from django.core.validators import MaxLengthValidator
from django.db import models

from portal_core.form_fields import LimitedTextFormField

LONG_TEXT_CHARS = 5000  # a long memo paragraph is about 1,500 characters; the demo's longest 799
SECTION_TEXT_CHARS = 10_000  # a memo attachment's introduction: several headed sections


class LimitedTextField(models.TextField):
    """Free text of at most ``max_length`` characters (LONG_TEXT_CHARS unless given).

    Django's TextField gives its max_length to forms only; this one checks it in the model's
    validation too, so the staff forms, the admin and the Excel imports (which run ``full_clean``)
    refuse the same over-long text, each with a Thai message, and text an import stored can always
    be saved again through a form. The database column stays unlimited text.
    """

    def __init__(self, *args, max_length: int = LONG_TEXT_CHARS, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        name = self.verbose_name or "ข้อความ"
        self.length_message = f"{name}ยาวได้ไม่เกิน %(limit_value)s ตัวอักษร (มี %(show_value)s ตัวอักษร)"
        self.validators.append(MaxLengthValidator(max_length, message=self.length_message))

    def formfield(self, **kwargs):
        """A LimitedTextFormField with the same limit and message (the admin shows it as is;
        the staff forms' Thai messages word it for their label)."""
        messages = {"max_length": self.length_message, **kwargs.pop("error_messages", {})}
        return super().formfield(
            **{"form_class": LimitedTextFormField, "error_messages": messages, **kwargs}
        )
