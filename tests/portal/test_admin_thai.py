"""The admin in Thai: django-import-export's screens, the admin's messages and Buddhist-era dates
(locale/th/LC_MESSAGES, compiled and committed)."""

import datetime
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from measures.models import Measure
from tests.factories import MeasureFactory

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "th" / "LC_MESSAGES"
pytestmark = pytest.mark.django_db


def test_the_import_page_is_in_thai(client, central_team):
    client.force_login(central_team)

    content = client.get(reverse("admin:assessments_framework_import")).content.decode()

    assert "ไฟล์ที่จะนำเข้า" in content
    assert "ไฟล์ที่นำเข้าต้องมีช่องต่อไปนี้" in content
    assert 'value="ส่ง"' in content or ">ส่ง<" in content
    for english in (
        "File to import",
        "This importer will import",
        "Submit",
        "Skip to main content",
    ):
        assert english not in content


def test_the_change_list_offers_import_and_export_in_thai(client, central_team):
    client.force_login(central_team)

    content = client.get(reverse("admin:assessments_framework_changelist")).content.decode()

    assert ">นำเข้า</a>" in content and ">ส่งออก</a>" in content
    assert not re.search(r">\s*(Import|Export)\s*<", content)


def test_the_admins_save_message_is_in_thai(client, central_team):
    measure = MeasureFactory()
    client.force_login(central_team)
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    context = client.get(url).context
    form = context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    for inline in context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update({"deadline": "31/03/2566", "responsible_divisions": []})

    response = client.post(url, data, follow=True)

    assert "แก้ไขมาตรการ" in response.content.decode()
    assert "was changed successfully" not in response.content.decode()
    assert Measure.objects.get(pk=measure.pk).deadline == datetime.date(2023, 3, 31)


def test_admin_date_fields_show_buddhist_era_dates(client, central_team):
    measure = MeasureFactory(deadline=datetime.date(2022, 3, 30))
    client.force_login(central_team)

    content = client.get(reverse("admin:measures_measure_change", args=[measure.pk])).content
    assert 'value="30/03/2565"' in content.decode()


def test_the_committed_catalogue_holds_every_translation_of_its_source():
    source = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    entries = len(re.findall(r"^msgid ", source, re.MULTILINE)) - 1  # less the header
    assert len(catalogue._catalog) - 1 == entries  # less the header
    assert catalogue.gettext("Confirm import") == "ยืนยันการนำเข้า"
