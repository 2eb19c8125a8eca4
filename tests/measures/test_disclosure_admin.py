"""The central team finds the OIT checklists in the admin, with their links and history."""

from measures.disclosure import RowChange, oit_questions, save_checklist
from measures.models import DisclosureItem
from tests.measures.test_disclosure import NOW, fiscal_year


def test_the_central_team_sees_an_item_with_its_links_and_history(
    client, central_team, dusit, staff_dusit
):
    fy = fiscal_year(2570)
    question = oit_questions(fy)[0]
    change = RowChange(question, None, "published", "", ["https://dusit.example/o1"], None)
    save_checklist(dusit, fy, [change], staff_dusit, NOW)
    item = DisclosureItem.objects.get(unit=dusit, question=question)
    client.force_login(central_team)

    listing = client.get("/admin/measures/disclosureitem/").content.decode()
    page = client.get(f"/admin/measures/disclosureitem/{item.pk}/change/").content.decode()
    history = client.get(f"/admin/measures/disclosureitem/{item.pk}/history/")

    assert "รายการเปิดเผยข้อมูล OIT" in listing and "O1" in listing
    assert "https://dusit.example/o1" in page
    assert history.status_code == 200
