"""What a new memo starts from: the central team's wording per memo kind, and each unit's
list of the people who sign its memos."""

from django.db import models

from assessments.models import OrgUnit
from measures.models.memo import Memo
from portal_core.text_limits import SECTION_TEXT_CHARS, LimitedTextField

PLACEHOLDER_HELP = (
    "ใช้ {หน่วยงาน} {ปีงบประมาณ} {ปีที่ประเมิน} {คะแนน} {ระดับ} ได้ "
    "ระบบจะแทนด้วยชื่อหน่วยงาน ปีงบประมาณของบันทึก ปีของผลการประเมินที่อ้างถึง และคะแนนกับระดับที่ประกาศ"
)


class MemoTemplate(models.Model):
    """The central team's default wording of one memo kind, used by a unit's first memo of that
    kind (later ones start from the unit's previous memo; see measures.memo_drafts)."""

    kind = models.CharField("ประเภทบันทึก", max_length=30, choices=Memo.Kind.choices, unique=True)
    subject = models.CharField("เรื่อง", max_length=500, help_text=PLACEHOLDER_HELP)
    addressee = models.CharField("เรียน", max_length=300, help_text=PLACEHOLDER_HELP)
    background = LimitedTextField("ต้นเรื่อง", blank=True)
    facts = LimitedTextField("ข้อเท็จจริง", blank=True)
    considerations = LimitedTextField("ข้อพิจารณา", blank=True)
    proposal = LimitedTextField("ข้อเสนอ", blank=True)
    closing = LimitedTextField("ข้อความปิดท้าย", blank=True)
    attachment_title = LimitedTextField("ชื่อเอกสารแนบ", blank=True)
    attachment_intro = LimitedTextField(
        "ความเป็นมา (เอกสารแนบ)", blank=True, max_length=SECTION_TEXT_CHARS
    )

    class Meta:
        verbose_name = "แม่แบบบันทึกข้อความ"
        verbose_name_plural = "แม่แบบบันทึกข้อความ"
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"แม่แบบ: {self.get_kind_display()}"


class Signatory(models.Model):
    """One person who signs the unit's memos, as the memo prints them; staff keep the list."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name="หน่วยงาน", on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField("ชื่อ", max_length=200, help_text="ไม่ต้องใส่วงเล็บ ระบบใส่ให้เมื่อพิมพ์")
    position = LimitedTextField("ตำแหน่ง", help_text="ขึ้นบรรทัดใหม่ได้ เช่น ตำแหน่งกับชื่อฝ่าย")
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)

    class Meta:
        verbose_name = "ผู้ลงนาม (รายชื่อของหน่วยงาน)"
        verbose_name_plural = "ผู้ลงนาม (รายชื่อของหน่วยงาน)"
        ordering = ["unit", "order", "pk"]

    def __str__(self) -> str:
        first_line = self.position.splitlines()[0] if self.position else ""
        return f"{self.name} · {first_line}".strip(" ·")
