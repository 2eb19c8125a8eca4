"""The public pages and open data are cached until the next publication change (ita_portal.cache).

The cache here is the production one (the database cache: public_cache in conftest.py); a publish
or an unpublish must show up on the very next request, while repeated requests are answered from
the cache.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from assessments.models import Assessment, FiscalYear, OrgUnit, PublicationVersion
from assessments.publishing import publish_assessment, unpublish_assessment
from measures.memo_workflow import transition_memo
from measures.models import Memo


@pytest.fixture
def bangrak_2566(db) -> Assessment:
    return Assessment.objects.create(
        unit=OrgUnit.objects.get(code="bang-rak"),
        fiscal_year=FiscalYear.objects.get(year=2566),
        official_score=Decimal("87.10"),
    )


def _unit_codes(response) -> list[str]:
    return [row["unit_code"] for row in response.json()["results"]]


def test_a_repeated_public_page_is_answered_from_the_cache(
    public_cache, client, django_assert_num_queries
):
    first = client.get("/dusit/2564/")

    with django_assert_num_queries(2):  # the publication token and the cache entry
        second = client.get("/dusit/2564/")

    assert first["X-Public-Cache"] == "miss"
    assert second["X-Public-Cache"] == "hit"
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == "text/html; charset=utf-8"


def test_an_open_data_file_is_answered_from_the_cache_with_its_file_name(public_cache, client):
    client.get("/opendata/2564.csv")

    response = client.get("/opendata/2564.csv")

    assert response["X-Public-Cache"] == "hit"
    assert response["Content-Disposition"] == 'attachment; filename="ita-2564.csv"'
    assert response.content.decode("utf-8").startswith("\ufeffรหัสหน่วยงาน,")


def test_publishing_shows_at_once_on_the_public_pages_and_open_data(
    public_cache, client, bangrak_2566, central_team
):
    assert "bang-rak" not in _unit_codes(client.get("/opendata/2566.json"))
    assert client.get("/opendata/2566.json")["X-Public-Cache"] == "hit"
    unit_page = client.get("/bang-rak/")
    assert "/bang-rak/2566/" not in unit_page.content.decode()

    publish_assessment(bangrak_2566, by=central_team)

    data = client.get("/opendata/2566.json")
    assert data["X-Public-Cache"] == "miss"
    assert "bang-rak" in _unit_codes(data)
    assert "/bang-rak/2566/" in client.get("/bang-rak/").content.decode()
    assert client.get("/bang-rak/2566/").status_code == 200


def test_unpublishing_shows_at_once_on_the_public_pages_and_open_data(
    public_cache, client, dusit_2564, central_team
):
    assert client.get("/dusit/2564/").status_code == 200
    assert client.get("/dusit/2564/")["X-Public-Cache"] == "hit"
    assert "dusit" in _unit_codes(client.get("/opendata/2564.json"))
    assert len(client.get("/opendata/units/dusit.json").json()["results"]) == 1

    unpublish_assessment(dusit_2564, by=central_team)

    assert client.get("/dusit/2564/").status_code == 404
    assert "dusit" not in _unit_codes(client.get("/opendata/2564.json"))
    unit_file = client.get("/opendata/units/dusit.json").json()["results"]
    assert [row["fiscal_year"] for row in unit_file] == []


def test_withdrawing_and_publishing_a_memo_shows_at_once_on_the_unit_page(
    public_cache, client, central_team
):
    memo = Memo.objects.get(unit__code="dusit", fiscal_year__year=2565, kind=Memo.Kind.ANALYSIS)
    link = f"/memos/{memo.pk}/"
    assert link in client.get("/dusit/2564/").content.decode()

    transition_memo(memo, to=Memo.Status.APPROVED, by=central_team)
    withdrawn = client.get("/dusit/2564/")
    transition_memo(memo, to=Memo.Status.PUBLISHED, by=central_team)
    republished = client.get("/dusit/2564/")

    assert withdrawn["X-Public-Cache"] == "miss"
    assert link not in withdrawn.content.decode()
    assert link in republished.content.decode()


def test_a_publication_change_made_elsewhere_retires_the_cached_pages(public_cache, client):
    """Another app server publishes: only the token in the shared database changes."""
    client.get("/dusit/")
    assert client.get("/dusit/")["X-Public-Cache"] == "hit"

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {PublicationVersion._meta.db_table} SET token = %s WHERE id = %s",
            ["changed-on-another-server", PublicationVersion.SINGLETON],
        )

    assert client.get("/dusit/")["X-Public-Cache"] == "miss"
    assert client.get("/dusit/")["X-Public-Cache"] == "hit"


def test_signed_in_users_get_the_page_with_their_name_and_never_the_cached_one(
    public_cache, client, staff_dusit
):
    client.get("/dusit/2564/")
    client.force_login(staff_dusit)

    response = client.get("/dusit/2564/")

    assert not response.has_header("X-Public-Cache")
    assert "ออกจากระบบ" in response.content.decode()


def test_a_cached_page_never_carries_a_signed_in_users_name(public_cache, client, staff_dusit):
    client.force_login(staff_dusit)
    client.get("/dusit/2564/")
    client.logout()

    response = client.get("/dusit/2564/")

    assert response["X-Public-Cache"] == "miss"
    assert "ออกจากระบบ" not in response.content.decode()


def test_not_found_pages_are_not_cached(public_cache, client, bangrak_2566, central_team):
    assert client.get("/bang-rak/2566/").status_code == 404

    publish_assessment(bangrak_2566, by=central_team)

    assert client.get("/bang-rak/2566/").status_code == 200


def test_the_token_changes_with_every_publication_change(db, bangrak_2566, central_team):
    before = PublicationVersion.current()

    publish_assessment(bangrak_2566, by=central_team)
    published = PublicationVersion.current()
    unpublish_assessment(bangrak_2566, by=central_team)

    assert len({before, published, PublicationVersion.current()}) == 3


def test_a_publication_change_that_fails_keeps_the_token(db, bangrak_2566, central_team):
    before = PublicationVersion.current()

    with pytest.raises(ValidationError):  # not published yet: refused
        unpublish_assessment(bangrak_2566, by=central_team)

    assert PublicationVersion.current() == before


def test_without_a_cache_the_pages_run_without_reading_the_token(
    db, settings, client, django_assert_num_queries
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    with django_assert_num_queries(1):  # the home page's own query only
        response = client.get("/")

    assert not response.has_header("X-Public-Cache")


@pytest.fixture
def pdf_renders(monkeypatch) -> list:
    """Count the memo PDFs the view renders (the bytes stay real)."""
    from ita_portal.views import memos

    renders = []
    real = memos.render_memo_pdf

    def counted(memo):
        renders.append(memo.pk)
        return real(memo)

    monkeypatch.setattr(memos, "render_memo_pdf", counted)
    return renders


def test_a_published_memos_pdf_is_rendered_once_for_every_visitor(
    public_cache, client, staff_dusit, pdf_renders
):
    memo = Memo.objects.get(unit__code="dusit", fiscal_year__year=2565, kind=Memo.Kind.ANALYSIS)

    anonymous = client.get(f"/memos/{memo.pk}.pdf")
    client.force_login(staff_dusit)
    member = client.get(f"/memos/{memo.pk}.pdf")

    assert pdf_renders == [memo.pk]
    assert member.content == anonymous.content
    assert member.content.startswith(b"%PDF-")
    assert member["Content-Disposition"] == anonymous["Content-Disposition"]


def test_a_republished_memos_pdf_is_rendered_again_and_unpublished_ones_never_kept(
    public_cache, client, staff_dusit, central_team, pdf_renders
):
    memo = Memo.objects.get(unit__code="dusit", fiscal_year__year=2565, kind=Memo.Kind.ANALYSIS)
    client.get(f"/memos/{memo.pk}.pdf")

    transition_memo(memo, to=Memo.Status.APPROVED, by=central_team)
    assert client.get(f"/memos/{memo.pk}.pdf").status_code == 404
    client.force_login(staff_dusit)
    client.get(f"/memos/{memo.pk}.pdf")
    client.get(f"/memos/{memo.pk}.pdf")
    transition_memo(memo, to=Memo.Status.PUBLISHED, by=central_team)
    client.get(f"/memos/{memo.pk}.pdf")

    assert pdf_renders == [memo.pk] * 4
