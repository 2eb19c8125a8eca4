"""Optimistic locking: a form carries the version it was opened with, and a save that finds
another version stored is refused instead of overwriting someone else's work.

Models that use it have an integer ``version`` field that rises by one on every save through
their domain functions.
"""

from django.db import models
from django.db.models import F


def bump_version(obj: models.Model, expected: int | None) -> bool:
    """Raise the stored row's version from ``expected`` by one, in one conditional UPDATE
    (… WHERE version = expected), and ``obj.version`` with it. Returns False, having written
    nothing, when the stored version is not ``expected``: someone saved in between."""
    bumped = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, version=expected)
        .update(version=F("version") + 1)
    )
    if bumped:
        obj.version = expected + 1
    return bool(bumped)
