"""One length limit per text field, kept by the model: the staff forms, the admin and the Excel
imports refuse the same over-long text with a Thai message (an import's names its row and
column), and a text at the limit saves by each of them and then saves again, unchanged, through
the staff form, line breaks and all (a browser posts them as CR LF)."""

import io

import openpyxl
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max
from django.db.models.functions import Length
from django.urls import reverse

from assessments.models import Assessment, FiscalYear, OrgUnit, QuestionScore
from assessments.score_sheets import (
    ITEMS_HEADERS,
    ITEMS_SHEET,
    QUESTIONS_HEADERS,
    QUESTIONS_SHEET,
    import_score_workbook,
)
from measures.models import Limitation, Measure
from measures.plan_sheets import import_plan_workbook
from measures.resources import PLAN_COLUMNS
from portal_core.text_limits import LONG_TEXT_CHARS, SECTION_TEXT_CHARS
from tests.factories import MeasureFactory, measure_form_data

pytestmark = pytest.mark.django_db


def text_fields():
    """Every text field of the portal's own models that people type into (history tables copy
    them; a field with editable=False, like a memo revision's rendered HTML, the portal writes)."""
    for label in ("assessments", "measures", "ita_portal"):
        for model in apps.get_app_config(label).get_models():
            if hasattr(model, "instance_type"):  # a django-simple-history table
                continue
            for field in model._meta.fields:
                if isinstance(field, models.TextField) and field.editable:
                    yield model, field


TEXT_FIELDS = list(text_fields())
LIMIT = LONG_TEXT_CHARS
# 5,000 characters in 51 lines, as a pasted plan reads; no space at either end (forms trim it)
AT_LIMIT = "\n".join("ก" * 97 for _ in range(51)) + "ก" * (LIMIT - 51 * 97 - 50)
OVER_LIMIT = AT_LIMIT + "ข"


def too_long(limit: int, length: int) -> str:
    return f"ยาวได้ไม่เกิน {limit} ตัวอักษร (มี {length} ตัวอักษร)"


def as_browser_posts(data: dict) -> dict:
    """Form data as a browser posts it: every line break of a textarea as CR LF."""
    return {k: v.replace("\n", "\r\n") if isinstance(v, str) else v for k, v in data.items()}


# --- the model --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field"), TEXT_FIELDS, ids=[f"{m.__name__}.{f.name}" for m, f in TEXT_FIELDS]
)
def test_every_text_field_has_one_limit_that_its_model_enforces(model, field):
    limit = field.max_length
    assert limit in (LONG_TEXT_CHARS, SECTION_TEXT_CHARS)
    assert field.clean("ก" * limit, None) == "ก" * limit

    with pytest.raises(ValidationError) as refused:
        field.clean("ก" * (limit + 1), None)

    assert refused.value.messages == [f"{field.verbose_name}{too_long(limit, limit + 1)}"]
    assert field.formfield().max_length == limit


def test_the_demo_data_fits_every_limit():
    longest = {
        f"{model.__name__}.{field.name}": (
            model.objects.aggregate(n=Max(Length(field.name)))["n"] or 0,
            field.max_length,
        )
        for model, field in TEXT_FIELDS
    }

    assert {name: n for name, (n, limit) in longest.items() if n > limit} == {}
    assert max(n for n, _ in longest.values()) > 1000  # the demo memos' introductions


# --- the staff form ---------------------------------------------------------------------------


def edit_measure(client, measure: Measure, **changes):
    data = as_browser_posts(measure_form_data(measure, **changes))
    return client.post(reverse("measures:measure-edit", kwargs={"pk": measure.pk}), data)


def test_the_measure_form_refuses_an_activity_one_over_its_limit(client, staff_dusit):
    measure = MeasureFactory()
    client.force_login(staff_dusit)

    response = edit_measure(client, measure, activity=OVER_LIMIT)

    assert response.status_code == 200
    assert response.context["form"].errors["activity"] == [
        f"กิจกรรมยาวได้ไม่เกิน {LIMIT} ตัวอักษร (กรอกมา {LIMIT + 1})"
    ]
    measure.refresh_from_db()
    assert measure.activity == ""


def test_an_activity_at_its_limit_saves_through_the_form_and_saves_again_unchanged(
    client, staff_dusit
):
    measure = MeasureFactory()
    client.force_login(staff_dusit)

    first = edit_measure(client, measure, activity=AT_LIMIT)
    measure.refresh_from_db()
    again = edit_measure(client, measure)

    assert (first.status_code, again.status_code) == (302, 302)
    measure.refresh_from_db()
    assert measure.activity == AT_LIMIT


# --- the imports ------------------------------------------------------------------------------


def workbook(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def import_plan(user, activity: str, *, dry_run=False):
    row = ["1) การปฏิบัติหน้าที่", "ประเด็นทดสอบ", activity, "", "", "30/03/2566", "ทุกฝ่าย", ""]
    return import_plan_workbook(
        workbook({"มาตรการ": [PLAN_COLUMNS[1:], row]}),
        unit=OrgUnit.objects.get(code="dusit"),
        fiscal_year=FiscalYear.objects.get(year=2566),
        user=user,
        dry_run=dry_run,
    )


def errors(report) -> list[tuple]:
    return [(e.row, e.column, e.header, e.message) for e in report.errors]


@pytest.mark.parametrize("length", [LIMIT + 1, 32_767], ids=["one over", "a full Excel cell"])
def test_the_plan_import_refuses_an_activity_over_its_limit_at_its_row_and_column(
    staff_dusit, length
):
    before = Measure.objects.count()

    report = import_plan(staff_dusit, "ก" * length)

    assert errors(report) == [(2, "C", "กิจกรรมที่จะดำเนินการ", f"กิจกรรม{too_long(LIMIT, length)}")]
    assert Measure.objects.count() == before


def test_an_activity_imported_at_its_limit_saves_again_unchanged_through_the_form(
    client, staff_dusit
):
    report = import_plan(staff_dusit, AT_LIMIT)
    measure = Measure.objects.get(unit__code="dusit", fiscal_year__year=2566, activity=AT_LIMIT)
    client.force_login(staff_dusit)

    response = edit_measure(client, measure)

    assert (errors(report), response.status_code) == ([], 302)
    measure.refresh_from_db()
    assert (measure.activity, measure.version) == (AT_LIMIT, 2)


def import_remark(user, remark: str):
    row = ["dusit", "", 2564, None, "I7", "", 61.49, None, remark]
    return import_score_workbook(
        workbook({ITEMS_SHEET: [ITEMS_HEADERS], QUESTIONS_SHEET: [QUESTIONS_HEADERS, row]}),
        units=[OrgUnit.objects.get(code="dusit")],
        fiscal_year=FiscalYear.objects.get(year=2564),
        user=user,
        dry_run=False,
    )


def dusit_i7() -> QuestionScore:
    return QuestionScore.objects.get(
        assessment__unit__code="dusit", assessment__fiscal_year__year=2564, question__code="I7"
    )


def test_the_score_import_refuses_a_remark_over_its_limit_at_its_row_and_column(staff_dusit):
    before = dusit_i7().remark

    report = import_remark(staff_dusit, "ก" * 32_767)

    assert [(e.row, e.header, e.message) for e in report.errors] == [
        (2, "ข้อสังเกตของผู้ประเมิน", f"ข้อสังเกตของผู้ประเมิน{too_long(LIMIT, 32_767)}")
    ]
    assert dusit_i7().remark == before


def test_a_remark_imported_at_its_limit_saves_again_unchanged_through_the_score_form(
    client, staff_dusit
):
    from assessments.forms import ScoreEntryForm

    report = import_remark(staff_dusit, AT_LIMIT)
    assessment = Assessment.objects.get(unit__code="dusit", fiscal_year__year=2564)
    form = ScoreEntryForm(assessment=assessment)
    data = {name: form.initial.get(name, f.initial) for name, f in form.fields.items()}
    client.force_login(staff_dusit)

    response = client.post(
        reverse("assessments:score-entry", kwargs={"pk": assessment.pk}),
        as_browser_posts({k: "" if v is None else str(v) for k, v in data.items()}),
    )

    assert (errors(report), response.status_code) == ([], 302)
    assert dusit_i7().remark == AT_LIMIT


# --- the admin --------------------------------------------------------------------------------


def admin_limitation(client, text: str, limitation: Limitation | None = None):
    data = {
        "unit": OrgUnit.objects.get(code="dusit").pk,
        "fiscal_year": FiscalYear.objects.get(year=2566).pk,
        "order": 1,
        "text": text,
    }
    if limitation is None:
        url = reverse("admin:measures_limitation_add")
    else:
        url = reverse("admin:measures_limitation_change", args=[limitation.pk])
    return client.post(url, as_browser_posts(data))


def test_the_admin_refuses_a_text_one_over_its_limit_in_thai(client, central_team):
    client.force_login(central_team)
    before = Limitation.objects.count()

    response = admin_limitation(client, OVER_LIMIT)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["text"] == [
        f"ข้อจำกัด{too_long(LIMIT, LIMIT + 1)}"
    ]
    assert Limitation.objects.count() == before


def test_a_text_at_its_limit_saves_in_the_admin_and_saves_again_unchanged(client, central_team):
    client.force_login(central_team)

    added = admin_limitation(client, AT_LIMIT)
    limitation = Limitation.objects.get(text=AT_LIMIT)
    changed = admin_limitation(client, limitation.text, limitation)

    assert (added.status_code, changed.status_code) == (302, 302)
    limitation.refresh_from_db()
    assert limitation.text == AT_LIMIT
