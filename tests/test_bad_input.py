"""Bad input on every staff form: each is refused with a 200 re-render, a Thai message naming the
field, and not one row written (the whole assessments and measures data, history included, is
compared before and after).

Every case starts from values the form accepts and spoils one field (out of range, malformed or
oversized), so the refusal is that field's and nothing else's.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import BaseForm, BaseFormSet
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assessments.forms import ScoreField
from assessments.models import Assessment, FiscalYear, OrgUnit, Question
from measures.models import Measure, Memo
from portal_core.form_fields import BuddhistEraDateField
from portal_core.forms import TEXT_MAX_CHARS
from portal_core.thai import parse_be_date, thai_digits
from tests.factories import indicator_of, measure_form_data

pytestmark = pytest.mark.django_db

THAI = re.compile(r"[\u0e00-\u0e7f]")
TOO_LONG = "ก" * (TEXT_MAX_CHARS + 1)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every model of the two data apps (history tables included)."""
    rows = {}
    for label in ("assessments", "measures"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = sorted(
                model.objects.order_by().values_list(), key=lambda row: repr(row)
            )
    return rows


def form_errors(response) -> list[str]:
    """Every error of the forms and formsets the page was rendered with, each as "label: message"
    (the page shows a field's errors under its label; form-wide errors have no label)."""
    found: list[str] = []

    def collect(obj) -> None:
        if isinstance(obj, BaseFormSet):
            found.extend(obj.non_form_errors())
            for form in obj.forms:
                collect(form)
        elif isinstance(obj, BaseForm):
            for name, messages in obj.errors.items():
                label = obj.fields[name].label if name in obj.fields else ""
                found.extend(f"{label}: {message}" for message in messages)
        elif isinstance(obj, list | tuple):
            for item in obj:
                collect(item)

    for key in ("form", "steps", "formset", "rows"):
        if key in response.context:
            collect(response.context[key])
    return found


# --- what each form posts when all is well ---------------------------------------------------


def _dusit_2564() -> Assessment:
    return Assessment.objects.get(unit__code="dusit", fiscal_year__year=2564)


def _question() -> Question:
    return Question.objects.filter(framework=_dusit_2564().fiscal_year.framework).first()


def _measure() -> Measure:
    return Measure.objects.filter(unit__code="dusit").order_by("pk").first()


def score_entry() -> tuple[str, dict]:
    from assessments.forms import ScoreEntryForm

    assessment = _dusit_2564()
    form = ScoreEntryForm(assessment=assessment)
    data = {}
    for name, form_field in form.fields.items():
        value = form.initial.get(name, form_field.initial)
        data[name] = "" if value is None else str(value)
    return reverse("assessments:score-entry", kwargs={"pk": assessment.pk}), data


def weakness() -> tuple[str, dict]:
    assessment = _dusit_2564()
    question = _question()
    data = {
        "indicator": question.indicator_id,
        "sub_indicator": "",
        "question": question.pk,
        "score": "70.00",
        "topic": "หัวข้อทดสอบ",
        "analysis": "วิเคราะห์",
        "correction": "",
        "order": "1",
    }
    return reverse("measures:weakness-create", kwargs={"pk": assessment.pk}), data


def indicator_analysis() -> tuple[str, dict]:
    assessment = _dusit_2564()
    data = {}
    for indicator in assessment.fiscal_year.framework.indicators.all():
        data[f"ind{indicator.number}-result_text"] = "ผ่านเกณฑ์"
        data[f"ind{indicator.number}-analysis"] = "ไม่มีข้อบกพร่อง"
    return reverse("measures:indicator-analysis", kwargs={"pk": assessment.pk}), data


def measure() -> tuple[str, dict]:
    dusit = OrgUnit.objects.get(code="dusit")
    indicator = indicator_of(FiscalYear.objects.get(year=2566), 1, dusit)
    data = measure_form_data(
        title="มาตรการทดสอบข้อมูลผิด",
        indicator=indicator.pk,
        steps=[{"text": "ขั้นตอนที่หนึ่ง", "result": "", "ORDER": 1}],
    )
    return reverse("measures:measure-create", kwargs={"code": "dusit", "year": 2566}), data


def measure_status() -> tuple[str, dict]:
    return reverse("measures:measure-status", kwargs={"pk": _measure().pk}), {"status": "done"}


def progress() -> tuple[str, dict]:
    data = {"date": "15/02/2565", "note": "จัดประชุมชี้แจงแล้ว", "percent": "60"}
    return reverse("measures:progress-create", kwargs={"pk": _measure().pk}), data


def limitation() -> tuple[str, dict]:
    data = {"order": "1", "text": "บุคลากรมีภาระงานประจำมาก"}
    return reverse("measures:limitation-create", kwargs={"code": "dusit", "year": 2565}), data


def memo() -> tuple[str, dict]:
    data = {
        "kind": "results",
        "date": "22/11/2569",
        "subject": "รายงานผลการดำเนินการตามมาตรการ",
        "addressee": "ผู้อำนวยการเขตดุสิต",
        "background": "ต้นเรื่องทดสอบ",
        "closing": "จึงเรียนมาเพื่อโปรดทราบ",
        "signatures-TOTAL_FORMS": "1",
        "signatures-INITIAL_FORMS": "0",
        "signatures-MIN_NUM_FORMS": "0",
        "signatures-MAX_NUM_FORMS": "1000",
        "signatures-0-name": "นายพัฒนา อังศุกสิกร",
        "signatures-0-position": "เจ้าหน้าที่ระบบงานคอมพิวเตอร์ปฏิบัติการ",
    }
    return reverse("measures:memo-create", kwargs={"code": "dusit", "year": 2566}), data


def score_import() -> tuple[str, dict]:
    return reverse("assessments:scores-import", kwargs={"code": "dusit", "year": 2564}), {}


def plan_import() -> tuple[str, dict]:
    return reverse("measures:plan-import", kwargs={"code": "dusit", "year": 2566}), {}


# --- the bad values -------------------------------------------------------------------------


@dataclass
class Case:
    """One spoiled field: the form's good data, the change, and what the message must name."""

    form: Callable[[], tuple[str, dict]]
    change: Callable[[dict], dict]
    names: str
    files: dict = field(default_factory=dict)


def put(**values) -> Callable[[dict], dict]:
    return lambda data: {**data, **values}


def question_field(part: str, value: str) -> Callable[[dict], dict]:
    def change(data: dict) -> dict:
        pk = _question().pk
        return {**data, f"q-{pk}-score": "50", f"q-{pk}-{part}": value}

    return change


def first_indicator(key: str, value: str) -> Callable[[dict], dict]:
    return lambda data: {**data, f"ind1-{key}": value}


def xlsx(name: str, content: bytes) -> dict:
    return {"file": SimpleUploadedFile(name, content)}


CASES = {
    # score entry
    "score over 100": Case(score_entry, put(official_score="100.01"), "คะแนนรวมที่ประกาศ"),
    "score below 0": Case(score_entry, put(official_score="-1"), "คะแนนรวมที่ประกาศ"),
    "score not a number": Case(score_entry, put(official_score="แปดสิบ"), "คะแนนรวมที่ประกาศ"),
    "score with 3 decimals": Case(score_entry, put(official_score="85.555"), "คะแนนรวมที่ประกาศ"),
    "score oversized": Case(score_entry, put(official_score="9" * 5000), "คะแนนรวมที่ประกาศ"),
    "level not offered": Case(score_entry, put(official_level="Z"), "ระดับที่ประกาศ"),
    "question share over 100": Case(score_entry, question_field("share", "101"), "ร้อยละ"),
    "remark oversized": Case(score_entry, question_field("remark", TOO_LONG), "ข้อสังเกต"),
    # weakness
    "weakness score over 100": Case(weakness, put(score="120"), "คะแนน"),
    "weakness score malformed": Case(weakness, put(score="๗๐..๕"), "คะแนน"),
    "weakness topic oversized": Case(weakness, put(topic=TOO_LONG), "หัวข้อการประเมิน"),
    "weakness order negative": Case(weakness, put(order="-3"), "ลำดับ"),
    "weakness order huge": Case(weakness, put(order="99999999999999999999"), "ลำดับ"),
    "weakness indicator unknown": Case(weakness, put(indicator="999999"), "ตัวชี้วัด"),
    "weakness text with NUL": Case(weakness, put(analysis="ก\x00ข"), "การวิเคราะห์"),
    # indicator analysis: the first indicator's text is too long, the others are fine
    "analysis oversized": Case(
        indicator_analysis, first_indicator("analysis", TOO_LONG), "การวิเคราะห์ข้อบกพร่อง"
    ),
    "result text oversized": Case(
        indicator_analysis, first_indicator("result_text", TOO_LONG), "ผลการประเมิน"
    ),
    # measure and its steps
    "measure title oversized": Case(measure, put(title=TOO_LONG), "มาตรการ/แนวทางปฏิบัติ"),
    "measure title empty": Case(measure, put(title=""), "มาตรการ/แนวทางปฏิบัติ"),
    "measure deadline not a date": Case(measure, put(deadline="31/02/2566"), "ระยะเวลาแล้วเสร็จ"),
    "measure deadline garbage": Case(measure, put(deadline="พรุ่งนี้"), "ระยะเวลาแล้วเสร็จ"),
    "measure monitoring 13": Case(measure, put(monitoring_months="13"), "การกำกับติดตาม"),
    "measure order huge": Case(measure, put(order="1" * 30), "ลำดับ"),
    "measure note oversized": Case(measure, put(deadline_note="ก" * 201), "หมายเหตุระยะเวลา"),
    "measure division unknown": Case(measure, put(responsible_divisions=["999999"]), "ฝ่ายที่รับผิดชอบ"),
    "step text oversized": Case(measure, put(**{"steps-0-text": TOO_LONG}), "ขั้นตอน/วิธีการ"),
    "step order malformed": Case(measure, put(**{"steps-0-ORDER": "หนึ่ง"}), "ลำดับ"),
    "step order huge": Case(measure, put(**{"steps-0-ORDER": "9" * 12}), "ลำดับ"),
    # progress
    "progress percent 101": Case(progress, put(percent="101"), "ร้อยละความสำเร็จ"),
    "progress percent negative": Case(progress, put(percent="-1"), "ร้อยละความสำเร็จ"),
    "progress percent text": Case(progress, put(percent="ครึ่งหนึ่ง"), "ร้อยละความสำเร็จ"),
    "progress date in the future": Case(progress, put(date="01/01/2700"), "วันที่รายงาน"),
    "progress date garbage": Case(progress, put(date="32/13/2565"), "วันที่รายงาน"),
    "progress note oversized": Case(progress, put(note=TOO_LONG), "ความคืบหน้า"),
    "progress link not http": Case(progress, put(evidence_url="javascript:alert(1)"), "ลิงก์หลักฐาน"),
    "progress evidence not a pdf": Case(
        progress,
        put(),
        "fake.pdf",
        files={"evidence_file": SimpleUploadedFile("fake.pdf", b"MZ\x90\x00")},
    ),
    # limitation
    "limitation text oversized": Case(limitation, put(text=TOO_LONG), "ข้อจำกัด"),
    "limitation text empty": Case(limitation, put(text=""), "ข้อจำกัด"),
    "limitation order negative": Case(limitation, put(order="-1"), "ลำดับ"),
    "limitation order huge": Case(limitation, put(order="9" * 25), "ลำดับ"),
    # memo and its signature chain
    "memo subject oversized": Case(memo, put(subject="ก" * 501), "เรื่อง"),
    "memo addressee empty": Case(memo, put(addressee=""), "เรียน"),
    "memo kind unknown": Case(memo, put(kind="letter"), "ประเภทบันทึก"),
    "memo date garbage": Case(memo, put(date="2566/11/22"), "วันที่"),
    "memo facts oversized": Case(memo, put(facts=TOO_LONG), "ข้อเท็จจริง"),
    "signature name oversized": Case(memo, put(**{"signatures-0-name": "ก" * 201}), "ชื่อ"),
    "signature position oversized": Case(
        memo, put(**{"signatures-0-position": TOO_LONG}), "ตำแหน่ง"
    ),
    # import uploads
    "score import not xlsx": Case(
        score_import, put(), "Excel", files=xlsx("scores.xlsx", b"not a workbook")
    ),
    "score import old xls": Case(
        score_import, put(), "Excel", files=xlsx("scores.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 64)
    ),
    "plan import not xlsx": Case(
        plan_import, put(), "Excel", files=xlsx("plan.xlsx", "รหัส,คะแนน\n".encode())
    ),
    # a browser always posts the CSRF token, so the form is bound even without a file
    "plan import no file": Case(plan_import, put(csrfmiddlewaretoken="x"), "Excel"),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input_is_refused_in_thai_naming_the_field_and_nothing_is_saved(
    client, staff_dusit, settings, tmp_path, case
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(staff_dusit)
    url, data = case.form()
    before = snapshot()

    response = client.post(url, {**case.change(data), **case.files})

    assert response.status_code == 200
    errors = form_errors(response)
    assert any(case.names in message and THAI.search(message) for message in errors), errors
    assert snapshot() == before
    assert list(tmp_path.rglob("*.*")) == []


@pytest.mark.parametrize(
    "form",
    [score_entry, weakness, indicator_analysis, measure, progress, limitation, memo],
    ids=lambda form: form.__name__,
)
def test_the_good_data_of_each_case_is_accepted(client, staff_dusit, settings, tmp_path, form):
    """The cases above are refused for their one bad field only: the same data without it saves."""
    settings.MEDIA_ROOT = tmp_path
    client.force_login(staff_dusit)
    url, data = form()

    response = client.post(url, data)

    assert response.status_code == 302, form_errors(response)


def memo_transition() -> tuple[str, dict]:
    memo = Memo.objects.create(
        unit=_dusit_2564().unit,
        fiscal_year=FiscalYear.objects.get(year=2566),
        kind=Memo.Kind.ANALYSIS,
        subject="บันทึกทดสอบ",
        addressee="ผู้อำนวยการเขตดุสิต",
    )
    return reverse("memos:memo-transition", kwargs={"pk": memo.pk}), {"to": "submitted"}


ACTION_CASES = {
    "measure status unknown": Case(measure_status, put(status="finished"), "เปลี่ยนสถานะเป็น"),
    "memo status unknown": Case(memo_transition, put(to="archived"), "สถานะ"),
    "memo comment oversized": Case(memo_transition, put(comment=TOO_LONG), "สถานะ"),
}


@pytest.mark.parametrize("case", ACTION_CASES.values(), ids=ACTION_CASES.keys())
def test_a_bad_status_move_is_refused_with_a_thai_message_and_changes_nothing(
    client, staff_dusit, case
):
    """Status moves are buttons on the detail page: a refusal returns there with the message."""
    client.force_login(staff_dusit)
    url, data = case.form()
    before = snapshot()

    response = client.post(url, case.change(data), follow=True)

    shown = [str(message) for message in response.context["messages"]]
    assert any(case.names in message and THAI.search(message) for message in shown), shown
    assert snapshot() == before


def test_an_oversized_request_body_is_refused_before_it_is_read(client, staff_dusit, settings):
    """A form post larger than DATA_UPLOAD_MAX_MEMORY_SIZE never reaches the form (400)."""
    client.force_login(staff_dusit)
    url, data = limitation()

    response = client.post(url, {**data, "text": "ก" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})

    assert response.status_code == 400


# --- properties (hypothesis): junk is refused with the expected error, never a crash -----------

near_dates = st.from_regex(
    r"\A[0-9๐-๙]{0,6}[/.\- ]{0,2}([0-9๐-๙]{0,6}|มี\.?ค\.?|มีนาคม|ธ\.ค\.)[/.\- ]{0,2}[0-9๐-๙]{0,8}\Z"
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), near_dates, st.integers().map(str)))
def test_parse_be_date_rejects_garbage_with_value_error_only(text):
    try:
        day = parse_be_date(text)
    except ValueError as exc:
        assert THAI.search(str(exc))
    else:
        assert datetime.date(1857, 1, 1) <= day <= datetime.date(2157, 12, 31)


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), near_dates))
def test_the_date_field_refuses_garbage_with_a_validation_error_only(text):
    try:
        BuddhistEraDateField(required=False).clean(text)
    except forms.ValidationError as exc:
        assert all(THAI.search(message) for message in exc.messages)


score_like = st.one_of(
    st.text(),
    st.from_regex(r"\A[ ]?[-+]?[0-9๐-๙]{0,6}([.,][0-9๐-๙]{0,4})?[eE]?[0-9]{0,3}[ ]?\Z"),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(score_like)
def test_the_score_field_cleans_to_a_0_to_100_score_or_refuses_in_thai(text):
    try:
        value = ScoreField(item="I7").clean(text)
    except forms.ValidationError as exc:
        assert all(message.startswith("I7: ") and THAI.search(message) for message in exc.messages)
    else:
        assert value is None or (
            Decimal("0") <= value <= Decimal("100") and value.as_tuple().exponent >= -2
        )


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
    st.booleans(),
)
def test_the_score_field_reads_every_valid_score_in_either_digits(score, thai):
    typed = thai_digits(f"{score:.2f}") if thai else f"{score:.2f}"

    assert ScoreField(item="I7").clean(typed) == score
