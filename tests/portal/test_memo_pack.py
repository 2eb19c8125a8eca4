"""The bulk memo pack: the central team orders every unit's memos of a kind and year as one ZIP,
built in the background (at once here: tests run tasks immediately), watched on a progress page
and downloaded; one unit's failure is reported and the others still go in."""

import io
import zipfile

import pytest
from django.urls import reverse

from assessments.models import OrgUnit
from ita_portal import memo_pack
from ita_portal.models import MemoPack
from measures.models import Memo


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Packs are written under a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def results_memos(db):
    """Dusit's results memo of 2565 and a copy of it for Pathum Wan: two units, one kind."""
    original = Memo.objects.get(unit__code="dusit", fiscal_year__year=2565, kind=Memo.Kind.RESULTS)
    copy = Memo.objects.get(pk=original.pk)
    copy.pk = None
    copy.unit = OrgUnit.objects.get(code="pathum-wan")
    copy.save()
    return [original, copy]


def order_pack(client, kind=Memo.Kind.RESULTS, year=2565):
    return client.post(reverse("staff:memo-packs"), {"kind": kind, "fiscal_year": year})


def zip_names(response) -> list[str]:
    content = b"".join(response.streaming_content)
    return sorted(zipfile.ZipFile(io.BytesIO(content)).namelist())


def test_the_central_team_gets_one_zip_of_every_units_memo_pdfs_and_word_copies(
    client, central_team, results_memos
):
    client.force_login(central_team)

    response = order_pack(client)

    pack = MemoPack.objects.get()
    assert response.url == reverse("staff:memo-pack", args=[pack.pk])
    assert (pack.status, pack.units_done, pack.units_total, pack.memos_done) == ("done", 2, 2, 2)
    page = client.get(response.url).content.decode()
    assert "ทำแล้ว 2 จาก 2 หน่วยงาน" in page
    assert 'http-equiv="refresh"' not in page  # finished: no more reloading
    download = client.get(reverse("staff:memo-pack-download", args=[pack.pk]))
    assert download["Content-Type"] == "application/zip"
    assert "filename*=utf-8''%E0%B8%9A" in download["Content-Disposition"]  # a Thai name
    names = zip_names(download)
    assert sorted((n.split("/")[0], n.rpartition(".")[2]) for n in names) == [
        ("dusit", "docx"),
        ("dusit", "pdf"),
        ("pathum-wan", "docx"),
        ("pathum-wan", "pdf"),
    ]


def test_one_units_failure_is_reported_and_the_others_still_go_in(
    client, central_team, results_memos, monkeypatch
):
    def render(memo):
        if memo.unit.code == "dusit":
            raise ValueError("ไม่พบคะแนนของตัวชี้วัด")
        return b"%PDF-1.7 test"

    monkeypatch.setattr(memo_pack, "PACK_RENDERERS", {".pdf": render})
    client.force_login(central_team)

    order_pack(client)

    pack = MemoPack.objects.get()
    assert (pack.status, pack.units_done, pack.memos_done) == ("done", 2, 1)
    assert pack.errors == [
        {"unit": "สำนักงานเขตดุสิต", "code": "dusit", "message": "ไม่พบคะแนนของตัวชี้วัด"}
    ]
    assert (
        "สำนักงานเขตดุสิต: ไม่พบคะแนนของตัวชี้วัด"
        in client.get(reverse("staff:memo-pack", args=[pack.pk])).content.decode()
    )
    names = zip_names(client.get(reverse("staff:memo-pack-download", args=[pack.pk])))
    assert [n.split("/")[0] for n in names] == ["pathum-wan"]


def test_a_second_format_goes_in_where_a_memo_has_a_copy_of_it(
    client, central_team, results_memos, monkeypatch
):
    monkeypatch.setattr(
        memo_pack,
        "PACK_RENDERERS",
        {
            ".pdf": lambda memo: b"%PDF-1.7 test",
            ".docx": lambda memo: b"PK word" if memo.unit.code == "dusit" else None,
        },
    )
    client.force_login(central_team)

    order_pack(client)

    names = zip_names(
        client.get(reverse("staff:memo-pack-download", args=[MemoPack.objects.get().pk]))
    )
    assert [n.rsplit(".", 1)[1] for n in names] == ["docx", "pdf", "pdf"]


def test_the_progress_page_reloads_and_names_the_current_unit_while_running(client, central_team):
    client.force_login(central_team)
    pack = MemoPack.objects.create(
        kind=Memo.Kind.RESULTS,
        fiscal_year=Memo.objects.first().fiscal_year,
        status=MemoPack.Status.RUNNING,
        units_total=50,
        units_done=12,
        current_unit="สำนักงานเขตบางรัก",
    )

    page = client.get(reverse("staff:memo-pack", args=[pack.pk])).content.decode()

    assert '<meta http-equiv="refresh" content="3">' in page
    assert "ทำแล้ว 12 จาก 50 หน่วยงาน" in page and "กำลังทำ</dt><dd>สำนักงานเขตบางรัก" in page
    assert client.get(reverse("staff:memo-pack-download", args=[pack.pk])).status_code == 404


def test_a_kind_and_year_without_memos_gives_an_empty_finished_pack(client, central_team):
    client.force_login(central_team)

    order_pack(client, kind=Memo.Kind.ANALYSIS, year=2569)

    pack = MemoPack.objects.get()
    assert (pack.status, pack.units_total) == ("done", 0)


@pytest.mark.parametrize("persona", ["director_dusit", "staff_dusit"])
def test_only_the_central_team_orders_and_downloads_packs(client, persona, request, central_team):
    client.force_login(request.getfixturevalue(persona))
    pack = MemoPack.objects.create(
        kind=Memo.Kind.RESULTS, fiscal_year=Memo.objects.first().fiscal_year
    )

    assert client.get(reverse("staff:memo-packs")).status_code == 403
    assert order_pack(client).status_code == 403
    assert client.get(reverse("staff:memo-pack", args=[pack.pk])).status_code == 403
    assert client.get(reverse("staff:memo-pack-download", args=[pack.pk])).status_code == 403
    assert MemoPack.objects.count() == 1
