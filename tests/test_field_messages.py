"""The Thai field messages of every staff form (assessments.forms.limit_field): every message the
helper gives a field is raised on that kind of field and reads in Thai naming the field, never a
KeyError from a placeholder that field's error does not fill (a file name's length is %(max)d and
%(length)d, a text's %(limit_value)s)."""

import re
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.widgets import FILE_INPUT_CONTRADICTION

import measures.forms
import measures.memo_forms
from assessments.forms import ScoreEntryForm
from assessments.models import OrgUnit
from measures.models import Measure
from portal_core.form_fields import BuddhistEraDateField, SafeNameFileField
from portal_core.forms import TEXT_MAX_CHARS, ThaiFieldErrors, limit_field, thai_error_messages

THAI = re.compile(r"[\u0e00-\u0e7f]")
LABEL = "ช่องทดสอบ"
TOO_LONG = "ก" * (TEXT_MAX_CHARS + 1)
CHOICES = [("", "—"), ("1", "หนึ่ง"), ("2", "สอง")]

# Each kind of field the portal's Thai forms use, and a value raising each of its error codes.
FIELD_TYPES = {
    "CharField": (
        lambda: forms.CharField(min_length=2),
        {
            "required": "",
            "max_length": TOO_LONG,
            "min_length": "ก",
            "null_characters_not_allowed": "ก\x00",
        },
    ),
    "model text": (
        lambda: Measure._meta.get_field("activity").formfield(required=True),
        {"required": "", "max_length": TOO_LONG, "null_characters_not_allowed": "ก\x00"},
    ),
    "URLField": (
        lambda: forms.URLField(max_length=40, assume_scheme="https"),
        {
            "required": "",
            "invalid": "javascript:alert(1)",
            "max_length": "https://www.bangkok.go.th/" + "a" * 40,
            "null_characters_not_allowed": "https://a\x00",
        },
    ),
    "IntegerField": (
        lambda: forms.IntegerField(min_value=0),
        {"required": "", "invalid": "หนึ่ง", "max_value": "32768", "min_value": "-1"},
    ),
    "hidden IntegerField": (
        lambda: forms.IntegerField(widget=forms.HiddenInput),
        {"required": "", "invalid": "x", "max_value": "2147483648"},
    ),
    "DecimalField": (
        lambda: forms.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal(0)),
        {
            "required": "",
            "invalid": "แปดสิบ",
            "max_value": "40000",
            "min_value": "-1",
            "max_digits": "123.456",
            "max_decimal_places": "1.234",
            "max_whole_digits": "1234",
        },
    ),
    "DateField": (lambda: forms.DateField(), {"required": "", "invalid": "พรุ่งนี้"}),
    "BuddhistEraDateField": (
        lambda: BuddhistEraDateField(),
        {"required": "", "invalid": "31/02/2566"},
    ),
    "BooleanField": (lambda: forms.BooleanField(), {"required": False}),
    "ChoiceField": (
        lambda: forms.ChoiceField(choices=CHOICES),
        {"required": "", "invalid_choice": "3"},
    ),
    "TypedChoiceField": (
        lambda: forms.TypedChoiceField(choices=CHOICES, coerce=int, empty_value=None),
        {"required": "", "invalid_choice": "9"},
    ),
    "ModelChoiceField": (
        lambda: forms.ModelChoiceField(queryset=OrgUnit.objects.all()),
        {"required": "", "invalid_choice": "999999"},
    ),
    "ModelMultipleChoiceField": (
        lambda: forms.ModelMultipleChoiceField(queryset=OrgUnit.objects.all()),
        {
            "required": [],
            "invalid_list": "1",
            "invalid_choice": ["999999"],
            "invalid_pk_value": ["หนึ่ง"],
        },
    ),
    "FileField": (
        lambda: forms.FileField(max_length=20),
        {
            "required": None,
            "invalid": "not a file",
            "max_length": SimpleUploadedFile("ก" * 30 + ".pdf", b"%PDF-"),
            "empty": SimpleUploadedFile("ว่าง.pdf", b""),
            "contradiction": FILE_INPUT_CONTRADICTION,
        },
    ),
    "SafeNameFileField": (
        lambda: SafeNameFileField(max_length=20),
        {
            "required": None,
            "invalid": "not a file",
            "max_length": SimpleUploadedFile("ก" * 30 + ".pdf", b"%PDF-"),  # 80 once made safe
            "empty": SimpleUploadedFile("ว่าง.pdf", b""),
            "contradiction": FILE_INPUT_CONTRADICTION,
        },
    ),
}
# Messages the field words itself ("ไม่มีวันที่นี้ในปฏิทิน …"): Thai, shown under the field.
OWN_WORDING = {("BuddhistEraDateField", "invalid")}


def limited(kind: str) -> forms.Field:
    form_field = FIELD_TYPES[kind][0]()
    form_field.label = LABEL
    limit_field(form_field, name="test", text_max_chars=TEXT_MAX_CHARS)
    return form_field


CASES = [(kind, code) for kind in FIELD_TYPES for code in thai_error_messages(LABEL, limited(kind))]


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "code"), CASES, ids=[f"{k}-{c}" for k, c in CASES])
def test_every_message_of_the_helper_is_raised_in_thai_naming_the_field(kind, code):
    form_field = limited(kind)
    bad = FIELD_TYPES[kind][1]
    assert code in bad, f"no value in FIELD_TYPES raising {code} on {kind}"

    with pytest.raises(ValidationError) as raised:
        form_field.clean(bad[code])

    shown = [m for e in raised.value.error_list if e.code == code for m in e.messages]
    assert shown, [e.code for e in raised.value.error_list]
    assert all(THAI.search(m) and "%(" not in m for m in raised.value.messages)
    if (kind, code) not in OWN_WORDING:
        assert all(LABEL in message for message in shown), shown


def _form_classes(base=ThaiFieldErrors):
    for form_class in base.__subclasses__():
        yield form_class
        yield from _form_classes(form_class)


def _field_kind(form_field: forms.Field) -> type:
    """The class a field is made of, leaving out subclasses that only change choice labels."""
    return next(
        c for c in type(form_field).__mro__ if c.__module__.startswith(("django.", "assessments."))
    )


def test_every_kind_of_field_the_thai_forms_use_is_checked_above():
    used = {
        _field_kind(form_field)
        for form_class in [*_form_classes(), ScoreEntryForm]
        for form_field in form_class.base_fields.values()
    }
    used |= {forms.CharField, forms.ChoiceField}  # ScoreEntryForm's remarks and level, per question
    used.add(forms.IntegerField)  # a step's ORDER, added by measures.forms.StepFormSet
    used.discard(type(ScoreEntryForm.base_fields["official_score"]))  # ScoreField words its own

    checked = {type(make()) for make, _ in FIELD_TYPES.values()}

    assert used <= checked, used - checked
    assert {measures.forms.ProgressForm, measures.memo_forms.MemoForm} <= set(_form_classes())


class _SelectForm(ThaiFieldErrors, forms.Form):
    unit = forms.ModelChoiceField(label="หน่วยงาน", queryset=OrgUnit.objects.none())
    kind = forms.ChoiceField(
        label="ประเภท", choices=[("", "---------"), ("a", "ก")], required=False
    )
    status = forms.ChoiceField(label="สถานะ", choices=[("", "ทุกสถานะ"), ("a", "ก")])


def test_selects_offer_a_thai_placeholder_instead_of_dashes():
    form = _SelectForm()

    assert form.fields["unit"].empty_label == "— เลือกหน่วยงาน —"
    assert list(form.fields["kind"].choices) == [("", "— เลือกประเภท —"), ("a", "ก")]
    assert list(form.fields["status"].choices)[0] == ("", "ทุกสถานะ")  # a worded choice stays


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/staff/units/dusit/2565/measures/add/",
        "/staff/units/dusit/2565/memos/add/",
        "/staff/assessments/1/weaknesses/add/",
    ],
)
def test_staff_forms_show_no_dashes_in_their_selects(client, staff_dusit, dusit_2564, url):
    client.force_login(staff_dusit)
    content = client.get(url.replace("/1/", f"/{dusit_2564.pk}/")).content.decode()

    assert "---------" not in content
    assert '<option value="" selected>— เลือก' in content
