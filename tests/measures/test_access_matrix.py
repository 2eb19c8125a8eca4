"""The access matrix: five personas × every staff page and every write of the staff workflow.

Anonymous users are sent to the login page, staff of another unit get 404 (never the data), the
director gets the pages but 403 on every write, and dusit's staff and the central team may do
everything. Every write also asserts the database state: changed when allowed, untouched when not.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from assessments.models import Assessment, FiscalYear, OrgUnit
from measures.models import (
    DisclosureItem,
    DisclosureLink,
    IndicatorAnalysis,
    Limitation,
    Measure,
    ProgressUpdate,
    Weakness,
)
from tests.factories import (
    LimitationFactory,
    MeasureFactory,
    MeasureStepFactory,
    ProgressUpdateFactory,
    WeaknessFactory,
    indicator_of,
    measure_form_data,
)
from tests.measures.test_disclosure_pages import form_data

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "staff_dusit", "staff_pathumwan", "director_dusit", "central_team"]
READ = {
    "anonymous": "login",
    "staff_dusit": 200,
    "staff_pathumwan": 404,
    "director_dusit": 200,
    "central_team": 200,
}
FORM = {**READ, "director_dusit": 403}
WRITE = {
    "anonymous": "login",
    "staff_dusit": 302,
    "staff_pathumwan": 404,
    "director_dusit": 403,
    "central_team": 302,
}


@dataclass
class World:
    """Dusit's objects of every kind the staff pages show."""

    assessment: Assessment
    weakness: Weakness
    proposal: Weakness
    measure: Measure
    progress: ProgressUpdate
    limitation: Limitation
    disclosure: DisclosureLink


@pytest.fixture
def world(dusit_2564, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    measure = MeasureFactory()
    MeasureStepFactory(measure=measure, order=1, text="ประชุมชี้แจง")
    progress = ProgressUpdateFactory(
        measure=measure,
        evidence_file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 evidence"),
    )
    return World(
        assessment=dusit_2564,
        weakness=WeaknessFactory(assessment=dusit_2564),
        proposal=WeaknessFactory(
            assessment=dusit_2564,
            indicator=indicator_of(dusit_2564.fiscal_year, 4),
            status=Weakness.Status.PROPOSED,
        ),
        measure=measure,
        progress=progress,
        limitation=LimitationFactory(),
        disclosure=_disclosure_link(dusit_2564.unit),
    )


def _disclosure_link(unit: OrgUnit) -> DisclosureLink:
    """An O1 item of 2570 published at a loopback address (refused by the check, never asked)."""
    fiscal_year = FiscalYear.objects.get(year=2570)
    item = DisclosureItem.objects.create(
        unit=unit,
        fiscal_year=fiscal_year,
        question=fiscal_year.framework.questions.get(code="O1"),
        status=DisclosureItem.Status.PUBLISHED,
    )
    return DisclosureLink.objects.create(item=item, url="http://127.0.0.1:9/o1")


def _client_for(persona: str, client, request):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


def _assert_status(response, expected) -> None:
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected


READ_PAGES: dict[str, Callable[[World], str]] = {
    "unit": lambda w: reverse("staff:unit", kwargs={"code": "dusit"}),
    "unit-year": lambda w: reverse("staff:unit-year", kwargs={"code": "dusit", "year": 2564}),
    "score-entry": lambda w: reverse("assessments:score-entry", kwargs={"pk": w.assessment.pk}),
    "weakness-list": lambda w: reverse("measures:weakness-list", kwargs={"pk": w.assessment.pk}),
    "weakness-detail": lambda w: reverse("measures:weakness-detail", kwargs={"pk": w.weakness.pk}),
    "weakness-elsewhere": lambda w: reverse(
        "measures:weakness-elsewhere", kwargs={"pk": w.weakness.pk}
    ),
    "indicator-analysis": lambda w: reverse(
        "measures:indicator-analysis", kwargs={"pk": w.assessment.pk}
    ),
    "measure-list": lambda w: reverse(
        "measures:measure-list", kwargs={"code": "dusit", "year": 2565}
    ),
    "measure-detail": lambda w: reverse("measures:measure-detail", kwargs={"pk": w.measure.pk}),
    "limitation-list": lambda w: reverse(
        "measures:limitation-list", kwargs={"code": "dusit", "year": 2565}
    ),
    "disclosure": lambda w: reverse("measures:disclosure", kwargs={"code": "dusit", "year": 2570}),
    "disclosure-export": lambda w: reverse(
        "measures:disclosure-export", kwargs={"code": "dusit", "year": 2570}
    ),
    "progress-evidence": lambda w: reverse(
        "measures:progress-evidence", kwargs={"pk": w.progress.pk}
    ),
}

FORM_PAGES: dict[str, Callable[[World], str]] = {
    "weakness-create": lambda w: reverse(
        "measures:weakness-create", kwargs={"pk": w.assessment.pk}
    ),
    "weakness-edit": lambda w: reverse("measures:weakness-edit", kwargs={"pk": w.weakness.pk}),
    "measure-create": lambda w: reverse(
        "measures:measure-create", kwargs={"code": "dusit", "year": 2565}
    ),
    "measure-edit": lambda w: reverse("measures:measure-edit", kwargs={"pk": w.measure.pk}),
    "measure-delete": lambda w: reverse("measures:measure-delete", kwargs={"pk": w.measure.pk}),
    "weakness-delete": lambda w: reverse("measures:weakness-delete", kwargs={"pk": w.weakness.pk}),
    "progress-create": lambda w: reverse("measures:progress-create", kwargs={"pk": w.measure.pk}),
    "limitation-create": lambda w: reverse(
        "measures:limitation-create", kwargs={"code": "dusit", "year": 2565}
    ),
    "limitation-edit": lambda w: reverse(
        "measures:limitation-edit", kwargs={"pk": w.limitation.pk}
    ),
}


@pytest.mark.parametrize("page", sorted(READ_PAGES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_right_answer_on_every_page(client, request, world, persona, page):
    client = _client_for(persona, client, request)
    response = client.get(READ_PAGES[page](world))
    _assert_status(response, READ[persona])


@pytest.mark.parametrize("page", sorted(FORM_PAGES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_form_pages_are_refused_to_read_only_and_outside_users(
    client, request, world, persona, page
):
    client = _client_for(persona, client, request)
    response = client.get(FORM_PAGES[page](world))
    _assert_status(response, FORM[persona])


@dataclass(frozen=True)
class Write:
    """A POST, its data, and a reading of the database state it should change."""

    url: Callable[[World], str]
    data: Callable[[World], dict]
    state: Callable[[World], object]


def _copy_from_elsewhere(world: World) -> str:
    """The copy of a published measure of another unit on the weakness's indicator: the BMA's
    2564 measure on indicator 2 answers its published 2563 result."""
    fiscal_year = FiscalYear.objects.get(year=2564)
    source, _ = Measure.objects.get_or_create(
        unit=OrgUnit.objects.get(code="bma"),
        fiscal_year=fiscal_year,
        indicator=indicator_of(fiscal_year, 2),
        title="เผยแพร่แผนการใช้จ่ายงบประมาณทุกไตรมาส",
    )
    return reverse(
        "measures:weakness-copy-measure", kwargs={"pk": world.weakness.pk, "measure_pk": source.pk}
    )


def _analysis_data(world: World) -> dict:
    data = {}
    for indicator in world.assessment.fiscal_year.framework.indicators.all():
        data[f"ind{indicator.number}-result_text"] = f"ผลตัวชี้วัดที่ {indicator.number}"
        data[f"ind{indicator.number}-analysis"] = ""
    return data


WRITES: dict[str, Write] = {
    "assessment-create": Write(
        lambda w: reverse("assessments:assessment-create", kwargs={"code": "dusit", "year": 2566}),
        lambda w: {},
        lambda w: Assessment.objects.filter(unit__code="dusit", fiscal_year__year=2566).count(),
    ),
    "score-entry": Write(
        lambda w: reverse("assessments:score-entry", kwargs={"pk": w.assessment.pk}),
        lambda w: {"official_score": "91.00", "official_level": "A"},
        lambda w: Assessment.objects.get(pk=w.assessment.pk).official_score,
    ),
    "weakness-propose": Write(
        lambda w: reverse("measures:weakness-propose", kwargs={"pk": w.assessment.pk}),
        lambda w: {},
        lambda w: Weakness.objects.filter(assessment=w.assessment).count(),
    ),
    "weakness-create": Write(
        lambda w: reverse("measures:weakness-create", kwargs={"pk": w.assessment.pk}),
        lambda w: {
            "indicator": indicator_of(w.assessment.fiscal_year, 8).pk,
            "score": "84.49",
            "topic": "การปรับปรุงระบบการทำงาน",
            "order": 0,
        },
        lambda w: Weakness.objects.filter(assessment=w.assessment).count(),
    ),
    "weakness-edit": Write(
        lambda w: reverse("measures:weakness-edit", kwargs={"pk": w.weakness.pk}),
        lambda w: {
            "indicator": w.weakness.indicator_id,
            "score": "81.96",
            "topic": w.weakness.topic,
            "analysis": "วิเคราะห์ใหม่",
            "order": 1,
        },
        lambda w: Weakness.objects.get(pk=w.weakness.pk).analysis,
    ),
    "weakness-confirm": Write(
        lambda w: reverse("measures:weakness-confirm", kwargs={"pk": w.proposal.pk}),
        lambda w: {},
        lambda w: Weakness.objects.get(pk=w.proposal.pk).status,
    ),
    "weakness-confirm-all": Write(
        lambda w: reverse("measures:weakness-confirm-all", kwargs={"pk": w.assessment.pk}),
        lambda w: {},
        lambda w: Weakness.objects.get(pk=w.proposal.pk).status,
    ),
    "weakness-delete": Write(
        lambda w: reverse("measures:weakness-delete", kwargs={"pk": w.proposal.pk}),
        lambda w: {},
        lambda w: Weakness.objects.filter(pk=w.proposal.pk).exists(),
    ),
    "indicator-analysis": Write(
        lambda w: reverse("measures:indicator-analysis", kwargs={"pk": w.assessment.pk}),
        _analysis_data,
        lambda w: sorted(
            IndicatorAnalysis.objects.filter(assessment=w.assessment).values_list(
                "result_text", "analysis"
            )
        ),
    ),
    "measure-create": Write(
        lambda w: reverse("measures:measure-create", kwargs={"code": "dusit", "year": 2565}),
        lambda w: measure_form_data(
            indicator=indicator_of(w.measure.fiscal_year, 4).pk,
            title="ปรับปรุงขั้นตอนการยืมทรัพย์สินของราชการ",
        ),
        lambda w: Measure.objects.filter(unit__code="dusit").count(),
    ),
    "measure-edit": Write(
        lambda w: reverse("measures:measure-edit", kwargs={"pk": w.measure.pk}),
        lambda w: measure_form_data(w.measure, title="ชื่อมาตรการใหม่"),
        lambda w: Measure.objects.get(pk=w.measure.pk).title,
    ),
    "measure-status": Write(
        lambda w: reverse("measures:measure-status", kwargs={"pk": w.measure.pk}),
        lambda w: {"status": Measure.Status.IN_PROGRESS},
        lambda w: Measure.objects.get(pk=w.measure.pk).status,
    ),
    "measure-delete": Write(
        lambda w: reverse("measures:measure-delete", kwargs={"pk": w.measure.pk}),
        lambda w: {},
        lambda w: Measure.objects.filter(pk=w.measure.pk).exists(),
    ),
    "measure-copy": Write(
        lambda w: reverse("measures:measure-copy", kwargs={"code": "dusit", "year": 2566}),
        lambda w: {},
        lambda w: Measure.objects.filter(unit__code="dusit", fiscal_year__year=2566).count(),
    ),
    "weakness-copy-measure": Write(
        _copy_from_elsewhere,
        lambda w: {},
        lambda w: Measure.objects.filter(unit__code="dusit", weakness=w.weakness).count(),
    ),
    "progress-create": Write(
        lambda w: reverse("measures:progress-create", kwargs={"pk": w.measure.pk}),
        lambda w: {"date": "15/02/2565", "note": "จัดอบรมแล้ว", "percent": 80},
        lambda w: ProgressUpdate.objects.filter(measure=w.measure).count(),
    ),
    "progress-delete": Write(
        lambda w: reverse("measures:progress-delete", kwargs={"pk": w.progress.pk}),
        lambda w: {},
        lambda w: ProgressUpdate.objects.filter(pk=w.progress.pk).exists(),
    ),
    "limitation-create": Write(
        lambda w: reverse("measures:limitation-create", kwargs={"code": "dusit", "year": 2565}),
        lambda w: {"order": 2, "text": "งบประมาณจำกัด"},
        lambda w: Limitation.objects.filter(unit__code="dusit").count(),
    ),
    "limitation-edit": Write(
        lambda w: reverse("measures:limitation-edit", kwargs={"pk": w.limitation.pk}),
        lambda w: {"order": 1, "text": "ข้อความใหม่"},
        lambda w: Limitation.objects.get(pk=w.limitation.pk).text,
    ),
    "disclosure": Write(
        lambda w: reverse("measures:disclosure", kwargs={"code": "dusit", "year": 2570}),
        lambda w: form_data(
            w.disclosure.item.fiscal_year,
            O1={"status": "published", "urls": w.disclosure.url, "version": "1"},
            O2={"status": "needs_fix", "notes": "ยังไม่ครบ"},
        ),
        lambda w: DisclosureItem.objects.filter(unit__code="dusit").count(),
    ),
    "disclosure-check": Write(
        lambda w: reverse("measures:disclosure-check", kwargs={"code": "dusit", "year": 2570}),
        lambda w: {},
        lambda w: DisclosureLink.objects.get(pk=w.disclosure.pk).checked_at,
    ),
    "limitation-delete": Write(
        lambda w: reverse("measures:limitation-delete", kwargs={"pk": w.limitation.pk}),
        lambda w: {},
        lambda w: Limitation.objects.filter(pk=w.limitation.pk).exists(),
    ),
}


@pytest.mark.parametrize("write", sorted(WRITES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_write_changes_the_database_only_for_those_who_may_edit(
    client, request, world, persona, write
):
    action = WRITES[write]
    client = _client_for(persona, client, request)
    before = action.state(world)

    response = client.post(action.url(world), action.data(world))

    _assert_status(response, WRITE[persona])
    after = action.state(world)
    if WRITE[persona] == 302:
        assert after != before
    else:
        assert after == before


# Excel sheets (tests/measures/test_weakness_import.py …), memo drafting and signatories
# (tests/measures/test_memo_drafting.py) and the fiscal-year pages have access tests of their own.
OTHER_MATRICES = re.compile(
    r"^(scores-|plan-|weaknesses-(export|import)|memo-|signatory-|fiscal-year|framework-)"
)


def test_the_matrix_covers_every_staff_url_name():
    names = {
        name
        for namespace in ("assessments", "measures")
        for name in get_resolver().namespace_dict[namespace][1].reverse_dict
        if isinstance(name, str) and not OTHER_MATRICES.match(name)
    }
    covered = set(READ_PAGES) | set(FORM_PAGES) | set(WRITES)
    assert names - covered == set()


@pytest.mark.parametrize(
    "url_name, kwargs",
    [
        ("staff:unit", {"code": "pathum-wan"}),
        ("staff:unit-year", {"code": "pathum-wan", "year": 2566}),
        ("measures:measure-list", {"code": "pathum-wan", "year": 2566}),
        ("measures:limitation-list", {"code": "pathum-wan", "year": 2566}),
        ("measures:measure-create", {"code": "pathum-wan", "year": 2566}),
    ],
)
def test_dusit_staff_guessing_another_units_url_get_404(client, staff_dusit, url_name, kwargs):
    client.force_login(staff_dusit)
    assert client.get(reverse(url_name, kwargs=kwargs)).status_code == 404


def test_dusit_staff_guessing_another_units_object_ids_get_404_and_nothing_changes(
    client, staff_dusit, pathumwan
):
    assessment = Assessment.objects.get(unit=pathumwan, fiscal_year__year=2566)
    measure = MeasureFactory(unit=pathumwan, fiscal_year=FiscalYear.objects.get(year=2567))
    client.force_login(staff_dusit)

    pages = [
        reverse("assessments:score-entry", kwargs={"pk": assessment.pk}),
        reverse("measures:weakness-list", kwargs={"pk": assessment.pk}),
        reverse("measures:measure-detail", kwargs={"pk": measure.pk}),
        reverse("measures:measure-edit", kwargs={"pk": measure.pk}),
    ]
    statuses = [client.get(url).status_code for url in pages]
    post = client.post(
        reverse("measures:measure-status", kwargs={"pk": measure.pk}), {"status": "done"}
    )

    assert statuses == [404, 404, 404, 404]
    assert post.status_code == 404
    assert Measure.objects.get(pk=measure.pk).status == Measure.Status.NOT_STARTED


def test_a_division_code_is_not_a_unit_page(client, staff_dusit):
    division = OrgUnit.objects.divisions_of(OrgUnit.objects.get(code="dusit")).first()
    client.force_login(staff_dusit)
    response = client.get(
        reverse("measures:measure-list", kwargs={"code": division.code, "year": 2565})
    )
    assert response.status_code == 404
