"""A unit's OIT checklist as Excel sheets: the items and the readiness per sub-indicator."""

from django.utils import timezone

from measures.disclosure import Checklist
from portal_core.excel import OutSheet
from portal_core.thai import thai_datetime_short

ITEM_COLUMNS = [
    "ข้อ",
    "ตัวชี้วัดย่อย",
    "ข้อมูลที่เปิดเผย",
    "ที่อยู่เว็บที่เผยแพร่",
    "ผลตรวจลิงก์",
    "ฝ่ายที่รับผิดชอบ",
    "สถานะ",
    "ตรวจสอบล่าสุด",
    "ตรวจสอบโดย",
    "หมายเหตุ",
    "ข้อสังเกตของผู้ประเมินปีก่อน",
]
READINESS_COLUMNS = ["ตัวชี้วัดย่อย", "ชื่อ", "เผยแพร่แล้ว (ข้อ)", "จำนวนข้อ", "คะแนนหากตรวจวันนี้"]


def _when(moment) -> str:
    return thai_datetime_short(timezone.localtime(moment)) if moment else ""


def _link_outcome(link) -> str:
    if link.checked_at is None:
        return "ยังไม่ตรวจ"
    answer = str(link.last_status) if link.last_status is not None else link.error
    return f"{answer} ({_when(link.checked_at)})"


def checklist_sheet(data: Checklist) -> list[OutSheet]:
    """The checklist (one row per item, addresses one a line) and its readiness."""
    rows = []
    for row in data.rows:
        item = row.item
        sub = row.question.sub_indicator
        rows.append(
            [
                row.question.code,
                sub.code if sub else str(row.question.indicator.number),
                row.question.display_text,
                "\n".join(link.url for link in row.links),
                "\n".join(_link_outcome(link) for link in row.links),
                item.division.name if item.division_id else "",
                item.get_status_display(),
                _when(item.checked_at),
                item.checked_by.get_full_name() or item.checked_by.username
                if item.checked_by_id
                else "",
                item.notes,
                row.last_remark,
            ]
        )
    readiness = [[g.code, g.name, g.disclosed, g.total, float(g.score)] for g in data.today.groups]
    readiness.append(
        [
            "OIT",
            "คะแนน OIT หากตรวจวันนี้",
            data.today.disclosed,
            data.today.total,
            float(data.today.score) if data.today.score is not None else None,
        ]
    )
    widths = {
        "ข้อมูลที่เปิดเผย": 50,
        "ที่อยู่เว็บที่เผยแพร่": 40,
        "ผลตรวจลิงก์": 24,
        "ฝ่ายที่รับผิดชอบ": 24,
        "หมายเหตุ": 30,
        "ข้อสังเกตของผู้ประเมินปีก่อน": 40,
    }
    return [
        OutSheet("รายการ OIT", ITEM_COLUMNS, rows, widths),
        OutSheet(
            "ความพร้อม",
            READINESS_COLUMNS,
            readiness,
            {"ชื่อ": 40},
            {"คะแนนหากตรวจวันนี้": "0.00"},
        ),
    ]
