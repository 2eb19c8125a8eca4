"""A create form posted twice (a double click on "บันทึกมาตรการ" sent two identical POSTs 68 ms
apart) creates one object: the form's one-time token is claimed by the first POST
(assessments.submissions), and the repeat is sent to what the first one created."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, FiscalYear, FormSubmission, Question
from assessments.submissions import REPEATED_MESSAGE, TOKEN_FIELD
from measures.models import Limitation, Measure, Memo, ProgressUpdate, Weakness
from tests.factories import MeasureFactory, indicator_of, measure_form_data

pytestmark = pytest.mark.django_db

TOKEN = re.compile(rf'name="{TOKEN_FIELD}" value="([^"]+)"')


def _measure():
    fy2565 = FiscalYear.objects.get(year=2565)
    url = reverse("measures:measure-create", kwargs={"code": "dusit", "year": 2565})
    data = measure_form_data(
        title="เผยแพร่แผนการใช้จ่ายงบประมาณ", indicator=indicator_of(fy2565, 2).pk
    )
    return url, data, Measure.objects.filter(title="เผยแพร่แผนการใช้จ่ายงบประมาณ")


def _progress():
    measure = MeasureFactory()
    url = reverse("measures:progress-create", kwargs={"pk": measure.pk})
    data = {"date": "15/01/2565", "note": "ประชุมชี้แจงแล้ว", "percent": "50", "evidence_url": ""}
    return url, data, ProgressUpdate.objects.filter(measure=measure)


def _weakness():
    """A weak question: a second weakness of it would break the one-per-question rule."""
    assessment = Assessment.objects.get(unit__code="dusit", fiscal_year__year=2564)
    question = (
        Question.objects.filter(framework_id=assessment.fiscal_year.framework_id)
        .exclude(pk__in=assessment.weaknesses.values("question"))
        .order_by("order")
        .first()
    )
    url = reverse("measures:weakness-create", kwargs={"pk": assessment.pk})
    data = {
        "indicator": question.indicator_id,
        "question": question.pk,
        "topic": "การเปิดเผยข้อมูล",
        "order": "0",
    }
    return url, data, Weakness.objects.filter(assessment=assessment, question=question)


def _memo():
    url = reverse("measures:memo-create", kwargs={"code": "dusit", "year": 2566})
    data = {
        "kind": Memo.Kind.RESULTS,
        "subject": "รายงานผลการดำเนินการตามมาตรการ (ส่งซ้ำ)",
        "addressee": "ผู้อำนวยการเขตดุสิต",
        "signatures-TOTAL_FORMS": "0",
        "signatures-INITIAL_FORMS": "0",
        "signatures-MIN_NUM_FORMS": "0",
        "signatures-MAX_NUM_FORMS": "1000",
    }
    return url, data, Memo.objects.filter(subject="รายงานผลการดำเนินการตามมาตรการ (ส่งซ้ำ)")


def _limitation():
    url = reverse("measures:limitation-create", kwargs={"code": "dusit", "year": 2565})
    data = {"order": "5", "text": "งบประมาณสำหรับสื่อประชาสัมพันธ์มีจำกัด"}
    return url, data, Limitation.objects.filter(text="งบประมาณสำหรับสื่อประชาสัมพันธ์มีจำกัด")


def _detail_url(obj) -> str:
    if isinstance(obj, Measure):
        return reverse("measures:measure-detail", kwargs={"pk": obj.pk})
    if isinstance(obj, ProgressUpdate):
        return reverse("measures:measure-detail", kwargs={"pk": obj.measure_id})
    if isinstance(obj, Weakness):
        return reverse("measures:weakness-detail", kwargs={"pk": obj.pk})
    if isinstance(obj, Memo):
        return obj.get_absolute_url()
    return reverse("measures:limitation-list", kwargs={"code": "dusit", "year": 2565})


FORMS = {
    "measure": _measure,
    "progress": _progress,
    "weakness": _weakness,
    "memo": _memo,
    "limitation": _limitation,
}


@pytest.fixture(params=sorted(FORMS))
def create_form(request, db):
    """(url, POST data, rows the form creates) of one create form of the portal."""
    return FORMS[request.param]()


def _token(client, url: str) -> str:
    return TOKEN.search(client.get(url).content.decode())[1]


def test_every_create_form_carries_a_new_token_each_time(client, staff_dusit, create_form):
    url, _, _ = create_form
    client.force_login(staff_dusit)

    assert _token(client, url) != _token(client, url)


def test_two_identical_posts_create_one_object(client, staff_dusit, create_form):
    url, data, created = create_form
    client.force_login(staff_dusit)
    data[TOKEN_FIELD] = _token(client, url)

    first = client.post(url, data)
    second = client.post(url, data, follow=True)

    assert created.count() == 1
    assert first.status_code == 302
    assert first.url == _detail_url(created.get())
    assert second.redirect_chain == [(first.url, 302)]
    assert REPEATED_MESSAGE in second.content.decode()


def test_two_forms_opened_one_after_the_other_create_two_objects(client, staff_dusit):
    url, data, created = _limitation()
    client.force_login(staff_dusit)

    client.post(url, {**data, TOKEN_FIELD: _token(client, url)})
    client.post(url, {**data, TOKEN_FIELD: _token(client, url)})

    assert created.count() == 2


def test_a_refused_post_claims_nothing_so_the_corrected_form_is_saved(client, staff_dusit):
    url, data, created = _measure()
    client.force_login(staff_dusit)
    token = _token(client, url)

    refused = client.post(url, {**data, "title": "", TOKEN_FIELD: token})
    corrected = client.post(url, {**data, TOKEN_FIELD: token})

    assert refused.status_code == 200
    assert refused.context["form"].errors["title"]
    assert corrected.status_code == 302
    assert created.count() == 1


def test_a_post_without_a_token_is_saved_as_before(client, staff_dusit):
    url, data, created = _limitation()
    client.force_login(staff_dusit)

    response = client.post(url, data)

    assert response.status_code == 302
    assert created.count() == 1
    assert not FormSubmission.objects.exists()


def test_claims_older_than_a_day_are_removed(client, staff_dusit):
    url, data, _ = _limitation()
    client.force_login(staff_dusit)
    old = FormSubmission.objects.create(user=staff_dusit, token="x" * 32, url="/staff/")
    FormSubmission.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )

    client.post(url, {**data, TOKEN_FIELD: _token(client, url)})

    assert not FormSubmission.objects.filter(pk=old.pk).exists()
    assert FormSubmission.objects.count() == 1
