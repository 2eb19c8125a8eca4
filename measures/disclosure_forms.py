"""The OIT checklist's form: one row of fields per OIT item, all posted and saved together."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from assessments.models import OrgUnit
from measures.disclosure import ChecklistRow, RowChange
from measures.models import DisclosureItem
from portal_core.forms import ThaiFieldErrors

MAX_LINKS = 10
URL_MAX_CHARS = 500
check_url_syntax = URLValidator(schemes=["http", "https"])


class DisclosureRowForm(ThaiFieldErrors, forms.Form):
    """One item's division, status, addresses (one a line) and notes; ``version`` is the version
    of the item the page was opened with (blank for an item not saved before)."""

    division = forms.ChoiceField(label="ฝ่ายที่รับผิดชอบ", required=False)
    status = forms.ChoiceField(label="สถานะ", choices=DisclosureItem.Status.choices)
    urls = forms.CharField(
        label="ที่อยู่เว็บที่เผยแพร่",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notes = forms.CharField(
        label="หมายเหตุ", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, row: ChecklistRow, divisions: list[tuple[str, str]], **kwargs):
        item = row.item
        initial = {
            "division": str(item.division_id or ""),
            "status": item.status,
            "urls": "\n".join(link.url for link in row.links),
            "notes": item.notes,
            "version": item.version if item.pk else None,
        }
        super().__init__(*args, initial=initial, prefix=f"q{row.question.pk}", **kwargs)
        self.row = row
        self.fields["division"].choices = [("", "— ไม่ระบุ —"), *divisions]

    def clean_urls(self) -> list[str]:
        urls = []
        for line in self.cleaned_data["urls"].splitlines():
            url = line.strip()
            if not url or url in urls:
                continue
            if len(url) > URL_MAX_CHARS:
                raise ValidationError(f"ที่อยู่เว็บยาวได้ไม่เกิน {URL_MAX_CHARS} ตัวอักษร")
            try:
                check_url_syntax(url)
            except ValidationError as exc:
                raise ValidationError(f"ที่อยู่เว็บไม่ถูกต้อง: {url}") from exc
            urls.append(url)
        if len(urls) > MAX_LINKS:
            raise ValidationError(f"ระบุที่อยู่เว็บได้ไม่เกิน {MAX_LINKS} รายการต่อข้อ")
        return urls

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status == DisclosureItem.Status.PUBLISHED and not cleaned.get("urls"):
            self.add_error("urls", "ข้อที่เผยแพร่แล้วต้องระบุที่อยู่เว็บอย่างน้อยหนึ่งรายการ")
        return cleaned

    @property
    def edited(self) -> bool:
        """Whether staff changed anything in this row (a newer version alone is not an edit)."""
        return any(name != "version" for name in self.changed_data)

    def change(self, divisions: dict[str, OrgUnit]) -> RowChange:
        """The cleaned row for measures.disclosure.save_checklist."""
        data = self.cleaned_data
        return RowChange(
            question=self.row.question,
            division=divisions.get(data["division"]),
            status=data["status"],
            notes=data["notes"],
            urls=data["urls"],
            version=data["version"],
        )


def checklist_forms(rows: list[ChecklistRow], divisions: list[OrgUnit], data=None):
    """One form per row, sharing the unit's division choices (read once)."""
    choices = [(str(d.pk), d.name) for d in divisions]
    return [DisclosureRowForm(data, row=row, divisions=choices) for row in rows]
