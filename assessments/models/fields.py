"""The score field and its 0–100 rule, shared by the models of every app (free text with one
length limit is portal_core.text_limits.LimitedTextField)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

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
