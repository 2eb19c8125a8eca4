"""What a new memo starts with, drafted from what the portal knows.

The header and paragraphs come from the unit's previous memo of the same kind, its fiscal year
and cited year moved on to the new memo's and the cited score and level replaced by the new
ones; a unit's first memo of a kind starts from the central team's MemoTemplate, whose
placeholders ({หน่วยงาน}, {ปีงบประมาณ}, {ปีที่ประเมิน}, {คะแนน}, {ระดับ}, {ผู้บริหาร}) are filled
in. The signature chain is the previous memo's, when there is one.
"""

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from assessments.models import Assessment, FiscalYear, OrgUnit
from assessments.reference_data import CREATED, UNCHANGED, read_yaml
from measures.models import Memo, MemoTemplate, Signatory
from portal_core.thai import arabic_digits, digits, score_text, thai_digits

# the memo's fields a template holds: its header and paragraphs
DRAFTED_FIELDS = tuple(f.name for f in MemoTemplate._meta.fields if f.name not in ("id", "kind"))
# a Buddhist-era year (2400–2799) in either digit system, not part of a longer number
_BE_YEAR = re.compile(r"(?<![0-9๐-๙,])([2๒][4-7๔-๗][0-9๐-๙]{2})(?![0-9๐-๙])")
_PLACEHOLDER = re.compile(r"\{(หน่วยงาน|ปีงบประมาณ|ปีที่ประเมิน|คะแนน|ระดับ|ผู้บริหาร)\}")


def head_of(unit: OrgUnit) -> str:
    """Whom a memo of the unit is addressed to by default: ผู้อำนวยการเขตคลองเตย for a district."""
    return f"ผู้อำนวยการ{unit.short_name or unit.name}"


def previous_memo(unit: OrgUnit, kind: str) -> Memo | None:
    """The unit's latest memo of ``kind`` (by fiscal year, then creation)."""
    return (
        Memo.objects.filter(unit=unit, kind=kind)
        .select_related("fiscal_year", "assessment__fiscal_year")
        .order_by("-fiscal_year__year", "-created_at", "-pk")
        .first()
    )


def _move_years(text: str, years: dict[int, int]) -> str:
    """The Buddhist-era years of ``years`` replaced by their new ones, in the digits they were
    written in; other years (a cabinet resolution of ๒๕๖๑) stay as they are."""

    def moved(match: re.Match) -> str:
        written = match.group(1)
        year = int(arabic_digits(written))
        if year not in years:
            return written
        new = str(years[year])
        return thai_digits(new) if written != arabic_digits(written) else new

    return _BE_YEAR.sub(moved, text)


def _replace_result(text: str, old: Assessment | None, new: Assessment | None) -> str:
    """The cited score and level of the previous memo replaced by those of the new one."""
    if old is None or new is None:
        return text
    if old.official_score is not None and new.official_score is not None:
        for thai in (True, False):
            text = text.replace(
                score_text(old.official_score, thai=thai), score_text(new.official_score, thai=thai)
            )
    if old.official_level and new.official_level:
        text = re.sub(
            rf"ระดับ(\s*){re.escape(old.official_level)}(?![A-Za-z])",
            lambda m: f"ระดับ{m.group(1)}{new.official_level}",
            text,
        )
    return text


def _fill(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def drafted_fields(
    *, unit: OrgUnit, fiscal_year: FiscalYear, kind: str, assessment: Assessment | None
) -> dict[str, str]:
    """The header and paragraphs a new memo of ``kind`` starts with (empty without a source)."""
    previous = previous_memo(unit, kind)
    if previous is not None:
        years = {previous.fiscal_year.year: fiscal_year.year}
        if previous.assessment and assessment:
            years[previous.assessment.fiscal_year.year] = assessment.fiscal_year.year
        return {
            name: _replace_result(
                _move_years(getattr(previous, name), years), previous.assessment, assessment
            )
            for name in DRAFTED_FIELDS
        }
    template = MemoTemplate.objects.filter(kind=kind).first()
    if template is None:
        return {}
    assessed = (
        assessment.fiscal_year.year if assessment else FiscalYear.answered_year(fiscal_year.year)
    )
    values = {
        "หน่วยงาน": unit.name,
        "ปีงบประมาณ": digits(fiscal_year.year, thai=True),
        "ปีที่ประเมิน": digits(assessed, thai=True),
        "คะแนน": score_text(assessment.official_score if assessment else None, thai=True),
        "ระดับ": (assessment.official_level if assessment else "") or "–",
        "ผู้บริหาร": head_of(unit),
    }
    return {name: _fill(getattr(template, name), values) for name in DRAFTED_FIELDS}


def drafted_signatures(*, unit: OrgUnit, kind: str) -> list[dict]:
    """The signature chain of the unit's previous memo of ``kind``, as form initial data."""
    previous = previous_memo(unit, kind)
    if previous is None:
        return []
    return list(
        previous.signatures.order_by("order", "pk").values(
            "endorsement", "remark", "name", "position"
        )
    )


@dataclass(frozen=True)
class SignatoryEntry:
    """One row of a unit's signatory list as staff left it; ``pk`` is None for a new person."""

    pk: int | None
    name: str
    position: str


@transaction.atomic
def save_signatories(unit: OrgUnit, *, entries: list[SignatoryEntry]) -> list[Signatory]:
    """Make the unit's signatory list the ``entries``, in their order: rows missing from them
    are removed, the others updated or added. A name typed with its parentheses is stored
    without them (the memo adds them). Memos already drafted keep the names they were given."""
    existing = {s.pk: s for s in unit.signatories.all()}
    kept = []
    for position, entry in enumerate(entries, start=1):
        signatory = existing.pop(entry.pk, None) or Signatory(unit=unit)
        signatory.name = entry.name.strip().removeprefix("(").removesuffix(")").strip()
        signatory.position = entry.position.strip()
        signatory.order = position
        signatory.full_clean()
        signatory.save()
        kept.append(signatory)
    for gone in existing.values():
        gone.delete()
    return kept


def load_memo_templates(fixtures_dir: Path, tally: Counter) -> None:
    """Create the MemoTemplate of each kind in memo_templates.yaml that is missing; a template
    that exists is the central team's and is left as it is."""
    for item in read_yaml(fixtures_dir / "memo_templates.yaml"):
        kind = item.pop("kind")
        if MemoTemplate.objects.filter(kind=kind).exists():
            tally[UNCHANGED] += 1
            continue
        template = MemoTemplate(kind=kind, **item)
        template.full_clean()
        template.save()
        tally[CREATED] += 1
