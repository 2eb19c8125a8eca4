"""The score entry page: one page per assessment, 0–100 in Thai, one transaction, history."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.forms import ScoreEntryForm
from assessments.models import Assessment, FiscalYear, OrgUnit, Question, QuestionScore
from assessments.score_entry import EnteredScores, QuestionEntry, save_scores
from tests.factories import AssessmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def form_data(assessment: Assessment, **changes) -> dict:
    """Every field of the score page as the browser posts it, with ``changes`` applied.

    Keys of ``changes`` may be question codes ("I7" → its score, "I7_share", "I7_remark").
    """
    form = ScoreEntryForm(assessment=assessment)
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = "" if value is None else str(value)
    questions = {q.code: q.pk for q in form.questions}
    for key, value in changes.items():
        code, _, part = key.partition("_")
        if code in questions:
            data[f"q-{questions[code]}-{part or 'score'}"] = value
        else:
            data[key] = value
    return data


@pytest.fixture
def bangrak_2566(db) -> Assessment:
    return AssessmentFactory(
        unit=OrgUnit.objects.get(code="bang-rak"), fiscal_year=FiscalYear.objects.get(year=2566)
    )


@pytest.fixture
def staff_bangrak(bangrak_2566):
    return MembershipFactory(unit=bangrak_2566.unit).user


def _url(assessment: Assessment) -> str:
    return reverse("assessments:score-entry", kwargs={"pk": assessment.pk})


def test_the_page_groups_questions_under_their_indicator_with_that_years_wording(
    client, staff_dusit, dusit_2564
):
    client.force_login(staff_dusit)

    response = client.get(_url(dusit_2564))

    groups = response.context["groups"]
    assert [g.tool.code for g in groups] == ["IIT", "EIT", "OIT"]
    indicator_2 = groups[0].indicators[1]
    assert indicator_2.indicator.number == 2
    i7 = next(r for r in indicator_2.questions if r.question.code == "I7")
    assert i7.question.text == Question.objects.get(framework=dusit_2564.framework, code="I7").text
    assert i7.score.value() == Decimal("61.49")
    assert i7.question.text in response.content.decode()
    nine = groups[2].indicators[0]
    assert [s.sub_indicator.code for s in nine.sub_indicators][:2] == ["9.1", "9.2"]


def test_eit_from_2566_has_a_field_for_each_of_its_two_parts(client, staff_bangrak, bangrak_2566):
    client.force_login(staff_bangrak)

    response = client.get(_url(bangrak_2566))

    eit = response.context["groups"][1]
    assert [bf.label for bf in eit.scores] == ["คะแนน EIT", "คะแนน EIT ส่วนที่ 1", "คะแนน EIT ส่วนที่ 2"]


def test_staff_save_two_question_scores_with_share_and_remark(client, staff_bangrak, bangrak_2566):
    client.force_login(staff_bangrak)

    response = client.post(
        _url(bangrak_2566),
        form_data(bangrak_2566, I8="61.49", I8_share="19.28", O1="0", O1_remark="ไม่พบผังองค์กรย่อย"),
    )

    assert response.status_code == 302
    rows = {
        s.question.code: (s.score, s.lowest_option_share, s.remark)
        for s in QuestionScore.objects.filter(assessment=bangrak_2566).select_related("question")
    }
    assert rows == {
        "I8": (Decimal("61.49"), Decimal("19.28"), ""),
        "O1": (Decimal("0.00"), None, "ไม่พบผังองค์กรย่อย"),
    }


@pytest.mark.parametrize("value", ["100.01", "-1", "150"])
def test_a_score_outside_0_to_100_is_refused_naming_the_question_and_nothing_is_saved(
    client, staff_bangrak, bangrak_2566, value
):
    client.force_login(staff_bangrak)
    i8 = Question.objects.get(framework=bangrak_2566.framework, code="I8")

    response = client.post(_url(bangrak_2566), form_data(bangrak_2566, I8=value, I17="70.00"))

    assert response.status_code == 200
    assert response.context["form"].errors[f"q-{i8.pk}-score"] == ["I8: คะแนนต้องอยู่ระหว่าง 0 ถึง 100"]
    assert "I8: คะแนนต้องอยู่ระหว่าง 0 ถึง 100" in response.content.decode()
    assert QuestionScore.objects.filter(assessment=bangrak_2566).count() == 0


def test_text_and_three_decimals_get_thai_messages_naming_the_item(
    client, staff_bangrak, bangrak_2566
):
    client.force_login(staff_bangrak)
    indicator_1 = bangrak_2566.framework.indicators.get(number=1)
    i8 = Question.objects.get(framework=bangrak_2566.framework, code="I8")

    response = client.post(
        _url(bangrak_2566),
        form_data(bangrak_2566, **{f"ind-{indicator_1.pk}": "เก้าสิบ", "I8": "80.123"}),
    )

    errors = response.context["form"].errors
    assert errors[f"ind-{indicator_1.pk}"] == ["ตัวชี้วัดที่ 1: คะแนนต้องเป็นตัวเลข เช่น 85.50"]
    assert errors[f"q-{i8.pk}-score"] == ["I8: คะแนนมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง"]


def test_a_share_over_100_is_refused_naming_the_question(client, staff_bangrak, bangrak_2566):
    client.force_login(staff_bangrak)
    i8 = Question.objects.get(framework=bangrak_2566.framework, code="I8")

    response = client.post(_url(bangrak_2566), form_data(bangrak_2566, I8="50", I8_share="101"))

    assert response.context["form"].errors[f"q-{i8.pk}-share"] == [
        "I8: ร้อยละผู้ตอบตัวเลือกน้อยที่สุดต้องอยู่ระหว่าง 0 ถึง 100"
    ]


def test_a_remark_without_a_score_is_refused(client, staff_bangrak, bangrak_2566):
    client.force_login(staff_bangrak)
    o1 = Question.objects.get(framework=bangrak_2566.framework, code="O1")

    response = client.post(_url(bangrak_2566), form_data(bangrak_2566, O1_remark="ไม่พบข้อมูล"))

    assert response.context["form"].errors[f"q-{o1.pk}-score"] == [
        "O1: กรุณากรอกคะแนนเมื่อระบุร้อยละผู้ตอบหรือข้อสังเกต"
    ]


def test_scores_typed_in_thai_digits_are_read(client, staff_bangrak, bangrak_2566):
    client.force_login(staff_bangrak)

    client.post(_url(bangrak_2566), form_data(bangrak_2566, I8="๘๕.๕๐"))

    assert QuestionScore.objects.get(assessment=bangrak_2566).score == Decimal("85.50")


def test_emptying_a_field_deletes_that_score_and_keeps_the_others(client, staff_dusit, dusit_2564):
    client.force_login(staff_dusit)
    before = set(
        QuestionScore.objects.filter(assessment=dusit_2564).values_list("question__code", flat=True)
    )

    response = client.post(_url(dusit_2564), form_data(dusit_2564, I7="", I7_share=""))

    after = set(
        QuestionScore.objects.filter(assessment=dusit_2564).values_list("question__code", flat=True)
    )
    assert response.status_code == 302
    assert after == before - {"I7"}


def test_the_computed_overall_is_shown_beside_the_official_and_a_mismatch_is_flagged(
    client, staff_dusit, dusit_2564
):
    client.force_login(staff_dusit)

    matching = client.get(_url(dusit_2564))
    client.post(_url(dusit_2564), form_data(dusit_2564, official_score="95.00"))
    mismatching = client.get(_url(dusit_2564))

    assert matching.context["check"].computed == Decimal("90.40")
    assert matching.context["check"].mismatch is False
    assert mismatching.context["check"].official == Decimal("95.00")
    assert mismatching.context["check"].mismatch is True
    assert "คะแนนรวมไม่ตรงกับที่คำนวณได้" in mismatching.content.decode()


def test_director_sees_the_scores_read_only_and_a_post_is_refused(
    client, director_dusit, dusit_2564
):
    client.force_login(director_dusit)

    page = client.get(_url(dusit_2564))
    post = client.post(_url(dusit_2564), form_data(dusit_2564, official_score="99.00"))

    assert all(f.disabled for f in page.context["form"].fields.values())
    assert "บันทึกคะแนนทั้งหมด" not in page.content.decode()
    assert post.status_code == 403
    assert Assessment.objects.get(pk=dusit_2564.pk).official_score == Decimal("90.40")


def test_staff_open_the_score_sheet_of_a_year_without_an_assessment_once(client, staff_dusit):
    client.force_login(staff_dusit)
    url = reverse("assessments:assessment-create", kwargs={"code": "dusit", "year": 2567})

    first = client.post(url)
    second = client.post(url)

    assessment = Assessment.objects.get(unit__code="dusit", fiscal_year__year=2567)
    assert first["Location"] == _url(assessment)
    assert second["Location"] == _url(assessment)


def test_the_history_shows_who_changed_which_score_from_what_to_what(
    client, staff_dusit, dusit_2564
):
    client.force_login(staff_dusit)

    client.post(_url(dusit_2564), form_data(dusit_2564, I7="65.00"))
    response = client.get(_url(dusit_2564))

    latest = response.context["history"][0]
    assert (latest.who, latest.action, latest.subject) == ("นายพัฒนา อังศุกสิกร", "แก้ไข", "ข้อ I7")
    assert [(c.label, c.old, c.new) for c in latest.changes] == [("คะแนน", "61.49", "65.00")]
    assert "นายพัฒนา อังศุกสิกร" in response.content.decode()


def test_a_row_outside_the_years_framework_rolls_back_the_whole_sheet(dusit_2564, staff_dusit):
    i7 = Question.objects.get(framework=dusit_2564.framework, code="I7")
    foreign = Question.objects.exclude(framework=dusit_2564.framework).first()
    sheet = EnteredScores(
        official_score=Decimal("91.00"),
        official_level="A",
        questions={i7.pk: QuestionEntry(Decimal("70.00")), foreign.pk: QuestionEntry(Decimal("1"))},
    )

    with pytest.raises(ValidationError):
        save_scores(dusit_2564, sheet=sheet, by=staff_dusit)

    dusit_2564.refresh_from_db()
    assert dusit_2564.official_score == Decimal("90.40")
    assert QuestionScore.objects.get(assessment=dusit_2564, question=i7).score == Decimal("61.49")


def test_the_score_page_query_count_does_not_grow_with_the_scores(
    client, staff_bangrak, bangrak_2566
):
    client.force_login(staff_bangrak)
    questions = list(Question.objects.filter(framework=bangrak_2566.framework)[:3])
    QuestionScore.objects.create(assessment=bangrak_2566, question=questions[0], score=50)
    with CaptureQueriesContext(connection) as one:
        client.get(_url(bangrak_2566))
    for question in questions[1:]:
        QuestionScore.objects.create(assessment=bangrak_2566, question=question, score=60)
    with CaptureQueriesContext(connection) as three:
        client.get(_url(bangrak_2566))

    assert len(three) == len(one)


class _ScoreInputs(HTMLParser):
    """The names of the page's score inputs in document (tab) order, with whether each sits
    inside a <details> element (hidden until its summary is clicked)."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.inputs: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "details":
            self.depth += 1
        elif tag == "input" and "tabindex" in attributes:
            self.inputs.append(("tabindex", True))
        elif tag == "input" and attributes.get("name", "").startswith(("ind-", "tool-")):
            self.inputs.append((attributes["name"], self.depth > 0))

    def handle_endtag(self, tag):
        if tag == "details":
            self.depth -= 1


def test_the_ten_indicator_scores_are_open_and_walked_in_order_by_the_tab_key(
    client, staff_bangrak, bangrak_2566
):
    client.force_login(staff_bangrak)
    framework = bangrak_2566.framework  # a district office's: the district framework of 2566

    page = _ScoreInputs()
    page.feed(client.get(reverse("assessments:score-entry", args=[bangrak_2566.pk])).text)

    indicators = [f"ind-{i.pk}" for i in framework.indicators.order_by("number")]
    assert [name for name, hidden in page.inputs if name.startswith("ind-")] == indicators
    assert not any(hidden for _name, hidden in page.inputs)


def test_show_all_opens_every_question_table(client, staff_bangrak, bangrak_2566):
    client.force_login(staff_bangrak)
    url = reverse("assessments:score-entry", args=[bangrak_2566.pk])

    closed = client.get(url).text
    opened = client.get(url, {"all": "1"}).text

    assert '<details class="indicator-items">' in closed
    assert '<details class="indicator-items">' not in opened
    assert "แสดงข้อคำถามทั้งหมด" in closed
