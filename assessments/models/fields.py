"""Fields shared by the models of every app: the score field and its 0–100 rule, and free text
with one length limit for every way in (forms, the admin, imports)."""

from decimal import Decimal

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models

from assessments.form_fields import LimitedTextFormField

SCORE_MIN = Decimal("0")
SCORE_MAX = Decimal("100")


def score_field(verbose_name: str, **kwargs) -> models.DecimalField:
    """A score of 0.00–100.00 with two decimal places, validated in forms and imports."""
    message = f"{verbose_name}ต้องอยู่ระหว่าง 0 ถึง 100"
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(SCORE_MIN, message=message),
            MaxValueValidator(SCORE_MAX, message=message),
        ],
        **kwargs,
    )


def score_range_constraint(model_name: str, field: str = "score") -> models.CheckConstraint:
    """A named database rule 0 ≤ field ≤ 100 (NULL passes, so optional scores stay optional)."""
    in_range = models.Q(**{f"{field}__gte": SCORE_MIN, f"{field}__lte": SCORE_MAX})
    return models.CheckConstraint(
        condition=in_range | models.Q(**{f"{field}__isnull": True}),
        name=f"{model_name}_{field}_0_100",
    )


LONG_TEXT_CHARS = 5000  # a long memo paragraph is about 1,500 characters; the demo's longest 799
SECTION_TEXT_CHARS = 10_000  # a memo attachment's introduction: several headed sections


class LimitedTextField(models.TextField):
    """Free text of at most ``max_length`` characters (LONG_TEXT_CHARS unless given).

    Django's TextField gives its max_length to forms only; this one checks it in the model's
    validation too, so the staff forms, the admin and the Excel imports (which run ``full_clean``)
    refuse the same over-long text, each with a Thai message, and text an import stored can always
    be saved again through a form. The database column stays unlimited text.
    """

    def __init__(self, *args, max_length: int = LONG_TEXT_CHARS, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        name = self.verbose_name or "ข้อความ"
        self.length_message = f"{name}ยาวได้ไม่เกิน %(limit_value)s ตัวอักษร (มี %(show_value)s ตัวอักษร)"
        self.validators.append(MaxLengthValidator(max_length, message=self.length_message))

    def formfield(self, **kwargs):
        """A LimitedTextFormField with the same limit and message (the admin shows it as is;
        the staff forms' Thai messages word it for their label)."""
        messages = {"max_length": self.length_message, **kwargs.pop("error_messages", {})}
        return super().formfield(
            **{"form_class": LimitedTextFormField, "error_messages": messages, **kwargs}
        )
