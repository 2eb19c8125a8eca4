"""Form tokens already used: a create form posted twice (a double click) creates one object."""

from django.conf import settings
from django.db import models


class FormSubmission(models.Model):
    """A create form's one-time token, claimed by the POST that created the object.

    Every create form carries a random token (the ``submission_token`` template tag). The POST
    that creates the object inserts this row in the same transaction, and the unique constraint
    turns away any other POST of the same form: across workers and servers, and under concurrency
    (on PostgreSQL the second insert waits for the first transaction, then fails). ``url`` is
    where the created object is shown, so the repeat is sent there. See assessments.submissions.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="ผู้ใช้", on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField("รหัสแบบฟอร์ม", max_length=64)
    url = models.CharField("หน้าของข้อมูลที่บันทึก", max_length=300, blank=True)
    created_at = models.DateTimeField("บันทึกเมื่อ", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "การส่งแบบฟอร์ม"
        verbose_name_plural = "การส่งแบบฟอร์ม"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="formsubmission_once_per_token")
        ]

    def __str__(self) -> str:
        return f"การส่งแบบฟอร์ม {self.token[:8]}… ({self.created_at:%Y-%m-%d %H:%M})"
