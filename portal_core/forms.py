"""The form rules every staff form of the portal shares.

``ThaiFieldErrors`` is the mixin: Thai messages that name the field, and limits on free text and
whole numbers, so junk is refused before anything is saved, and Thai placeholders in selects.
"""

from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db.models.fields import BLANK_CHOICE_DASH

from portal_core.text_limits import LONG_TEXT_CHARS

TEXT_MAX_CHARS = LONG_TEXT_CHARS  # free text of a form field no model field gives a limit
NUMBER_MAX = 32767  # order numbers and the like: the smallest integer column of any database
HIDDEN_NUMBER_MAX = 2_147_483_647  # version counters


def raisable_codes(form_field: forms.Field) -> set[str]:
    """The error codes a form field can raise: those its class declares and its validators'."""
    codes = set(form_field.error_messages)
    for validator in form_field.validators:
        codes.update(getattr(validator, "messages", {}))  # DecimalValidator: one per rule
        if hasattr(validator, "code"):
            codes.add(validator.code)
    return codes


def thai_error_messages(label: str, form_field: forms.Field) -> dict[str, str]:
    """Thai messages naming the field for the error codes it can raise (``raisable_codes``),
    each worded with the parameters its raiser passes: a file's ``max_length`` is about its name
    (``%(max)d``, ``%(length)d``), a text's about its content (``%(limit_value)s``)."""
    choose = isinstance(form_field, forms.ChoiceField | forms.FileField)
    if isinstance(form_field, forms.FileField):
        max_length = f"ชื่อไฟล์{label}ยาวได้ไม่เกิน %(max)d ตัวอักษร (ชื่อที่ส่งมายาว %(length)d ตัวอักษร)"
    else:
        max_length = f"{label}ยาวได้ไม่เกิน %(limit_value)s ตัวอักษร (กรอกมา %(show_value)s)"
    wording = {
        "required": f"กรุณา{'เลือก' if choose else 'กรอก'}{label}",
        "invalid": f"{label}: รูปแบบไม่ถูกต้อง",
        "max_length": max_length,
        "min_length": f"{label}ต้องยาวอย่างน้อย %(limit_value)s ตัวอักษร",
        "max_value": f"{label}ต้องไม่เกิน %(limit_value)s",
        "min_value": f"{label}ต้องไม่น้อยกว่า %(limit_value)s",
        "max_digits": f"{label}มีตัวเลขได้ไม่เกิน %(max)s หลัก",
        "max_decimal_places": f"{label}มีทศนิยมได้ไม่เกิน %(max)s ตำแหน่ง",
        "max_whole_digits": f"{label}มีตัวเลขหน้าจุดทศนิยมได้ไม่เกิน %(max)s หลัก",
        "invalid_choice": f"{label}: ค่าที่เลือกไม่อยู่ในรายการ",
        "invalid_list": f"{label}: กรุณาเลือกจากรายการ",
        "invalid_pk_value": f"{label}: ค่าที่เลือกไม่อยู่ในรายการ",
        "null_characters_not_allowed": f"{label}มีอักขระที่ไม่อนุญาต",
        "empty": f"ไฟล์{label}ว่างเปล่า",
        "contradiction": f"{label}: กรุณาเลือกไฟล์ใหม่หรือล้างไฟล์เดิม อย่างใดอย่างหนึ่ง",
    }
    codes = raisable_codes(form_field)
    return {code: text for code, text in wording.items() if code in codes}


def limit_field(form_field: forms.Field, *, name: str, text_max_chars: int) -> None:
    """Give one form field Thai messages that name it, a length limit on free text and an upper
    bound on whole numbers (those the field already has stay)."""
    label = str(form_field.label or name)
    if isinstance(form_field, forms.CharField) and form_field.max_length is None:
        form_field.max_length = text_max_chars
        form_field.validators.append(MaxLengthValidator(text_max_chars))
        form_field.widget.attrs.setdefault("maxlength", str(text_max_chars))
    if isinstance(form_field, forms.IntegerField) and form_field.max_value is None:
        hidden = isinstance(form_field.widget, forms.HiddenInput)
        form_field.max_value = HIDDEN_NUMBER_MAX if hidden else NUMBER_MAX
        form_field.validators.append(MaxValueValidator(form_field.max_value))
        form_field.widget.attrs.setdefault("max", str(form_field.max_value))
    form_field.error_messages.update(thai_error_messages(label, form_field))


DJANGO_EMPTY_LABEL = BLANK_CHOICE_DASH[0][1]  # "---------"


def thai_placeholder(form_field: forms.Field, *, name: str) -> None:
    """Say "— เลือก<label> —" where Django would offer a select's empty choice as "---------"."""
    placeholder = f"— เลือก{form_field.label or name} —"
    if isinstance(form_field, forms.ModelChoiceField):
        if form_field.empty_label == DJANGO_EMPTY_LABEL:
            form_field.empty_label = placeholder
    elif isinstance(form_field, forms.ChoiceField):
        choices = list(form_field.choices)
        if any(label == DJANGO_EMPTY_LABEL for _value, label in choices):
            form_field.choices = [
                (value, placeholder if label == DJANGO_EMPTY_LABEL else label)
                for value, label in choices
            ]


class ThaiFieldErrors:
    """Form mixin: every field gets Thai messages naming it and limits (see ``limit_field``), and
    every select a Thai placeholder instead of "---------" (``thai_placeholder``).

    Messages a field or a domain rule already words itself (a date's "ไม่มีวันที่นี้ในปฏิทิน …",
    a file's "ไฟล์ x.pdf มีขนาดเกิน 10 MB") stay as they are; they are shown under the field.
    """

    text_max_chars = TEXT_MAX_CHARS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, form_field in self.fields.items():
            limit_field(form_field, name=name, text_max_chars=self.text_max_chars)
            thai_placeholder(form_field, name=name)
