"""Every URL of the portal keeps its address: memos print them, agency websites link to them.

The table pins each URL name to its path for sample arguments; a change of address must be made
here too, on purpose.
"""

import pytest
from django.urls import get_resolver, reverse

from measures.models import Memo
from tests.factories import MeasureFactory, WeaknessFactory

SAMPLE = {
    "code": "dusit",
    "year": 2569,
    "pk": 7,
    "number": 2,
    "token": "abc",
    "measure_pk": 9,
    "photo": 9,
    "check": "abc",
}

ADDRESSES = [
    ("assessments:assessment-create", "/staff/units/dusit/2569/assessment/"),
    ("assessments:fiscal-year", "/staff/years/2569/"),
    ("assessments:fiscal-year-open", "/staff/years/open/"),
    ("assessments:fiscal-years", "/staff/years/"),
    ("assessments:framework-clear-questions", "/staff/years/2569/clear-questions/"),
    ("assessments:framework-confirm", "/staff/years/2569/confirm/"),
    ("assessments:score-entry", "/staff/assessments/7/scores/"),
    ("assessments:scores-export", "/staff/units/dusit/2569/scores/export/"),
    ("assessments:scores-export-all", "/staff/scores/2569/export/"),
    ("assessments:scores-import", "/staff/units/dusit/2569/scores/import/"),
    ("assessments:scores-import-all", "/staff/scores/2569/import/"),
    ("assessments:scores-import-cancel", "/staff/scores/import/abc/cancel/"),
    ("assessments:scores-import-confirm", "/staff/scores/import/abc/confirm/"),
    ("assessments:scores-import-preview", "/staff/scores/import/abc/"),
    ("assessments:scores-template", "/staff/units/dusit/2569/scores/template/"),
    ("assessments:scores-template-all", "/staff/scores/2569/template/"),
    ("dashboards:disclosure", "/dashboards/disclosure/2569/"),
    ("dashboards:disclosure-current", "/dashboards/disclosure/"),
    ("dashboards:index", "/dashboards/"),
    ("dashboards:measures", "/dashboards/measures/"),
    ("dashboards:measures-export", "/dashboards/measures/export/"),
    ("dashboards:overview", "/dashboards/overview/"),
    ("dashboards:simulate", "/dashboards/units/dusit/2569/simulate/"),
    ("dashboards:unit", "/dashboards/units/dusit/2569/"),
    ("home", "/"),
    ("login", "/login/"),
    ("logout", "/logout/"),
    ("measures:disclosure", "/staff/units/dusit/2569/disclosure/"),
    ("measures:disclosure-check", "/staff/units/dusit/2569/disclosure/check/"),
    ("measures:disclosure-export", "/staff/units/dusit/2569/disclosure/export/"),
    ("measures:indicator-analysis", "/staff/assessments/7/analysis/"),
    ("measures:limitation-create", "/staff/units/dusit/2569/limitations/add/"),
    ("measures:limitation-delete", "/staff/limitations/7/delete/"),
    ("measures:limitation-edit", "/staff/limitations/7/edit/"),
    ("measures:limitation-list", "/staff/units/dusit/2569/limitations/"),
    ("measures:measure-copy", "/staff/units/dusit/2569/measures/copy/"),
    ("measures:measure-create", "/staff/units/dusit/2569/measures/add/"),
    ("measures:measure-delete", "/staff/measures/7/delete/"),
    ("measures:measure-detail", "/staff/measures/7/"),
    ("measures:measure-edit", "/staff/measures/7/edit/"),
    ("measures:measure-list", "/staff/units/dusit/2569/measures/"),
    ("measures:measure-status", "/staff/measures/7/status/"),
    ("measures:memo-create", "/staff/units/dusit/2569/memos/add/"),
    ("measures:memo-edit", "/staff/memos/7/edit/"),
    ("measures:memo-photo-add", "/staff/memos/7/photos/add/"),
    ("measures:memo-photo-delete", "/staff/memos/7/photos/9/delete/"),
    ("measures:memo-list", "/staff/units/dusit/2569/memos/"),
    ("measures:plan-export", "/staff/units/dusit/2569/plan/export/"),
    ("measures:plan-import", "/staff/units/dusit/2569/plan/import/"),
    ("measures:plan-import-cancel", "/staff/plan/import/abc/cancel/"),
    ("measures:plan-import-confirm", "/staff/plan/import/abc/confirm/"),
    ("measures:plan-import-preview", "/staff/plan/import/abc/"),
    ("measures:progress-create", "/staff/measures/7/progress/add/"),
    ("measures:progress-delete", "/staff/progress/7/delete/"),
    ("measures:progress-evidence", "/staff/progress/7/evidence/"),
    ("measures:weakness-confirm", "/staff/weaknesses/7/confirm/"),
    ("measures:weakness-copy-measure", "/staff/weaknesses/7/elsewhere/9/copy/"),
    ("measures:weakness-confirm-all", "/staff/assessments/7/weaknesses/confirm-all/"),
    ("measures:signatory-list", "/staff/units/dusit/signatories/"),
    ("measures:weakness-create", "/staff/assessments/7/weaknesses/add/"),
    ("measures:weakness-delete", "/staff/weaknesses/7/delete/"),
    ("measures:weakness-detail", "/staff/weaknesses/7/"),
    ("measures:weakness-edit", "/staff/weaknesses/7/edit/"),
    ("measures:weakness-elsewhere", "/staff/weaknesses/7/elsewhere/"),
    ("measures:weakness-list", "/staff/assessments/7/weaknesses/"),
    ("measures:weakness-propose", "/staff/assessments/7/weaknesses/propose/"),
    ("measures:weaknesses-export", "/staff/assessments/7/weaknesses/export/"),
    ("measures:weaknesses-import", "/staff/assessments/7/weaknesses/import/"),
    ("measures:weaknesses-import-cancel", "/staff/weaknesses/import/abc/cancel/"),
    ("measures:weaknesses-import-confirm", "/staff/weaknesses/import/abc/confirm/"),
    ("measures:weaknesses-import-preview", "/staff/weaknesses/import/abc/"),
    ("memos:memo-detail", "/memos/7/"),
    ("memos:memo-docx", "/memos/7.docx"),
    ("memos:memo-pdf", "/memos/7.pdf"),
    ("memos:memo-photo", "/memos/7/photos/9.jpg"),
    ("memos:memo-transition", "/staff/memos/7/transition/"),
    ("memos:revision-detail", "/memos/7/revisions/2/"),
    ("memos:revision-pdf", "/memos/7/revisions/2.pdf"),
    ("memos:verify", "/verify/"),
    ("memos:verify-code", "/verify/dusit/"),
    ("opendata", "/opendata/"),
    ("opendata-unit-csv", "/opendata/units/dusit.csv"),
    ("opendata-unit-json", "/opendata/units/dusit.json"),
    ("opendata-year-csv", "/opendata/2569.csv"),
    ("opendata-year-json", "/opendata/2569.json"),
    ("public-unit", "/dusit/"),
    ("public-unit-year", "/dusit/2569/"),
    ("staff:assessment-publish", "/staff/units/dusit/2569/publish/"),
    ("staff:assessment-unpublish", "/staff/units/dusit/2569/unpublish/"),
    ("staff:home", "/staff/"),
    ("staff:unit", "/staff/units/dusit/"),
    ("staff:unit-year", "/staff/units/dusit/2569/"),
    ("staff:my", "/staff/my/"),
    ("staff:readiness", "/staff/readiness/2569/"),
    ("staff:readiness-units", "/staff/readiness/2569/abc/"),
    ("staff:reminders", "/staff/reminders/"),
    ("staff:memo-packs", "/staff/memo-packs/"),
    ("staff:memo-pack", "/staff/memo-packs/7/"),
    ("staff:memo-pack-download", "/staff/memo-packs/7/download/"),
]


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    names = {
        f"{namespace}:{name}" if namespace else name
        for name in resolver.reverse_dict
        if isinstance(name, str)
    }
    for key, (_prefix, sub) in resolver.namespace_dict.items():
        if key != "admin":
            names |= _url_names(sub, f"{namespace}:{key}" if namespace else key)
    return names


def test_every_url_name_has_a_pinned_address():
    assert _url_names() == {name for name, _path in ADDRESSES}


@pytest.mark.parametrize("name, address", ADDRESSES)
def test_a_url_name_keeps_its_address(name, address):
    for arguments in _arguments_for(name):
        if reverse(name, kwargs=arguments) == address:
            return
    pytest.fail(f"{name} no longer reverses to {address}")


def _arguments_for(name):
    """The sample arguments a URL name takes: try each subset the patterns declare."""
    namespace, _, short = name.rpartition(":")
    resolver = get_resolver()
    for part in filter(None, namespace.split(":")):
        resolver = resolver.namespace_dict[part][1]
    for possibility, *_rest in resolver.reverse_dict.getlist(short):
        for _result, params in possibility:
            yield {param: SAMPLE[param] for param in params}


@pytest.mark.django_db
def test_the_main_objects_link_to_their_own_pages():
    weakness = WeaknessFactory()
    measure = MeasureFactory()
    memo = Memo.objects.first()

    assert (
        weakness.assessment.get_absolute_url()
        == f"/staff/assessments/{weakness.assessment.pk}/scores/"
    )
    assert weakness.get_absolute_url() == f"/staff/weaknesses/{weakness.pk}/"
    assert measure.get_absolute_url() == f"/staff/measures/{measure.pk}/"
    assert memo.get_absolute_url() == f"/memos/{memo.pk}/"
