"""Putting an assessment on the public site and taking it off again.

``Assessment.published_at`` changes only through these two functions: they refuse a move that
makes no sense (publishing twice or without the official score, withdrawing what is not public)
and record who made it as a StateChange (the record every state change shares). The public
pages and open data show published assessments only, so the change is visible there at once:
both give the public site a new PublicationVersion token in the same transaction, which retires
every cached public page.
The staff unit-year page (ita_portal.views.publication) and the admin's actions call them.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import Assessment, PublicationVersion, StateChange
from portal_core.history import save_with_history


def _save(assessment: Assessment, *, by, source: str, to: str) -> Assessment:
    save_with_history(assessment, by=by)
    StateChange.record(assessment, source=source, to=to, by=by)
    PublicationVersion.bump()
    return assessment


@transaction.atomic
def publish_assessment(assessment: Assessment, *, by) -> Assessment:
    """Publish the assessment now; its result appears on the public pages and in open data."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.published_at is not None:
        raise ValidationError("ผลการประเมินนี้เผยแพร่แล้ว")
    if assessment.official_score is None:  # an empty score sheet is not a result
        raise ValidationError("ยังไม่ได้บันทึกคะแนนรวมที่ประกาศ จึงยังเผยแพร่ไม่ได้")
    assessment.published_at = timezone.now()
    return _save(assessment, by=by, source=Assessment.UNPUBLISHED, to=Assessment.PUBLISHED)


@transaction.atomic
def unpublish_assessment(assessment: Assessment, *, by) -> Assessment:
    """Withdraw the assessment from the public pages and open data."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.published_at is None:
        raise ValidationError("ผลการประเมินนี้ยังไม่ได้เผยแพร่")
    assessment.published_at = None
    return _save(assessment, by=by, source=Assessment.PUBLISHED, to=Assessment.UNPUBLISHED)
