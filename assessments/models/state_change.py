"""The one record of state changes: a measure's status, a memo's status, a result's publication."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from portal_core.text_limits import LimitedTextField


class StateChange(models.Model):
    """One move of an object from one state to another: who made it, when and why.

    Only the domain functions that change a state write it, in the transaction of the change:
    measures.measure_workflow.set_measure_status, measures.memo_workflow.transition_memo and
    assessments.publishing. A subject model names its states in ``STATE_CHOICES`` and reaches
    its changes through a GenericRelation named ``state_changes``.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    from_state = models.CharField("จากสถานะ", max_length=20, blank=True)
    to_state = models.CharField("เป็นสถานะ", max_length=20)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="โดย",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("เมื่อ", default=timezone.now)
    comment = LimitedTextField("หมายเหตุ", blank=True)

    class Meta:
        verbose_name = "ประวัติสถานะ"
        verbose_name_plural = "ประวัติสถานะ"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="statechange_subject")]

    def __str__(self) -> str:
        return f"{self.from_label} → {self.to_label}"

    @classmethod
    def record(cls, subject: models.Model, *, to: str, by, source: str = "", comment: str = ""):
        """Write that ``subject`` moved from ``source`` to ``to``, made by ``by`` now."""
        return cls.objects.create(
            subject=subject, from_state=source, to_state=to, by=by, comment=comment
        )

    def _label(self, state: str) -> str:
        subject_model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        return dict(subject_model.STATE_CHOICES).get(state, state)

    @property
    def from_label(self) -> str:
        """The state moved from, in Thai."""
        return self._label(self.from_state)

    @property
    def to_label(self) -> str:
        """The state moved to, in Thai."""
        return self._label(self.to_state)
